/** The lazy loader: one download shared by every chart, and a fresh try after a failure. */
import { describe, expect, it, vi } from 'vitest';

const bundle = vi.hoisted(() => ({ loads: 0, failFirst: true, plotly: { version: 'fake' } }));

// jsdom cannot evaluate plotly.js itself; the loader's logic is what is under test.
vi.mock('../../src/ui/plot/plotly-bundle.ts', () => {
  bundle.loads++;
  if (bundle.failFirst && bundle.loads === 1) throw new Error('offline');
  return { default: bundle.plotly };
});

describe('loadPlotly', () => {
  it('retries after a failed load, then shares one result', async () => {
    const { loadPlotly } = await import('../../src/ui/plot/plotly.ts');
    await expect(loadPlotly()).rejects.toThrow(); // Vitest wraps the factory's error
    const a = loadPlotly();
    const b = loadPlotly();
    expect(a).toBe(b);
    expect(await a).toBe(bundle.plotly);
    expect(await loadPlotly()).toBe(bundle.plotly);
    expect(bundle.loads).toBe(2);
  });
});
