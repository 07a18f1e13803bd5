/** Waiting for a chart to be drawn, as a reader would see it: charts draw once they come near the screen. */
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Scroll to the chart (or to each of several) and wait until Plotly has drawn its data. */
export async function chartsDrawn(plots: Locator): Promise<void> {
  const count = await plots.count();
  for (let i = 0; i < count; i++) {
    const plot = plots.nth(i);
    await plot.scrollIntoViewIfNeeded();
    await expect.poll(() => plot.getAttribute('data-ready'), { timeout: 240_000 }).toBe('true');
  }
}

/** Wait until no chart is drawing (aria-busy), and the page has painted since: what a screenshot should show. */
export async function chartsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() => !document.querySelector('[data-testid="plot"][aria-busy="true"]'), undefined, { timeout: 240_000, polling: 100 });
  await page.evaluate(() => new Promise((painted) => requestAnimationFrame(() => requestAnimationFrame(painted))));
}
