/** The engine in the built app: backend choice and fallback, live training on every backend, and weights in and out. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from './browser.ts';
import { currentStep, opener, startTraining } from './training-page.ts';
import { chartsDrawn } from './charts.ts';
import { DEFAULT_RECIPE } from '../../src/ui/training/live-training.ts';

const env = useBuiltApp();
const openAndRun = opener(env);

describe('engine in Chromium', () => {
  it('measures the backends, never calls a software renderer a GPU, remembers the result, and switches on request', async () => {
    const { page, errors, cell } = await openAndRun('?section=setup', 'backend');
    // Here WebGL and WebGPU exist only through SwiftShader: WebAssembly must win.
    expect(await page.getByTestId('backend').textContent()).toBe('wasm');
    const rows = page.getByTestId('backend-timings').locator('tbody tr');
    expect(await rows.count()).toBe(4);
    for (const gpu of ['webgl', 'webgpu']) {
      const row = page.getByTestId('backend-timings').locator(`tr[data-backend="${gpu}"]`);
      expect(await row.textContent()).toContain('(software: no GPU)');
      expect(await row.textContent()).toContain('not timed');
    }
    const wasmMs = Number((await page.getByTestId('backend-timings').locator('tr[data-backend="wasm"] td.num').textContent())!.match(/^\d+/)![0]);
    expect(wasmMs).toBeGreaterThan(0);
    const stored = await page.evaluate(() => localStorage.getItem('unmask.backends.v1'));
    expect(JSON.parse(stored!).order[0]).toBe('wasm');

    // The next visit uses what was measured: the same table, no new timing.
    await page.reload();
    await page.locator('#setup').scrollIntoViewIfNeeded();
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.cell[data-cell="backend"][data-state="done"]').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('backend').textContent()).toBe('wasm');
    expect(await page.evaluate(() => localStorage.getItem('unmask.backends.v1'))).toBe(stored);

    // A learner's switch applies at once to the compute worker.
    await cell.getByRole('combobox', { name: 'Compute on' }).selectOption('cpu');
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 240_000 }).toBe('cpu');
    await cell.getByRole('combobox', { name: 'Compute on' }).selectOption('auto');
    await expect.poll(() => page.getByTestId('backend').textContent(), { timeout: 240_000 }).toBe('wasm');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it.each(['wasm', 'cpu'])('takes the order a link asks for (%s), and says what in it is no backend', async (backend) => {
    const { page, errors } = await openAndRun(`?backend=nonesuch,${backend}&section=setup`, 'backend');
    expect(await page.getByTestId('backend').textContent()).toBe(backend);
    expect(await page.getByTestId('backend-request-problem').textContent()).toBe(
      'The link\'s backend= names something that is not a backend: "nonesuch" (known: webgpu, webgl, wasm, cpu).',
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  // WebGL and WebGPU run in software here: a WebGPU step takes 12-20 s on an idle machine and
  // minutes on a loaded one. The test waits for the run to end, however long that takes.
  it.each(['wasm', 'cpu', 'webgl', 'webgpu'])(
    'trains live on %s',
    async (backend) => {
      const { page, errors, cell } = await openAndRun(`?backend=${backend}&section=training`, 'model-source');
      await startTraining(cell, 2);
      await page.getByTestId('last-loss').waitFor({ timeout: 1_500_000 });
      expect(await page.getByTestId('train-message').textContent()).toBe('Completed 2 steps.');
      expect(await page.getByTestId('model-label').textContent()).toContain(`trained here: 2 steps of the ${DEFAULT_RECIPE} recipe`);
      const loss = Number(await page.getByTestId('last-loss').textContent());
      expect(loss).toBeGreaterThan(1); // about ln 15 = 2.7 for an untrained model
      expect(loss).toBeLessThan(5);
      // The loss curve drew both steps (two traces: per step and smoothed).
      const plot = page.locator('.cell[data-cell="loss-curve"]').getByTestId('plot').first();
      await chartsDrawn(plot);
      // Drawn once already, it may still owe the last step's draw (a frame away): wait for it.
      await expect.poll(() => plot.getAttribute('data-points'), { timeout: 240_000 }).toBe('4');
      expect(errors).toEqual([]);
      await page.close();
    },
    1_800_000,
  );
});

describe('a longer live run', () => {
  it('estimates the time, pauses and resumes, checks accuracy on the way, and sums up', async () => {
    const { page, errors, cell } = await openAndRun('?backend=wasm&section=training', 'model-source');
    await cell.getByRole('button', { name: 'Estimate the time' }).click();
    await expect.poll(() => page.getByTestId('train-estimate').count(), { timeout: 240_000 }).toBe(1);
    expect(await page.getByTestId('train-estimate').textContent()).toMatch(
      /^Measured here: about [\d.]+ s a step, so 5000 steps take about [\d.]+ (s|min|h)\.$/,
    );

    // By keyboard: focus stays on the controls as Train turns into Pause, Pause into Resume, and back.
    const focused = () => page.evaluate(() => document.activeElement?.textContent);
    const plots = page.locator('.cell[data-cell="loss-curve"]').getByTestId('plot');
    await cell.getByRole('textbox', { name: 'Steps' }).fill('60');
    await cell.getByRole('button', { name: 'Train 60 steps' }).focus();
    await page.keyboard.press('Enter');
    const progress = page.getByTestId('train-progress');
    await expect.poll(() => currentStep(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(3);
    expect(await focused()).toBe('Pause');
    // While the run streams, the lines are painted on the live canvas over Plotly's frame
    // (once the chart is near the screen: charts far from it wait for the reader).
    await plots.nth(0).scrollIntoViewIfNeeded();
    await expect.poll(() => plots.nth(0).getAttribute('data-live'), { timeout: 240_000 }).toBe('true');
    expect(Number(await plots.nth(0).getAttribute('data-points'))).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toMatch(/^Paused after step \d+ of 60\.$/);
    expect(await focused()).toBe('Resume');
    await expect.poll(() => plots.nth(0).getAttribute('data-live'), { timeout: 240_000 }).toBeNull(); // Plotly has the data again
    const pausedAt = Number((await page.getByTestId('train-message').textContent())!.match(/step (\d+)/)![1]);
    await page.waitForTimeout(1500);
    expect(await progress.textContent()).toContain(`Step ${pausedAt} of 60`); // nothing moves while paused
    expect(await page.getByTestId('model-label').textContent()).toBe('none yet');

    await page.keyboard.press('Enter');
    await expect.poll(() => focused()).toBe('Pause');
    await expect.poll(() => page.getByTestId('train-message').count(), { timeout: 240_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toBe('Completed 60 steps.');
    expect(await page.getByTestId('train-summary').textContent()).toMatch(
      new RegExp(`^After 60 steps of the ${DEFAULT_RECIPE} recipe, the model fills in \\d+% at t = 0\\.1 \\(best possible 100%\\)`),
    );
    expect(await focused()).toBe('Train 60 steps');
    // Loss, learning rate, and the accuracy check-up at steps 50 and 60, all drawn by Plotly again.
    await expect.poll(() => plots.count()).toBe(3);
    // A chart hands its lines back to Plotly when it next draws, which is once it is near the screen.
    for (let i = 0; i < 3; i++) {
      await plots.nth(i).scrollIntoViewIfNeeded();
      await expect.poll(() => plots.nth(i).getAttribute('data-live'), { timeout: 240_000 }).toBeNull();
    }
    await chartsDrawn(plots);
    expect(await plots.nth(0).getAttribute('data-points')).toBe('120');
    expect(await page.getByTestId('model-label').textContent()).toBe(`trained here: 60 steps of the ${DEFAULT_RECIPE} recipe`);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});

describe('a run survives a reload', () => {
  it('auto-saves to IndexedDB and resumes after a reload, losing only the steps since the save', async () => {
    const { page, errors, cell } = await openAndRun('?backend=wasm&section=training', 'model-source');
    await startTraining(cell, 120);
    await expect.poll(() => currentStep(page), { timeout: 240_000 }).toBeGreaterThanOrEqual(55); // the first save is at step 50
    await page.reload();
    // The cell ran before the reload, so it runs again by itself and finds the saved run.
    const offer = page.getByTestId('train-interrupted');
    await offer.waitFor({ timeout: 240_000 });
    expect(await offer.textContent()).toContain(`A run of the ${DEFAULT_RECIPE} recipe was interrupted; it was saved at step 50 of 120.`);
    await offer.getByRole('button', { name: 'Resume it' }).click();
    await expect.poll(() => page.getByTestId('train-message').textContent(), { timeout: 240_000 }).toBe('Completed 120 steps.');
    // The loss history carried over: 120 steps, raw and smoothed.
    const loss = page.locator('.cell[data-cell="loss-curve"]').getByTestId('plot').first();
    await loss.scrollIntoViewIfNeeded(); // charts draw once near the screen
    await expect.poll(() => loss.getAttribute('data-points'), { timeout: 240_000 }).toBe('240');
    expect(await page.getByTestId('model-label').textContent()).toBe(`trained here: 120 steps of the ${DEFAULT_RECIPE} recipe`);
    // Finished runs are not offered again. (The cell ran before the reload, so it runs again by itself.)
    await page.reload();
    await page.locator('.cell[data-cell="model-source"][data-state="done"]').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('train-interrupted').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});

describe('weights in and out of the browser', () => {
  it('downloads the model as safetensors, loads it back, and keeps the model when a file is broken', async () => {
    const { page, errors, cell } = await openAndRun('?backend=wasm&section=training', 'model-source');
    await cell.getByRole('button', { name: /Load the learns recipe/ }).click();
    const label = page.getByTestId('model-label');
    await expect.poll(() => label.textContent(), { timeout: 240_000 }).toContain('pretrained: the learns recipe');

    const [download] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Download the current model' }).click()]);
    expect(download.suggestedFilename()).toBe('unmask-pretrained-the-learns-recipe-5000-steps.safetensors');
    const saved = await download.path();
    const bytes = readFileSync(saved);
    // The safetensors header names the PyTorch parameters.
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + headerLength).toString('utf8')) as Record<string, unknown>;
    expect(Object.keys(header)).toContain('transformer.layers.2.linear2.weight');

    await page.getByTestId('upload-weights').setInputFiles({ name: 'mine.safetensors', mimeType: 'application/octet-stream', buffer: bytes });
    await expect.poll(() => label.textContent(), { timeout: 240_000 }).toBe('uploaded: mine.safetensors');

    // A truncated file: a clear error, and the model in use stays.
    await page
      .getByTestId('upload-weights')
      .setInputFiles({ name: 'broken.safetensors', mimeType: 'application/octet-stream', buffer: bytes.subarray(0, 5000) });
    const alert = cell.locator('.model-picker [role="alert"]');
    await alert.waitFor({ timeout: 240_000 });
    expect(await alert.textContent()).toMatch(
      /^Loading "broken\.safetensors" failed: .+\. The current model \(uploaded: mine\.safetensors\) is kept\.$/,
    );
    expect(await label.textContent()).toBe('uploaded: mine.safetensors');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
