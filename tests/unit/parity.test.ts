/**
 * Our DiffusionLM against PyTorch's, on fixtures written by the reference
 * implementation (../shared/reference/parity, copied to tests/fixtures).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { lossWeights } from '../../src/core/objective.ts';
import { AdamW, learningRate } from '../../src/core/optim.ts';
import { NOTEBOOK } from '../../src/core/recipes.ts';
import { Rng } from '../../src/core/rng.ts';
import { trainStep, type Batch } from '../../src/core/training.ts';
import { readWeights } from '../../src/core/weights.ts';
import { fixture, fixtureJson, NODE_BACKENDS, useBackend } from '../helpers/backends.ts';

interface Case {
  tokens: number[];
  x0: number[];
  t: number;
  probs: number[][];
}
interface Step {
  x0: number[][];
  t: number[];
  mask: number[][];
  lr: number;
  loss: number;
  grad_norm_before_clip: number;
}

const cases = fixtureJson<{ cases: Case[] }>('cases.json').cases;
const steps = fixtureJson<{ steps: Step[] }>('train_steps.json').steps;

function loadModel(file: string): DiffusionLM {
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
  model.loadStateDict(readWeights(fixture(file), DEFAULT_MODEL));
  return model;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** The fixture's batch as our trainer's Batch, with the notebook's pooled masked mean. */
function fixtureBatch(s: Step): Batch {
  const x0 = Int32Array.from(s.x0.flat());
  const mask = Uint8Array.from(s.mask.flat());
  const xt = x0.map((v, i) => (mask[i] ? 0 : v));
  const t = Float32Array.from(s.t);
  const maskedCount = mask.reduce((a, b) => a + b, 0);
  return { x0, xt, t, maskedCount, weights: lossWeights('masked-mean', { mask, t, maskedCount }) };
}

describe.each(NODE_BACKENDS)('parity with PyTorch on %s', (backend) => {
  it('has the notebook parameter count and names', async () => {
    await useBackend(backend);
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
    const total = model.variables().reduce((n, v) => n + v.size, 0);
    expect(total).toBe(156_304);
    const names = [...(await model.stateDict()).keys()];
    expect(names).toEqual([...readWeights(fixture('weights.safetensors'), DEFAULT_MODEL).keys()]);
    model.dispose();
  });

  it('matches the eval-mode softmax of every case within 1e-5', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const model = loadModel('weights.safetensors');
    expect(cases.length).toBe(12);
    for (const c of cases) {
      const L = c.tokens.length;
      const xt = tf.tensor2d([c.tokens], [1, L], 'int32');
      const t = tf.tensor2d([[c.t]]);
      const probs = await model.predictProbs(xt, t);
      expect(maxAbsDiff(probs, c.probs.flat())).toBeLessThan(1e-5);
      tf.dispose([xt, t]);
    }
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  /**
   * Three steps from train_before on the fixture's batches. Returns our
   * per-step [loss, gradNorm] and the final weights.
   */
  async function threeSteps(): Promise<{ perStep: number[][]; final: Map<string, Float32Array> }> {
    const model = loadModel('train_before.safetensors');
    const recipe = { ...NOTEBOOK, dropout: 0 };
    const opt = new AdamW(model.variables(), recipe.optimizer);
    const perStep: number[][] = [];
    for (const step of steps) {
      const lr = learningRate(recipe.schedule, opt.step, recipe.steps);
      expect(Math.abs(lr - step.lr) / step.lr).toBeLessThan(1e-9);
      const { loss, gradNorm, applied } = await trainStep(model, opt, fixtureBatch(step), lr, recipe, new Rng(0));
      expect(applied).toBe(true);
      perStep.push([loss, gradNorm]);
    }
    const final = await model.stateDict();
    opt.dispose();
    model.dispose();
    return { perStep, final };
  }

  function weightDiffs(ours: Map<string, Float32Array>, file: string): { worst: number; over: number; count: number } {
    let worst = 0,
      over = 0,
      count = 0;
    for (const [name, ref] of readWeights(fixture(file), DEFAULT_MODEL)) {
      const o = ours.get(name)!;
      for (let i = 0; i < ref.length; i++) {
        const d = Math.abs(o[i] - ref[i]);
        worst = Math.max(worst, d);
        over += d > 1e-5 ? 1 : 0;
        count++;
      }
    }
    return { worst, over, count };
  }

  function worstWeightDiff(ours: Map<string, Float32Array>, file: string): number {
    let worst = 0;
    for (const [name, ref] of readWeights(fixture(file), DEFAULT_MODEL)) worst = Math.max(worst, maxAbsDiff(ours.get(name)!, ref));
    return worst;
  }

  it('reproduces three AdamW + clip + cosine steps with dropout off: losses, grad norms, final weights', async () => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const { perStep, final } = await threeSteps();
    expect(tf.memory().numTensors).toBe(before);
    // Reference: PyTorch 1.13 on the same weights and batches with every dropout at 0
    // (tests/fixtures/torch/retrain_steps.py).
    const ref = fixtureJson<{ steps: Step[] }>('train_steps_nodrop.json').steps;
    perStep.forEach(([loss, gradNorm], i) => {
      expect(Math.abs(loss - ref[i].loss) / ref[i].loss).toBeLessThan(1e-4);
      expect(Math.abs(gradNorm - ref[i].grad_norm_before_clip) / ref[i].grad_norm_before_clip).toBeLessThan(1e-4);
    });
    const diff = weightDiffs(final, 'train_after_nodrop.safetensors');
    console.log(`[${backend}] max |w - w_torch| = ${diff.worst.toExponential(2)}; ${diff.over} of ${diff.count} weights over 1e-5`);
    // Float32 leaves a rare weight whose three AdamW moments nearly cancel (m3 ~ 2% of
    // its terms, e.g. layer 2 linear1[68,6]); there a 1e-7 gradient difference moves
    // the update by ~1e-5. On wasm every weight is within 1e-5; on cpu one is at 1.9e-5.
    expect(diff.over).toBeLessThanOrEqual(diff.count / 50_000);
    expect(diff.worst).toBeLessThan(5e-5);
    // The steps really moved the weights: the bar is far tighter than the change.
    expect(worstWeightDiff(final, 'train_before.safetensors')).toBeGreaterThan(5e-4);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lands within attention-dropout noise of the shipped train_after fixture', async () => {
    // The shipped fixture was recorded with attention-weight dropout still at 0.1
    // (see retrain_steps.py): PyTorch itself, run dropout-free, lands 1.6e-3 from it.
    // So the 1e-4 / 1e-5 bars hold against the dropout-free re-run above, and this
    // looser check keeps the shipped numbers honest.
    await useBackend(backend);
    const { perStep, final } = await threeSteps();
    perStep.forEach(([loss, gradNorm], i) => {
      expect(Math.abs(loss - steps[i].loss) / steps[i].loss).toBeLessThan(2e-3);
      expect(Math.abs(gradNorm - steps[i].grad_norm_before_clip) / steps[i].grad_norm_before_clip).toBeLessThan(3e-3);
    });
    expect(worstWeightDiff(final, 'train_after.safetensors')).toBeLessThan(3e-3);
  });
});
