/** Learning-rate schedules against the PyTorch search's own (bench/recipe-search/ens.py lr_table). */
import { describe, expect, it } from 'vitest';
import { learningRate, learningRates, type ScheduleConfig } from '../../src/core/optim.ts';

// ens.lr_table(dict(lr=2e-3, warmup=100, sched=..., decay_frac=0.3), 2000) at these steps (float32 there).
const HOLD_THEN_COSINE: [number, number][] = [
  [0, 1.9999999494757503e-5],
  [49, 1.0000000474974513e-3],
  [99, 2.0000000949949026e-3],
  [100, 2.0000000949949026e-3],
  [1000, 2.0000000949949026e-3],
  [1430, 2.0000000949949026e-3],
  [1431, 1.9999847281724215e-3],
  [1715, 1.0000000474974513e-3],
  [1999, 1.5188641455665675e-8],
];
const COSINE: [number, number][] = [
  [100, 2.0000000949949026e-3],
  [1000, 1.0825793724507093e-3],
  [1999, 1.3669808618388402e-9],
];

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

describe('learning-rate schedules', () => {
  it("'constant-cosine' warms up, holds the peak, then falls along a cosine over the last share of the run", () => {
    const s: ScheduleConfig = { lr: 2e-3, warmupSteps: 100, kind: 'constant-cosine', decayFraction: 0.3, minLr: 0 };
    for (const [step, want] of HOLD_THEN_COSINE) expect(rel(learningRate(s, step, 2000), want)).toBeLessThan(1e-6);
    // Half way down the decay it is at half the peak; never above the peak, never below the floor.
    const all = learningRates(s, 2000);
    expect(Math.max(...all)).toBe(2e-3);
    expect(Math.min(...all.slice(100))).toBeGreaterThanOrEqual(0);
    expect(all.slice(100, 1430).every((x) => x === 2e-3)).toBe(true);
  });

  it("'cosine' is PyTorch's cosine annealing after the warm-up, and 'constant-cosine' with decayFraction 1 is the same", () => {
    const cosine: ScheduleConfig = { lr: 2e-3, warmupSteps: 100, kind: 'cosine', minLr: 0 };
    for (const [step, want] of COSINE) expect(rel(learningRate(cosine, step, 2000), want)).toBeLessThan(1e-5);
    const whole: ScheduleConfig = { ...cosine, kind: 'constant-cosine', decayFraction: 1 };
    expect(learningRates(whole, 2000)).toEqual(learningRates(cosine, 2000));
  });

  it('refuses a decay share outside (0, 1] by name', () => {
    for (const decayFraction of [0, -0.1, 1.5, Number.NaN]) {
      const s: ScheduleConfig = { lr: 1e-3, warmupSteps: 0, kind: 'constant-cosine', decayFraction, minLr: 0 };
      expect(() => learningRate(s, 10, 100)).toThrow(/decayFraction must be in \(0, 1\]/);
    }
  });
});
