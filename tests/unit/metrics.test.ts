import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { exactBestPossibleAccuracy } from '../../src/core/bayes.ts';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DEFAULT_RATIOS, evaluate, linspace } from '../../src/core/metrics.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { Rng } from '../../src/core/rng.ts';
import { useBackend } from '../helpers/backends.ts';

/** A model whose logits are all 0: it predicts the uniform distribution everywhere. */
async function uniformModel(): Promise<DiffusionLM> {
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(1));
  const state = await model.stateDict();
  state.get('output_head.weight')!.fill(0);
  state.get('output_head.bias')!.fill(0);
  model.loadStateDict(state);
  return model;
}

describe('evaluation', () => {
  it('uses 15 ratios from 0.1 to 0.95 by default', () => {
    expect(DEFAULT_RATIOS).toHaveLength(15);
    expect(DEFAULT_RATIOS[0]).toBe(0.1);
    expect(DEFAULT_RATIOS[14]).toBeCloseTo(0.95, 12);
    expect(linspace(0, 1, 5)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('scores a uniform model: loss ln 16, ELBO 4 bits/token, argmax never right', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    const model = await uniformModel();
    const e = await evaluate(model, { ratios: [0.2, 0.5, 0.9], seqsPerRatio: 300, seed: 3 });
    for (const r of e.ratios) {
      expect(r.meanLoss).toBeCloseTo(Math.log(16), 5);
      // Ties break to token 0, [MASK], which is never the answer.
      expect(r.accuracy).toBe(0);
      // Masked count ~ Binomial(300*32, t), within 4 standard errors.
      const n = 300 * 32;
      expect(Math.abs(r.maskedTokens - n * r.t)).toBeLessThan(4 * Math.sqrt(n * r.t * (1 - r.t)));
      // The best possible accuracy agrees with its exact value (4 SE of ~300 sequences).
      expect(Math.abs(r.bestPossible - exactBestPossibleAccuracy(r.t))).toBeLessThan(0.04);
    }
    expect(e.meanLoss).toBeCloseTo(Math.log(16), 5);
    // ELBO: 4 bits in expectation. Per sequence the estimate is 4 * #masked / (t L),
    // relative variance (1 - t) / (t L); averaged over 900 stratified t in (0, 1) that
    // is ~(ln 900 - 1) / 32 / 900, so one standard error is ~1.4% (0.058 bits).
    expect(Math.abs(e.elboBitsPerToken - 4)).toBeLessThan(4 * 0.058);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is reproducible for a seed and rejects a bad sequence count', async () => {
    await useBackend('wasm');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(2));
    const a = await evaluate(model, { ratios: [0.5], seqsPerRatio: 100, seed: 9 });
    const b = await evaluate(model, { ratios: [0.5], seqsPerRatio: 100, seed: 9 });
    expect(a).toEqual(b);
    await expect(evaluate(model, { seqsPerRatio: 0 })).rejects.toThrow(/seqsPerRatio/);
    model.dispose();
  });
});
