/**
 * What a sampler needs from a model: logits over the vocabulary at every
 * position of x_t. Two implementations: the trained DiffusionLM, and the
 * data's best-possible denoiser (the exact posterior of bayes.ts), so the
 * lesson can set the two side by side and the samplers can be tested against
 * a denoiser that makes no mistakes.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bayesPosterior } from './bayes.ts';
import { DEFAULT_DATA, type DataConfig } from './config.ts';
import type { DiffusionLM } from './model.ts';

export interface Denoiser {
  readonly vocabSize: number;
  /**
   * Logits, or log-probabilities (-Infinity allowed) // [B*L*V], for x_t // [B*L]
   * at time t. The sampler reads only the masked positions' rows.
   */
  logits(xt: Int32Array, batch: number, t: number): Promise<ArrayLike<number>>;
}

/** The DiffusionLM in eval mode (no dropout); one forward pass and one async read-back per call. */
export function modelDenoiser(model: DiffusionLM, opts: { ignoreTime?: boolean } = {}): Denoiser {
  return {
    vocabSize: model.config.vocabSize,
    async logits(xt, B, t) {
      const L = xt.length / B;
      const logits = tf.tidy(() => {
        const xtT = tf.tensor2d(xt, [B, L], 'int32');
        const tT = tf.fill([B, 1], t, 'float32') as tf.Tensor2D; // float32 always, as in predict.ts
        return model.forward(xtT, tT, { ignoreTime: opts.ignoreTime }); // [B, L, V]
      });
      try {
        return await logits.data(); // dataSync here would stall a GPU backend
      } finally {
        logits.dispose();
      }
    },
  };
}

/** The exact posterior P(x0_i | visible tokens) as log-probabilities; ignores t (the posterior does not depend on it). */
export function bayesDenoiser(data: DataConfig = DEFAULT_DATA): Denoiser {
  const V = data.vocabSize;
  return {
    vocabSize: V,
    async logits(xt, B) {
      const L = xt.length / B;
      const out = new Float64Array(B * L * V); // [B*L*V]
      for (let b = 0; b < B; b++) {
        const probs = bayesPosterior(xt.subarray(b * L, (b + 1) * L), { ...data, seqLen: L }); // [L, V]
        for (let j = 0; j < probs.length; j++) out[b * L * V + j] = Math.log(probs[j]);
      }
      return out;
    },
  };
}
