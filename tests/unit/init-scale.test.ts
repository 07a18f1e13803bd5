/** qkInitScale: the query and key projections start larger, everything else exactly as PyTorch's init. */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { Rng } from '../../src/core/rng.ts';
import { useBackend } from '../helpers/backends.ts';

describe('qkInitScale', () => {
  it('multiplies the q and k rows of every in_proj_weight and leaves every other value, and every draw, alone', async () => {
    await useBackend('cpu');
    const before = tf.memory().numTensors;
    const plain = new DiffusionLM(DEFAULT_MODEL, new Rng(7), { embedStd: 0.03 });
    const scaled = new DiffusionLM(DEFAULT_MODEL, new Rng(7), { embedStd: 0.03, qkInitScale: 2 });
    const a = await plain.stateDict();
    const b = await scaled.stateDict();
    const d = DEFAULT_MODEL.dModel;
    for (const [name, x] of a) {
      const y = b.get(name)!;
      if (name.endsWith('self_attn.in_proj_weight')) {
        // PyTorch layout [3d, d]: rows 0..d-1 are q, d..2d-1 are k, 2d..3d-1 are v.
        for (let j = 0; j < 2 * d * d; j++) expect(y[j]).toBe(2 * x[j]);
        expect(y.subarray(2 * d * d)).toEqual(x.subarray(2 * d * d));
      } else {
        expect(y).toEqual(x);
      }
    }
    plain.dispose();
    scaled.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a scale that is not a positive number', () => {
    for (const qkInitScale of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new DiffusionLM(DEFAULT_MODEL, new Rng(0), { qkInitScale })).toThrow(/qkInitScale must be a positive number/);
    }
  });
});
