/**
 * The forward process q(x_t | x_0): every token is replaced by [MASK]
 * independently with probability t, one t per sequence.
 *
 * Uniforms come from our seeded Rng, never from a backend, so a seed gives
 * the same masks in Node and in every browser backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MASK_ID } from './config.ts';
import type { Rng } from './rng.ts';

export interface Masked {
  /** x_t, [batch, seqLen]: x_0 with masked positions set to MASK_ID. */
  readonly xt: Int32Array;
  /** 1 where masked, [batch, seqLen]. */
  readonly mask: Uint8Array;
  /** Number of masked positions in the whole batch. */
  readonly maskedCount: number;
}

/** Throws unless every t is a number in [0, 1]. */
export function checkRatios(t: ArrayLike<number>): void {
  for (let b = 0; b < t.length; b++) {
    const v = t[b];
    if (typeof v !== 'number' || Number.isNaN(v) || v < 0 || v > 1) {
      throw new RangeError(`masking ratio t must be in [0, 1], got ${v} for sequence ${b}`);
    }
  }
}

/**
 * Mask a flat [batch, seqLen] batch. `t` has one ratio per sequence (the
 * notebook's [B, 1]). A token is masked when u < t with u ~ U[0, 1): so t = 0
 * masks nothing and t = 1 masks everything, exactly.
 */
export function maskArrays(x0: ArrayLike<number>, t: ArrayLike<number>, rng: Rng): Masked {
  checkRatios(t);
  const batch = t.length;
  if (batch === 0 || x0.length % batch !== 0) {
    throw new RangeError(`x0 has ${x0.length} tokens, which is not ${batch} sequences of equal length`);
  }
  const seqLen = x0.length / batch;
  const xt = new Int32Array(x0.length);
  const mask = new Uint8Array(x0.length);
  let maskedCount = 0;
  for (let b = 0; b < batch; b++) {
    const tb = t[b];
    for (let i = b * seqLen; i < (b + 1) * seqLen; i++) {
      const masked = rng.next() < tb;
      mask[i] = masked ? 1 : 0;
      xt[i] = masked ? MASK_ID : x0[i];
      maskedCount += mask[i];
    }
  }
  return { xt, mask, maskedCount };
}

/**
 * Tensor form of the forward process: `x0` int32 [B, L] and `t` [B, 1] (or B
 * numbers). Returns new tensors the caller owns: x_t int32 [B, L] and the
 * mask as bool [B, L]. Reads `t` and `x0` back to draw from the Rng; use
 * `maskArrays` inside a training loop, where the data are already arrays.
 */
export function maskTokens(x0: tf.Tensor2D, t: tf.Tensor | ArrayLike<number>, rng: Rng): { xt: tf.Tensor2D; mask: tf.Tensor2D } {
  const [batch, seqLen] = x0.shape;
  const ratios = t instanceof tf.Tensor ? t.dataSync() : t;
  if (ratios.length !== batch) throw new RangeError(`t must have one ratio per sequence: ${batch}, got ${ratios.length}`);
  const { xt, mask } = maskArrays(x0.dataSync(), ratios, rng);
  return {
    xt: tf.tensor2d(xt, [batch, seqLen], 'int32'),
    mask: tf.tensor2d(mask, [batch, seqLen], 'bool'),
  };
}
