/** The curriculum recipe's ingredients: its t curriculum and its warp towards high t. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA } from '../../src/core/config.ts';
import { CURRICULUM, LEARNS, getRecipe } from '../../src/core/recipes.ts';
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
