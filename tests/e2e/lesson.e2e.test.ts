/**
 * The built lesson in real Chromium, as a learner uses it: every section's
 * cells run, figures hold data, numbers read right, nothing then scrolls
 * sideways at 390, 1366 or 1920 px, and axe finds no serious problem.
 * Screenshots of each section land in .artifacts/screenshots for a human to
 * look at. (Projector mode and the layout before any run: classroom.e2e.)
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { axe, useBuiltApp } from './browser.ts';
import { chartsDrawn, chartsSettled } from './charts.ts';
import { sideways, SIZES, withEverySectionLaidOut } from './layout.ts';
import { DEFAULT_RECIPE } from '../../src/ui/training/live-training.ts';

const SHOTS = '.artifacts/screenshots';

const env = useBuiltApp();
beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

async function open(query: string, init?: (page: Page) => Promise<void>) {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await init?.(page);
  await page.goto(env.app.url + query);
  await page.locator('.lesson-section').first().waitFor();
  return { page, errors };
}

/** Wait until every section's cells have loaded and none is running. */
async function settle(page: Page, timeout = 240_000) {
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.cell-loading').length === 0 &&
      document.querySelectorAll('.cell[data-state="running"], .cell[data-state="queued"]').length === 0,
    undefined,
    { timeout, polling: 250 },
  );
}

describe('the lesson in Chromium', () => {
  it('runs every cell of every section, with the pretrained model, and reads right', async () => {
    const { page, errors } = await open('?backend=wasm');
    await page.getByRole('button', { name: 'Run all' }).click();
    await settle(page);
    // Cells that need a model offer the shipped checkpoints instead of an empty figure.
    const pickers = page.locator('.cell .model-picker');
    await pickers.first().waitFor();
    await pickers
      .first()
      .getByRole('button', { name: /learns recipe/ })
      .click();
    await page.getByTestId('model-label').filter({ hasText: 'pretrained' }).waitFor({ timeout: 240_000 });
    // The cells Run all asked for before there was a model run now by themselves. (A second
    // Run all here had to wait for a page busy with them, and timed out on a loaded machine.)
    await page.waitForFunction(
      () => document.querySelectorAll('.cell[data-state="done"]').length === document.querySelectorAll('.cell').length,
      undefined,
      {
        timeout: 240_000,
        polling: 500,
      },
    );

    const states = await page
      .locator('.cell')
      .evaluateAll((cells) => cells.map((c) => `${c.getAttribute('data-cell')}:${c.getAttribute('data-state')}`));
    expect(states.length).toBe(SECTIONS.reduce((n, s) => n + s.cells.length, 0));
    expect(states.filter((s) => !s.endsWith(':done'))).toEqual([]);

    // What a learner reads.
    expect(await page.getByTestId('param-count').textContent()).toBe('156,304');
    expect(await page.getByTestId('backend').textContent()).toBe('wasm');
    const worst = Number((await page.getByTestId('fraction-worst').textContent())!.match(/ratios × \d+ sequences: (\d+\.\d+)/)![1]);
    expect(worst).toBeLessThan(0.01); // 32,000 tokens a ratio: 4 standard errors is under 0.012
    expect(await page.getByTestId('expected-masks').textContent()).toBe('4');
    expect(await page.getByTestId('loss-result').textContent()).toContain('0.511 + 0.223 = 0.734');
    const summary = (await page.getByTestId('accuracy-summary').textContent())!;
    const lowT = Number(summary.match(/: ([\d.]+)% at t = 0\.10/)![1]);
    expect(lowT).toBeGreaterThan(95); // the learns recipe's checkpoint recovers the pattern at low t

    // Every chart drew real data. Charts draw as the reader comes near them, one per
    // animation frame page-wide: scroll to each in turn, as a reader would.
    await chartsDrawn(page.getByTestId('plot')).catch(async (e: unknown) => {
      const pending = await page
        .getByTestId('plot')
        .evaluateAll((els) =>
          els
            .filter((e) => e.getAttribute('data-ready') !== 'true')
            .map((e) => e.getAttribute('aria-label') ?? e.closest('.cell')?.getAttribute('data-cell')),
        );
      throw new Error(`charts never drawn: ${JSON.stringify(pending)}`, { cause: e });
    });
    const plots = await page.getByTestId('plot').evaluateAll((els) =>
      els.map((e) => ({
        label: e.getAttribute('aria-label') ?? '',
        ready: e.getAttribute('data-ready'),
        points: Number(e.getAttribute('data-points')),
      })),
    );
    expect(plots.length).toBeGreaterThanOrEqual(8);
    for (const p of plots) expect(p.ready).toBe('true');
    // The live loss chart is drawn before any run, empty; every other chart has data.
    expect(plots.filter((p) => p.points === 0).map((p) => p.label)).toEqual([`Training loss of the ${DEFAULT_RECIPE} recipe: no steps yet`]);

    // After every cell has run, nothing scrolls sideways at any size (classroom.e2e checks before).
    for (const size of SIZES) {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.waitForFunction((w) => document.documentElement.clientWidth === w, size.width);
      expect(await sideways(page), `after every cell, ${size.width} px`).toEqual({ overflow: 0, culprits: [] });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        for (const id of ['statistics', 'results']) {
          await page.locator(`#${id} .cell`).first().scrollIntoViewIfNeeded();
          await chartsSettled(page); // charts on screen redraw for the new width and theme
          await page.screenshot({ path: `${SHOTS}/after-run-${id}-${size.width}-${scheme}.png` });
        }
      }
      await page.emulateMedia({ colorScheme: 'light' });
    }
    await page.setViewportSize({ width: 1280, height: 900 });

    // The sticky toolbar would sit over each section's screenshot. A section taller than the
    // screen is captured beyond it, where content-visibility would skip its rendering (03-math
    // came out blank): render every section, as a reader scrolling through it would see it.
    await page.addStyleTag({ content: '.topbar { position: static !important; }' });
    await withEverySectionLaidOut(page, async () => {
      for (const s of SECTIONS) {
        await page.locator(`#${s.id}`).screenshot({ path: `${SHOTS}/${String(s.index).padStart(2, '0')}-${s.id}.png` });
        expect(await axe(page, `#${s.id}`), `axe on section ${s.id}`).toEqual([]);
      }
    });
    expect(await axe(page, '.hero'), 'axe on the first screen').toEqual([]);
    expect(await axe(page, 'header.topbar'), 'axe on the toolbar').toEqual([]);
    expect(await axe(page, 'nav.toc'), 'axe on the table of contents').toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('keeps seed, section and progress across a reload, and carries them in the URL', async () => {
    const { page, errors } = await open('?backend=wasm&section=statistics&seed=7');
    await page.waitForFunction(() => location.search.includes('section=statistics') && location.search.includes('seed=7'));
    expect(await page.locator('#seed-input').inputValue()).toBe('7');
    // It needs no input: it runs by itself once on screen.
    await page.locator('.cell[data-cell="fraction-vs-t"][data-state="done"]').waitFor();
    await page.locator('#seed-input').fill('123');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForFunction(() => location.search.includes('seed=123'));
    await page.goto(env.app.url + '?backend=wasm');
    await page.locator('.lesson-section').first().waitFor();
    expect(await page.locator('#seed-input').inputValue()).toBe('123');
    await expect.poll(() => page.locator('nav.toc a', { hasText: 'statistics' }).getAttribute('aria-current')).toBe('location');
    // The cell run before the reload shows its output again, and the contents count it.
    await page.locator('.cell[data-cell="fraction-vs-t"][data-state="done"]').waitFor();
    expect(await page.locator('nav.toc a', { hasText: 'statistics' }).textContent()).toMatch(/[123]\/3|✓/);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('rejects a bad link with a clear message and starts safely', async () => {
    const { page, errors } = await open('?backend=wasm&section=nowhere&seed=-5');
    const alert = page.locator('.warnings');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('There is no section "nowhere"');
    expect(await alert.textContent()).toContain('Seed "-5" is not a whole number');
    expect(await page.locator('#seed-input').inputValue()).toBe('42');
    expect(errors).toEqual([]);
    await page.close();
  });
});
