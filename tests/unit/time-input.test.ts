/**
 * The model's three time inputs: the notebook's learned MLP (unchanged), fixed
 * sinusoids of 1000·t, and none at all; and the recipe overrides that pick them.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM, type TimeInput } from '../../src/core/model.ts';
import { sinusoidalTable } from '../../src/core/params.ts';
import { initOptions, LEARNS, NOTEBOOK, RECIPES, withOverrides } from '../../src/core/recipes.ts';
import { Rng } from '../../src/core/rng.ts';
import { Trainer } from '../../src/core/training.ts';
import { readWeights } from '../../src/core/weights.ts';
import { fixture, fixtureJson, useBackend } from '../helpers/backends.ts';

interface Case {
  tokens: number[];
  t: number;
  probs: number[][];
}
const cases = fixtureJson<{ cases: Case[] }>('cases.json').cases;

/** A model of the given variant carrying the PyTorch fixture's weights. */
function fixtureModel(timeInput?: TimeInput): DiffusionLM {
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0), timeInput ? { timeInput } : {});
  model.loadStateDict(readWeights(fixture('weights.safetensors'), DEFAULT_MODEL));
  return model;
}

/** Eval-mode probabilities of one sequence at each t in `ts`. */
async function probsAt(model: DiffusionLM, tokens: number[], ts: number[]): Promise<Float32Array> {
  const xt = tf.tensor2d(
    ts.map(() => tokens),
    [ts.length, tokens.length],
    'int32',
  );
  const t = tf.tensor2d(
    ts.map((v) => [v]),
    [ts.length, 1],
  );
  try {
    return await model.predictProbs(xt, t);
  } finally {
    tf.dispose([xt, t]);
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Rows i and j of a [rows, n] array, as the largest absolute difference between them. */
function rowDiff(x: Float32Array, rows: number, i: number, j: number): number {
  const n = x.length / rows;
  return maxAbsDiff(x.subarray(i * n, (i + 1) * n), x.subarray(j * n, (j + 1) * n));
}

describe('time input (wasm)', () => {
  it("'learned' is the default and still matches PyTorch on every fixture case", async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const plain = fixtureModel();
    const learned = fixtureModel('learned');
    expect(plain.timeInput).toBe('learned');
    for (const c of cases) {
      const a = await probsAt(plain, c.tokens, [c.t]);
      const b = await probsAt(learned, c.tokens, [c.t]);
      expect(maxAbsDiff(a, b)).toBe(0); // bit for bit the same model
      expect(maxAbsDiff(b, c.probs.flat())).toBeLessThan(1e-5);
    }
    plain.dispose();
    learned.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("'none' gives the same output at every t, and differs from 'learned'", async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const none = fixtureModel('none');
    const learned = fixtureModel('learned');
    const tokens = cases[0].tokens;
    const ts = [0.05, 0.3, 0.7, 1];
    const p = await probsAt(none, tokens, ts);
    for (let i = 1; i < ts.length; i++) expect(rowDiff(p, ts.length, 0, i)).toBe(0);
    const q = await probsAt(learned, tokens, ts);
    expect(rowDiff(q, ts.length, 0, 3)).toBeGreaterThan(1e-4); // the learned MLP does hear t
    expect(maxAbsDiff(p, q)).toBeGreaterThan(1e-3);
    none.dispose();
    learned.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("'sinusoidal' adds the position table's row 1000·t, so the output depends on t", async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const model = fixtureModel('sinusoidal');
    const d = DEFAULT_MODEL.dModel;
    const table = sinusoidalTable(1001, d); // rows 0..1000, PyTorch's float32 recipe
    const steps = [0, 1, 37, 250, 999, 1000];
    const t = tf.tensor2d(
      steps.map((k) => [k / 1000]),
      [steps.length, 1],
    );
    const emb = model.timeEmbedding(t)!;
    const got = await emb.data();
    tf.dispose([t, emb]);
    steps.forEach((k, i) => {
      // 1000·(k/1000) is k only up to float32 rounding: high-frequency columns move by ~1e-4 rad.
      expect(maxAbsDiff(got.subarray(i * d, (i + 1) * d), table.subarray(k * d, (k + 1) * d))).toBeLessThan(2e-4);
    });
    const p = await probsAt(model, cases[0].tokens, [0.1, 0.9]);
    expect(rowDiff(p, 2, 0, 1)).toBeGreaterThan(1e-3);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the notebook parameters, names and file, whatever the variant', async () => {
    await useBackend('wasm');
    const reference = fixtureModel('learned');
    const names = [...(await reference.stateDict()).keys()];
    for (const timeInput of ['sinusoidal', 'none'] as const) {
      const model = fixtureModel(timeInput);
      const state = await model.stateDict();
      expect([...state.keys()]).toEqual(names);
      expect([...state.values()].reduce((n, w) => n + w.length, 0)).toBe(156_304);
      model.dispose();
    }
    reference.dispose();
  });

  it.each(['sinusoidal', 'none'] as const)("'%s' trains without the time MLP: no gradient reaches it and it never changes", async (timeInput) => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1), { timeInput });
    const trainable = new Set(model.variables());
    for (const [name, v] of model.params) expect(trainable.has(v)).toBe(!name.startsWith('time_mlp.'));

    // Differentiate with respect to every parameter, the unused ones included.
    const grads = tf.tidy(() => {
      const xt = tf.tensor2d([[0, 3, 0, 5, 3, 0, 3, 5]], [1, 8], 'int32');
      const t = tf.tensor2d([[0.4]]);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(model.forward(xt, t))) as tf.Scalar, [...model.params.values()]);
      value.dispose();
      return grads;
    });
    const withGrad = new Set(Object.keys(grads));
    for (const [name, v] of model.params) expect(withGrad.has(v.name)).toBe(!name.startsWith('time_mlp.'));
    tf.dispose(Object.values(grads));

    const start = await model.stateDict();
    const trainer = new Trainer(model, { ...LEARNS, batchSize: 8 }, { steps: 3, seed: 2 });
    const result = await trainer.run();
    expect(result.reason).toBe('completed');
    const end = await model.stateDict();
    for (const [name, w] of end) {
      const moved = maxAbsDiff(w, start.get(name)!);
      if (name.startsWith('time_mlp.'))
        expect(moved, name).toBe(0); // not stepped, not even weight-decayed
      else if (name.endsWith('output_head.weight')) expect(moved).toBeGreaterThan(1e-4);
    }
    trainer.dispose();
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects an unknown time input by name', () => {
    expect(() => new DiffusionLM(DEFAULT_MODEL, new Rng(0), { timeInput: 'fourier' as TimeInput })).toThrow(
      'unknown time input "fourier"; choose one of: learned, sinusoidal, none',
    );
  });
});

describe('recipes and overrides', () => {
  it('leaves every named recipe on the learned time input', () => {
    expect(NOTEBOOK.timeInput).toBe('learned');
    for (const r of Object.values(RECIPES)) expect(r.timeInput).toBe('learned');
    expect(initOptions(LEARNS)).toEqual({ embedStd: 0.03, timeInput: 'learned', qkInitScale: 1 });
  });

  it('applies overrides on top of a recipe and leaves the recipe alone', () => {
    const r = withOverrides(LEARNS, { timeInput: 'none', loss: 'elbo', batchSize: 16, dropout: 0.2, ignoreTime: true });
    expect(r).toMatchObject({
      name: 'learns',
      timeInput: 'none',
      loss: 'elbo',
      batchSize: 16,
      dropout: 0.2,
      ignoreTime: true,
      schedule: LEARNS.schedule,
    });
    expect(Object.isFrozen(r)).toBe(true);
    expect(LEARNS.timeInput).toBe('learned');
    expect(withOverrides(LEARNS, undefined)).toBe(LEARNS);
    expect(withOverrides(LEARNS, { timeInput: undefined })).toEqual(LEARNS);
    expect(initOptions(r)).toEqual({ embedStd: 0.03, timeInput: 'none', qkInitScale: 1 });
  });

  it('names the setting and the allowed values when an override is wrong', () => {
    const bad = (o: object) => () => withOverrides(LEARNS, o as never);
    expect(bad({ timeInput: 'fourier' })).toThrow('timeInput must be one of learned, sinusoidal, none, got "fourier"');
    expect(bad({ loss: 'mse' })).toThrow('loss must be one of masked-mean, elbo, got "mse"');
    expect(bad({ batchSize: 0 })).toThrow('batchSize must be a whole number from 1 to 4096, got 0');
    expect(bad({ batchSize: 2.5 })).toThrow(/batchSize/);
    expect(bad({ dropout: 1 })).toThrow('dropout must be a number in [0, 1), got 1');
    expect(bad({ ignoreTime: 'yes' })).toThrow('ignoreTime must be true or false, got "yes"');
    expect(bad({ steps: 10 })).toThrow(
      'cannot override "steps"; a recipe\'s overridable settings are: timeInput, loss, batchSize, dropout, ignoreTime',
    );
  });
});
