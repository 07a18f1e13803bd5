/** Section 11 in the built app: generation by unmasking, the infilling playground and the attention explorer, with the shipped learns-recipe model. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from './browser.ts';
import { chartsDrawn } from './charts.ts';
import { pickLearns } from './model-picker.ts';

const env = useBuiltApp();

/** The Beyond section with the learns recipe's checkpoint loaded, and one of its cells run. */
async function openWithModel(cellId: string): Promise<{ page: Page; errors: string[] }> {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(env.app.url + '?backend=wasm&section=beyond');
  const cell = page.locator(`.cell[data-cell="${cellId}"]`);
  await pickLearns(cell);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator(`.cell[data-cell="${cellId}"][data-state="done"]`).waitFor({ timeout: 240_000 });
  return { page, errors };
}

describe('beyond the notebook, in Chromium', () => {
  it('generates by unmasking, steps through the reverse process, and shows the samplers trade-off', async () => {
    const { page, errors } = await openWithModel('generate');
    const cell = page.locator('.cell[data-cell="generate"]');
    expect(await page.getByTestId('generate-step').textContent()).toMatch(/^Step 32 of 32, t = 0\.00: 0 of 192 shown tokens still masked$/);
    await cell.getByRole('slider', { name: 'Step' }).fill('0');
    expect(await page.getByTestId('generate-step').textContent()).toBe('Step 0 of 32, t = 1.00: 192 of 192 shown tokens still masked');
    await cell.getByRole('button', { name: 'Next step' }).click();
    expect(await page.getByTestId('generate-step').textContent()).toMatch(/^Step 1 of 32, t = 0\.97: \d+ of 192 shown tokens still masked$/);
    expect(await cell.locator('.tokens').count()).toBe(6);

    const quality = (await page.getByTestId('generate-quality').textContent())!;
    expect(quality).toMatch(/^Of 64 samples, \d+% are perfectly periodic .* and \d+ are different from each other\.$/);
    // The trade-off: surest-first writes far fewer different samples than ancestral; the best possible denoiser is the reference.
    const rows = await page
      .getByTestId('generate-compare')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent ?? '')));
    expect(rows.map((r) => r[0])).toEqual([
      'this model, ancestral (random order)',
      'this model, confidence-based (surest first)',
      'best possible denoiser, ancestral',
    ]);
    const distinct = rows.map((r) => Number(r[2].split(' of ')[0]));
    expect(distinct[1]).toBeLessThan(distinct[0] / 2);
    expect(Number(rows[2][1].replace('%', ''))).toBeGreaterThan(50); // the exact posterior mostly follows the rule at 32 steps
    const plot = cell.getByTestId('plot');
    await chartsDrawn(plot);
    expect(await plot.getAttribute('data-points')).toBe('8'); // 4 periods, samples and data

    // Another sampler and step count; a bad setting is explained and cannot run.
    await cell.getByRole('textbox', { name: 'Steps' }).fill('0');
    expect(await cell.getByRole('alert').textContent()).toBe('Steps must be a whole number from 1 to 64.');
    expect(await cell.getByRole('button', { name: 'Generate', exact: true }).isDisabled()).toBe(true);
    await cell.getByRole('textbox', { name: 'Steps' }).fill('8');
    await cell.getByRole('combobox', { name: 'Sampler' }).selectOption('confidence');
    await cell.getByRole('textbox', { name: 'Seed' }).fill('7');
    await cell.getByRole('button', { name: 'Generate', exact: true }).click();
    await expect.poll(() => page.getByTestId('generate-step').textContent(), { timeout: 240_000 }).toMatch(/^Step 8 of 8, t = 0\.00: 0 of 192/);
    expect(await cell.locator('.hint').first().textContent()).toContain(
      'confidence-based (surest first), 8 steps on a uniform time grid, temperature 1, seed 7',
    );
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('fills typed blanks beside the best possible denoiser, and explains bad input', async () => {
    const { page, errors } = await openWithModel('infill');
    const cell = page.locator('.cell[data-cell="infill"]');
    const table = page.getByTestId('infill-table');
    expect(await table.locator('tbody tr').count()).toBe(5);
    expect(await page.getByTestId('infill-summary').textContent()).toMatch(
      /^The visible tokens allow period 3 \(100%\)\. The model's first guess matches the best possible one at [45] of 5 blanks\.$/,
    );

    await cell.getByRole('button', { name: 'ambiguous: which period?' }).click();
    await expect
      .poll(() => page.getByTestId('infill-summary').textContent(), { timeout: 240_000 })
      .toMatch(/period 2 \(\d+%\), 3 \(\d+%\), 4 \(\d+%\)/);
    expect(await table.locator('tbody tr').count()).toBe(29);

    const box = cell.getByRole('textbox', { name: /token ids 1–15/ });
    await box.fill('3 16 _');
    expect(await cell.getByRole('alert').textContent()).toBe('"16" (token 2) is not a token: use whole numbers from 1 to 15, or _ for a blank.');
    await box.fill('3 4 3 4');
    expect(await cell.getByRole('alert').textContent()).toBe('Put at least one blank (_) in the sequence for the model to fill.');
    await cell.getByRole('button', { name: 'not from the data' }).click();
    await expect.poll(() => page.getByTestId('infill-summary').textContent(), { timeout: 240_000 }).toMatch(/^No pattern of 2 to 4 tokens fits/);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('explores attention for a chosen sequence, bidirectional and causal', async () => {
    const { page, errors } = await openWithModel('attention-explorer');
    const cell = page.locator('.cell[data-cell="attention-explorer"]');
    expect(await page.getByTestId('explorer-phase').textContent()).toMatch(
      /^With period 3, a blank at position i is best filled from the visible tokens at i ± 3, i ± 6/,
    );
    const plots = cell.getByTestId('plot');
    await chartsDrawn(plots);
    expect(await plots.nth(0).getAttribute('data-points')).toBe(String(32 * 32));
    expect(await plots.nth(1).getAttribute('data-points')).toBe('24'); // 12 heads, and the even-attention line

    await cell.getByRole('button', { name: 'period 2' }).click();
    await expect.poll(() => page.getByTestId('explorer-phase').textContent(), { timeout: 240_000 }).toMatch(/^With period 2,/);
    await cell.getByRole('checkbox', { name: /Causal mask/ }).check();
    expect(await page.getByTestId('explorer-phase').textContent()).toContain(
      'with the causal mask on: every blank has lost the same-place tokens to its right',
    );
    await cell.getByRole('combobox', { name: 'Layer' }).selectOption({ label: '3' });
    await expect.poll(() => plots.nth(0).getAttribute('aria-label')).toBe('Attention of layer 3, head 1 under a causal mask for the sequence above');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
