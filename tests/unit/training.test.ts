import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { NOTEBOOK, type Recipe } from '../../src/core/recipes.ts';
import { Rng } from '../../src/core/rng.ts';
import { train, Trainer, type StepReport } from '../../src/core/training.ts';
import { NODE_BACKENDS, useBackend } from '../helpers/backends.ts';

const small: Recipe = { ...NOTEBOOK, batchSize: 16, steps: 40 };

async function weightsOf(model: DiffusionLM): Promise<Float32Array[]> {
  return [...(await model.stateDict()).values()];
}

describe.each(NODE_BACKENDS)('training on %s', (backend) => {
  it('leaks no tensor over several steps, dropout on', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    const reports: StepReport[] = [];
    const result = await train(model, { recipe: small, seed: 2, steps: 4 }, (r) => reports.push(r));
    expect(result.reason).toBe('completed');
    expect(reports.map((r) => r.step)).toEqual([1, 2, 3, 4]);
    for (const r of reports) {
      expect(Number.isFinite(r.loss)).toBe(true);
      expect(r.gradNorm).toBeGreaterThan(0);
      expect(r.stepsPerSec).toBeGreaterThan(0);
    }
    // Cosine from 3e-4 over 4 steps: 3e-4, then lower each step.
    expect(reports[0].lr).toBeCloseTo(3e-4, 12);
    expect(reports[3].lr).toBeLessThan(reports[2].lr);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('training (wasm)', () => {
  it('lowers the loss', async () => {
    await useBackend('wasm');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    const losses: number[] = [];
    const recipe = { ...small, dropout: 0, schedule: { ...small.schedule, lr: 2e-3 } };
    await train(model, { recipe, seed: 3, steps: 40 }, (r) => losses.push(r.loss));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // From ~2.8 (uniform-ish over 15 tokens) towards "a token of this sequence".
    expect(mean(losses.slice(-8))).toBeLessThan(mean(losses.slice(0, 8)) - 0.3);
    model.dispose();
  });

  it('resumes exactly where it stopped', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const straight = new DiffusionLM(DEFAULT_MODEL, new Rng(5));
    const t1 = new Trainer(straight, small, { seed: 6, steps: 6 });
    await t1.run();
    const expected = await weightsOf(straight);

    const first = new DiffusionLM(DEFAULT_MODEL, new Rng(5));
    const t2 = new Trainer(first, small, { seed: 6, steps: 6 });
    const paused = await t2.run({ untilStep: 3 });
    expect(paused).toMatchObject({ reason: 'aborted', step: 3 });
    const state = await t2.getState();
    const saved = await first.stateDict();

    const resumed = new DiffusionLM(DEFAULT_MODEL, new Rng(999));
    resumed.loadStateDict(saved);
    const t3 = new Trainer(resumed, small, { seed: 12345, steps: 6 });
    t3.setState(state);
    const steps: number[] = [];
    expect(await t3.run({}, (r) => steps.push(r.step))).toMatchObject({ reason: 'completed', step: 6 });
    expect(steps).toEqual([4, 5, 6]);
    expect(await weightsOf(resumed)).toEqual(expected);
    for (const x of [t1, t2, t3]) x.dispose();
    for (const m of [straight, first, resumed]) m.dispose();
    expect(tf.memory().numTensors).toBe(before); // saving the state (getState, stateDict) frees what it reads
  });

  it('stops when asked, between steps', async () => {
    await useBackend('wasm');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    const abort = new AbortController();
    const result = await train(model, { recipe: small, seed: 1, steps: 40, signal: abort.signal }, (r) => {
      if (r.step === 2) abort.abort();
    });
    expect(result).toMatchObject({ reason: 'aborted', step: 2 });
    model.dispose();
  });

  it('stops on a non-finite update and keeps the last good weights', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    const start = await weightsOf(model);
    // lr 1e39 is infinite in float32: every updated weight overflows.
    const result = await train(model, { recipe: { ...small, schedule: { ...small.schedule, lr: 1e39 } }, seed: 1, steps: 5 });
    expect(result.reason).toBe('non-finite');
    expect(result.step).toBe(0);
    expect(result.message).toMatch(/keeps its weights from step 0/);
    expect(await weightsOf(model)).toEqual(start);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops on a NaN loss with a clear reason', async () => {
    await useBackend('wasm');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    const state = await model.stateDict();
    state.get('output_head.bias')!.fill(Number.NaN);
    model.loadStateDict(state);
    const result = await train(model, { recipe: small, seed: 1, steps: 5 });
    expect(result.reason).toBe('non-finite');
    expect(result.message).toMatch(/the loss was NaN/);
    model.dispose();
  });

  it('skips a batch with no masked token without stepping the optimizer', async () => {
    await useBackend('wasm');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    const start = await weightsOf(model);
    const reports: StepReport[] = [];
    const result = await train(model, { recipe: { ...small, tMin: 0, tMax: 0 }, seed: 1, steps: 3 }, (r) => reports.push(r));
    expect(result.reason).toBe('completed');
    expect(reports.every((r) => r.skipped && Number.isNaN(r.loss))).toBe(true);
    // The schedule did not advance: every report shows the initial rate.
    expect(reports.map((r) => r.lr)).toEqual([3e-4, 3e-4, 3e-4]);
    expect(await weightsOf(model)).toEqual(start);
    model.dispose();
  });

  it('rejects a bad step count', () => {
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    expect(() => new Trainer(model, small, { steps: 0 })).toThrow(/steps must be a positive integer/);
    model.dispose();
  });
});
