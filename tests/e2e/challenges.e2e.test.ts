/**
 * The notebook's challenges in the built app (section "beyond"): the
 * precomputed time-input curves, a tiny comparison trained in the worker,
 * the loss by masking ratio and the ELBO with the shipped learns-recipe model.
 */
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from './browser.ts';
import { chartsDrawn } from './charts.ts';
import { pickLearns } from './model-picker.ts';

const env = useBuiltApp();

async function open(): Promise<{ page: Page; errors: string[] }> {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(env.app.url + '?backend=wasm&section=beyond');
  return { page, errors };
}

async function run(page: Page, cellId: string): Promise<Locator> {
  const cell = page.locator(`.cell[data-cell="${cellId}"]`);
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator(`.cell[data-cell="${cellId}"][data-state="done"]`).waitFor({ timeout: 240_000 });
  return cell;
}

/** Each chart of a cell once drawn: its label and how many points it drew. */
async function drawn(cell: Locator, count: number): Promise<{ label: string; points: number }[]> {
  const plots = cell.getByTestId('plot');
  await expect.poll(() => plots.count(), { timeout: 240_000 }).toBe(count);
  await chartsDrawn(plots);
  return plots.evaluateAll((els) => els.map((e) => ({ label: e.getAttribute('aria-label') ?? '', points: Number(e.getAttribute('data-points')) })));
}

describe('the challenges, in Chromium', () => {
  it('draws the precomputed time-input curves at once, then trains the three variants here', async () => {
    const { page, errors } = await open();
    const cell = await run(page, 'time-input');
    const curves = (await page.evaluate(() => fetch('challenges/time-input.json').then((r) => r.json()))) as {
      steps: number;
      checkT: number[];
      variants: { checkups: unknown[] }[];
    };
    const plots = await drawn(cell, 3);
    expect(plots[0].label).toMatch(/^Training loss of the learns recipe with each time input/);
    const every = Math.ceil(curves.steps / 500); // each smoothed curve is thinned to at most 500 points
    expect(plots[0].points).toBe(3 * Math.floor(curves.steps / every));
    expect(plots[1].points).toBe(curves.variants.reduce((n, v) => n + v.checkups.length, 0));
    expect(plots[2].points).toBe(4 * 19); // three variants and the best possible at 19 ratios
    const rows = await page
      .getByTestId('time-input-summary')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent ?? '')));
    // Each time input from the shipped seed and from the second draw.
    expect(rows.map((r) => `${r[0]}, ${r[1]}`)).toEqual([
      'learned MLP (the notebook), 42',
      'learned MLP (the notebook), 7',
      'fixed sinusoids of t, 42',
      'fixed sinusoids of t, 7',
      'no time input, 42',
      'no time input, 7',
    ]);
    for (const r of rows) for (const a of r.slice(2, 5)) expect(a).toMatch(/^\d+\.\d%$/);
    expect(await page.getByTestId('time-input-reading').textContent()).toContain('A second run from seed 7');

    // Three steps each, in the worker, one variant after another.
    await cell.getByRole('textbox', { name: 'Steps for each' }).fill('3');
    await cell.getByRole('button', { name: 'Train them here (3 × 3 steps)' }).click();
    await expect
      .poll(() => cell.getByTestId('comparison-status').textContent(), { timeout: 240_000 })
      .toBe('All 3 variants trained for 3 steps each.');
    const live = await drawn(cell, 5);
    expect(live[3].label).toBe('Live training loss of each variant, 1-step moving average, 3 steps each');
    expect(live[3].points).toBe(9); // three curves of three steps (none skipped at batch 64)
    expect(live[4].points).toBe(4 * curves.checkT.length); // three variants and the best possible at the check-up ratios
    const results = await cell.getByTestId('comparison-results').locator('li').allTextContents();
    expect(results).toHaveLength(3);
    expect(results[2]).toMatch(/^no time input after 3 steps: \d+% at t = 0\.1, /);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('shows the loss by ratio and the ELBO for the shipped model, and cancels a comparison', async () => {
    const { page, errors } = await open();
    const byRatio = page.locator('.cell[data-cell="loss-by-ratio"]');
    await pickLearns(byRatio);
    await byRatio.locator('.model-picker').waitFor({ state: 'detached', timeout: 240_000 });
    await run(page, 'loss-by-ratio');
    const [lossPlot] = await drawn(byRatio, 1);
    expect(lossPlot.points).toBe(20 + 20 + 15); // this model and the best possible at 20 bins, the notebook checkpoint at 15 ratios
    const summary = (await page.getByTestId('loss-by-ratio-summary').textContent())!;
    expect(summary).toMatch(/^pretrained: the learns recipe, 5000 steps: \d\.\d{3} nats a masked token at t = 0\.025, /);
    // The learns recipe fills lightly masked sequences almost perfectly.
    expect(Number(summary.match(/: (\d\.\d{3}) nats/)![1])).toBeLessThan(0.05);

    const elbo = await run(page, 'elbo');
    await drawn(elbo, 1);
    const bits = Number(
      await page
        .getByTestId('elbo-bits')
        .textContent()
        .then((s) => s!.split(' ')[0]),
    );
    // Never below the data's entropy; the learns checkpoint is near it but short (its eval file says about 0.6).
    expect(bits).toBeGreaterThan(0.415);
    expect(bits).toBeLessThan(1);
    expect(await page.getByTestId('elbo-summary').textContent()).toContain("the data's exact entropy is 0.415");
    await elbo.getByRole('radio', { name: /mean over masked tokens/ }).check();
    await expect.poll(() => page.getByTestId('elbo-summary').textContent()).toMatch(/^The bars add up to \d\.\d{3} nats a masked token/);
    expect(await elbo.getByTestId('plot').getAttribute('aria-label')).toMatch(/^How much each masking-ratio bin adds to the pooled mean/);

    // A comparison of the two objectives can be cancelled mid-run.
    await elbo.getByRole('textbox', { name: 'Steps for each' }).fill('200');
    await elbo.getByRole('button', { name: 'Train them here (2 × 200 steps)' }).click();
    await expect
      .poll(() => elbo.getByTestId('comparison-status').textContent(), { timeout: 240_000 })
      .toMatch(/^Training pooled mean \(the notebook\) \(1 of 2\): step [1-9]/);
    await elbo.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => elbo.getByTestId('comparison-status').textContent(), { timeout: 240_000 })
      .toMatch(/^Cancelled during pooled mean \(the notebook\), at step \d+\.$/);
    expect(await elbo.getByRole('button', { name: /Train them here/ }).isEnabled()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
