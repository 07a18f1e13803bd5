/** The curriculum recipe's ingredients: its schedule, its t curriculum and warp, and that a run resumes on the same curriculum step. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA } from '../../src/core/config.ts';
import { learningRate } from '../../src/core/optim.ts';
import { CURRICULUM, LEARNS, getRecipe } from '../../src/core/recipes.ts';
import { Rng } from '../../src/core/rng.ts';
import { sampleBatch, tUpper } from '../../src/core/training.ts';

describe('the curriculum recipe', () => {
  it('holds the peak learning rate to 70% of the run, then follows a cosine to 0', () => {
    const s = CURRICULUM.schedule;
    const total = CURRICULUM.steps;
    expect(learningRate(s, 0, total)).toBeCloseTo(2e-5, 12); // warm-up: 2e-3 · 1/100
    expect(learningRate(s, 99, total)).toBeCloseTo(2e-3, 12);
    // The decay starts at warm-up + 70% of the remaining 3900 steps = step 2830.
    expect(learningRate(s, 2830, total)).toBeCloseTo(2e-3, 12);
    expect(learningRate(s, 2831, total)).toBeLessThan(2e-3);
    expect(learningRate(s, 100 + 0.85 * 3900, total)).toBeCloseTo(1e-3, 9); // half-way down the cosine
    expect(learningRate(s, total - 1, total)).toBeLessThan(1e-6);
    // With the whole run decaying it is the plain cosine.
    const whole = { ...s, decayFraction: 1 };
    for (const step of [100, 700, 2000, 3999]) expect(learningRate(whole, step, total)).toBeCloseTo(learningRate({ ...s, kind: 'cosine' }, step, total), 15);
  });

  it('ramps the upper bound of t from 0.31 to 1 over 1600 steps, and leaves other recipes alone', () => {
    expect(tUpper(CURRICULUM, 0)).toBeCloseTo(0.02 + 0.98 * 0.3, 12);
    expect(tUpper(CURRICULUM, 800)).toBeCloseTo(0.02 + 0.98 * 0.65, 12);
    expect(tUpper(CURRICULUM, 1600)).toBe(1);
    expect(tUpper(CURRICULUM, 4000)).toBe(1);
    expect(tUpper(LEARNS, 0)).toBe(1);
    expect(getRecipe('curriculum')).toBe(CURRICULUM);
  });

  it('draws t within the current bound, warped so its density grows linearly', () => {
    const rng = new Rng(3);
    const early: number[] = [];
    const late: number[] = [];
    for (let i = 0; i < 200; i++) {
      early.push(...sampleBatch(rng, CURRICULUM, DEFAULT_DATA, 0).t);
      late.push(...sampleBatch(rng, CURRICULUM, DEFAULT_DATA, 2000).t);
    }
    const hi0 = tUpper(CURRICULUM, 0);
    expect(Math.max(...early)).toBeLessThanOrEqual(hi0 + 1e-6);
    expect(Math.min(...early)).toBeGreaterThanOrEqual(0.02 - 1e-6);
    // t = tMin + (hi - tMin)·√u: E[√u] = 2/3, Var = 1/18; 12,800 draws, so 4 standard errors is about 0.009.
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(Math.abs((mean(late) - 0.02) / 0.98 - 2 / 3)).toBeLessThan(0.009);
    expect(Math.abs((mean(early) - 0.02) / (hi0 - 0.02) - 2 / 3)).toBeLessThan(0.009);
  });
});
