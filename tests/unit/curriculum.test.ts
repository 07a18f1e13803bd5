/** The curriculum recipe's ingredients (its t curriculum and its warp towards high t), and the fast recipe's. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA } from '../../src/core/config.ts';
import { learningRates } from '../../src/core/optim.ts';
import { CURRICULUM, FAST, LEARNS, getRecipe } from '../../src/core/recipes.ts';
import { Rng } from '../../src/core/rng.ts';
import { sampleBatch, tUpper } from '../../src/core/training.ts';

describe('the curriculum recipe', () => {
  it('ramps the upper bound of t from 0.31 to 1 over the first 40% of the run, and leaves other recipes alone', () => {
    expect(CURRICULUM.steps).toBe(6500); // 5000 left three of three seeds 2.0-2.5 points short at t = 0.77
    expect(tUpper(CURRICULUM, 0, 5000)).toBeCloseTo(0.02 + 0.98 * 0.3, 12);
    expect(tUpper(CURRICULUM, 1000, 5000)).toBeCloseTo(0.02 + 0.98 * 0.65, 12);
    expect(tUpper(CURRICULUM, 2000, 5000)).toBe(1);
    expect(tUpper(CURRICULUM, 4999, 5000)).toBe(1);
    // A shorter run keeps the curriculum's shape: 40% of 300 steps.
    expect(tUpper(CURRICULUM, 60, 300)).toBeCloseTo(0.02 + 0.98 * 0.65, 12);
    expect(tUpper(CURRICULUM, 120, 300)).toBe(1);
    expect(tUpper(LEARNS, 0, 5000)).toBe(1);
    expect(getRecipe('curriculum')).toBe(CURRICULUM);
  });

  it('draws t within the current bound, warped so its density grows linearly', () => {
    const rng = new Rng(3);
    const early: number[] = [];
    const late: number[] = [];
    for (let i = 0; i < 200; i++) {
      early.push(...sampleBatch(rng, CURRICULUM, DEFAULT_DATA, 0, 5000).t);
      late.push(...sampleBatch(rng, CURRICULUM, DEFAULT_DATA, 2000, 5000).t);
    }
    const hi0 = tUpper(CURRICULUM, 0, 5000);
    expect(Math.max(...early)).toBeLessThanOrEqual(hi0 + 1e-6);
    expect(Math.min(...early)).toBeGreaterThanOrEqual(0.02 - 1e-6);
    // t = tMin + (hi - tMin)·√u: E[√u] = 2/3, Var = 1/18; 12,800 draws, so 4 standard errors is about 0.009.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs((mean(late) - 0.02) / 0.98 - 2 / 3)).toBeLessThan(0.009);
    expect(Math.abs((mean(early) - 0.02) / (hi0 - 0.02) - 2 / 3)).toBeLessThan(0.009);
  });
});

describe('the fast recipe', () => {
  it('is the curriculum in batches of 32, its t ramp over the first 64% of 5000 steps', () => {
    expect(getRecipe('fast')).toBe(FAST);
    expect([FAST.batchSize, FAST.steps, FAST.tWarp, FAST.embedInitStd, FAST.dropout]).toEqual([
      32,
      5000,
      CURRICULUM.tWarp,
      CURRICULUM.embedInitStd,
      0,
    ]);
    expect(tUpper(FAST, 0, FAST.steps)).toBeCloseTo(0.02 + 0.98 * 0.3, 12);
    expect(tUpper(FAST, 1600, FAST.steps)).toBeCloseTo(0.02 + 0.98 * 0.65, 12);
    expect(tUpper(FAST, 3199, FAST.steps)).toBeLessThan(1);
    expect(tUpper(FAST, 3200, FAST.steps)).toBe(1);
  });

  it('warms up over 100 steps, holds 2e-3, and decays to 0 over the last 30% of the steps after warm-up', () => {
    const lr = learningRates(FAST.schedule, FAST.steps);
    expect(lr[0]).toBeCloseTo(2e-5, 12);
    expect(lr[99]).toBeCloseTo(2e-3, 12);
    const decayFrom = 100 + 0.7 * 4900 + 1; // progress (step - 100) / 4900 is exactly 70% one step before
    expect(lr.slice(100, decayFrom).every((x) => Math.abs(x - 2e-3) < 1e-12)).toBe(true);
    expect(lr[decayFrom]).toBeLessThan(2e-3);
    // Half-way through the decay, a cosine is at half the peak.
    expect(lr[100 + Math.round(0.85 * 4900)]).toBeCloseTo(1e-3, 5);
    expect(lr[FAST.steps - 1]).toBeLessThan(1e-8);
    for (let i = decayFrom; i < lr.length; i++) expect(lr[i]).toBeLessThanOrEqual(lr[i - 1]);
  });
});
