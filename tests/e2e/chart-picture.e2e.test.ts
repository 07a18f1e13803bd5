/**
 * Every chart of the lesson is first drawn as a static picture (static-chart.ts), and
 * Plotly takes over when the reader reaches for it. The two must show the same chart: the
 * same tick labels, axis titles, legend and line names, and the plot area in the same
 * place, so nothing moves under the reader's pointer. Plotly is measured against itself
 * here, in the same page, chart by chart.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from './browser.ts';

const env = useBuiltApp();
const SHOTS = '.artifacts/screenshots';

interface Drawn {
  renderer: string | null;
  /** Left, top, width, height of the plot area, in CSS pixels. */
  area: number[] | null;
  /** Every piece of text on the chart, sorted: ticks, titles, legend, labels. */
  texts: string[];
}

describe('a chart drawn as a picture, then by Plotly', () => {
  it('shows the same axes, ticks, titles and legend in the same place, and loads Plotly only when reached for', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.app.url + '?backend=wasm');
    await page.getByRole('button', { name: 'Run all' }).click();
    await page
      .locator('.cell .model-picker')
      .first()
      .getByRole('button', { name: /learns recipe/ })
      .click({ timeout: 240_000 });
    await page.getByTestId('model-label').filter({ hasText: 'pretrained' }).waitFor({ timeout: 240_000 });
    await page.waitForFunction(() => [...document.querySelectorAll('.cell')].every((c) => c.getAttribute('data-state') === 'done'), undefined, {
      timeout: 480_000,
      polling: 500,
    });
    mkdirSync(SHOTS, { recursive: true });

    const plots = page.getByTestId('plot');
    const count = await plots.count();
    expect(count).toBeGreaterThan(15);
    const plotlyLoaded = () => page.evaluate(() => performance.getEntriesByType('resource').some((r) => r.name.includes('plotly-bundle')));
    for (let i = 0; i < count; i++) {
      const plot = plots.nth(i);
      await plot.scrollIntoViewIfNeeded();
      await expect.poll(() => plot.getAttribute('data-ready'), { timeout: 240_000 }).toBe('true');
      const read = () =>
        plot.evaluate((gd): Drawn => {
          const renderer = gd.getAttribute('data-renderer');
          const area = gd.querySelector('[data-plot-area], .draglayer .nsewdrag');
          // Plotly writes a two-line title as one <text> with a <tspan> a line; the picture as two <text>s.
          const parts = [
            ...gd.querySelectorAll(
              renderer === 'static'
                ? 'svg text'
                : '.xtick text, .ytick text, .cbaxis text, .gtitle, .xtitle tspan, .ytitle tspan, .xtitle:not(:has(tspan)), .ytitle:not(:has(tspan)), .legendtext, .annotation-text',
            ),
          ];
          return {
            renderer,
            area: area && ['x', 'y', 'width', 'height'].map((k) => Math.round(Number(area.getAttribute(k)))),
            texts: parts
              .map((t) => (t.textContent ?? '').trim())
              .filter((t) => t !== '')
              .sort(),
          };
        });
      const picture = await read();
      const name = (await plot.getAttribute('aria-label')) ?? `chart ${i}`;
      expect(picture.renderer, name).toBe('static');
      if (i === 0) {
        // Nothing reached for a chart yet: not the clicks above, nor charts scrolled under the pointer.
        const engaged = await page.evaluate(() =>
          [...document.querySelectorAll('[data-renderer="plotly"]')].map((p) => p.getAttribute('aria-label')),
        );
        expect(engaged).toEqual([]);
        expect(await plotlyLoaded()).toBe(false);
      }
      await plot.screenshot({ path: `${SHOTS}/chart-${i}-picture.png` });

      await plot.hover();
      await expect
        .poll(() => plot.evaluate((gd) => gd.getAttribute('data-renderer') === 'plotly' && !gd.hasAttribute('aria-busy')), { timeout: 240_000 })
        .toBe(true);
      await page.mouse.move(0, 0);
      const plotly = await read();
      await plot.screenshot({ path: `${SHOTS}/chart-${i}-plotly.png` });

      expect(picture.texts, name).toEqual(plotly.texts);
      // Plotly sizes margins from each text's own box (a title with a descender takes a few
      // pixels more), and places a heatmap's colour bar by its own rules: a few pixels off ours.
      const heatmap = await plot.evaluate((gd) => gd.querySelector('.hm, .heatmaplayer image') !== null);
      const tolerance = heatmap ? 10 : 4;
      picture.area!.forEach((v, k) =>
        expect(Math.abs(v - plotly.area![k]), `${name}: plot area ${picture.area} vs Plotly's ${plotly.area}`).toBeLessThanOrEqual(tolerance),
      );
    }
    expect(await plotlyLoaded()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 900_000);
});
