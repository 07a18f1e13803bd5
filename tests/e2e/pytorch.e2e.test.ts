/**
 * "Open in PyTorch" in the built app: a learner loads a checkpoint, clicks the
 * button, and gets a Jupyter notebook that carries exactly the model's
 * weights and whose code defines and loads the model in real PyTorch (its
 * accuracy table is checked against `unmask eval` in tests/unit/pytorch-notebook.test.ts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { notebookCode } from '../../src/bridge/pytorch-notebook.ts';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { readWeights } from '../../src/core/weights.ts';
import { axe, useBuiltApp } from './browser.ts';
import { opener } from './training-page.ts';

const env = useBuiltApp();
const openAndRun = opener(env);
const SHIPPED = new Uint8Array(readFileSync(fileURLToPath(new URL('../../public/pretrained/learns-5000.safetensors', import.meta.url))));

describe('Open in PyTorch', () => {
  it('downloads a notebook that carries the loaded model and builds it in PyTorch', async () => {
    const { page, errors, cell } = await openAndRun('?backend=wasm&section=training', 'model-source');
    const button = cell.getByRole('button', { name: 'Open in PyTorch (.ipynb)' });
    expect(await button.isDisabled()).toBe(true); // no model yet
    await cell.getByRole('button', { name: /Load the learns recipe/ }).click();
    await expect.poll(() => page.getByTestId('model-label').textContent(), { timeout: 240_000 }).toContain('pretrained: the learns recipe');
    expect(await axe(page, '.cell[data-cell="model-source"]')).toEqual([]);
    mkdirSync('.artifacts/screenshots', { recursive: true });
    await page.addStyleTag({ content: '.topbar { position: static !important; }' }); // not over the cell
    await cell.locator('.button-row').first().screenshot({ path: '.artifacts/screenshots/open-in-pytorch.png' });

    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    expect(download.suggestedFilename()).toBe('unmask-pretrained-the-learns-recipe-5000-steps.ipynb');
    const ipynb = readFileSync(await download.path(), 'utf8');
    const nb = JSON.parse(ipynb);
    expect(nb.nbformat).toBe(4);
    expect(nb.metadata.kernelspec.language).toBe('python');
    expect(nb.cells[0].source.join('')).toContain('**pretrained: the learns recipe, 5000 steps**');

    // The weights inside are the loaded checkpoint's, tensor for tensor.
    const base64 = /WEIGHTS_BASE64 = """([\s\S]*?)"""/.exec(notebookCode(ipynb))![1].replace(/\s+/g, '');
    const carried = readWeights(new Uint8Array(Buffer.from(base64, 'base64')), DEFAULT_MODEL);
    const shipped = readWeights(SHIPPED, DEFAULT_MODEL);
    expect([...carried.keys()].sort()).toEqual([...shipped.keys()].sort());
    for (const [name, values] of shipped) expect(Array.from(carried.get(name)!), name).toEqual(Array.from(values));

    // Its code runs in PyTorch up to the table (which the unit test runs in full): the model is built and loads strictly.
    const dir = mkdtempSync(join(tmpdir(), 'unmask-e2e-notebook-'));
    const script = join(dir, 'upto-table.py');
    writeFileSync(
      script,
      notebookCode(ipynb).replace(/generator = torch\.Generator\(\)[\s\S]*$/, 'print("LOADED", sum(p.numel() for p in model.parameters()))\n'),
    );
    const out = await new Promise<string>((resolve, reject) =>
      execFile(
        '/usr/bin/python3',
        [script],
        { timeout: 240_000, env: { ...process.env, OMP_NUM_THREADS: '1' }, maxBuffer: 16 << 20 },
        (err, stdout, stderr) =>
          err
            ? reject(new Error(`the downloaded notebook failed in PyTorch (apt-get install -y python3-torch):\n${stderr.slice(-2000)}`))
            : resolve(stdout),
      ),
    );
    expect(out).toContain('Loaded 44 tensors');
    expect(out).toContain('LOADED 156304');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
