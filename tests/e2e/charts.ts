/** Waiting for a chart to be drawn, as a reader would see it: charts draw once they come near the screen. */
import { expect } from 'vitest';
import type { Locator } from 'playwright-core';

/** Scroll to the chart (or to each of several) and wait until Plotly has drawn its data. */
export async function chartsDrawn(plots: Locator): Promise<void> {
  const count = await plots.count();
  for (let i = 0; i < count; i++) {
    const plot = plots.nth(i);
    await plot.scrollIntoViewIfNeeded();
    await expect.poll(() => plot.getAttribute('data-ready'), { timeout: 240_000 }).toBe('true');
  }
}
