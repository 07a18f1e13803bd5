/** The model's top-k guesses at each [MASK] of one sequence: what the lesson's results and the CLI show. */
import * as tf from '@tensorflow/tfjs-core';
import { MASK_ID } from './config.ts';
import type { DiffusionLM } from './model.ts';

export interface MaskPrediction {
  readonly position: number;
  /** Most probable first; ties go to the smaller token id. */
  readonly top: { readonly token: number; readonly prob: number }[];
}

/** Top-k tokens and probabilities at every position of `xt` that holds MASK_ID. */
export async function predictMasked(
  model: DiffusionLM,
  xt: ArrayLike<number>,
  t: number,
  k = 3,
  opts: { ignoreTime?: boolean } = {},
): Promise<MaskPrediction[]> {
  const V = model.config.vocabSize;
  if (!Number.isInteger(k) || k < 1 || k > V) throw new RangeError(`k must be a whole number from 1 to ${V}, got ${k}`);
  if (!(t >= 0 && t <= 1)) throw new RangeError(`t must be in [0, 1], got ${t}`);
  const L = xt.length;
  const xtT = tf.tensor2d(Array.from(xt), [1, L], 'int32');
  const tT = tf.tensor2d([[t]]); // float32 always: the notebook's float64 t is what crashed its accuracy cell
  let probs: Float32Array;
  try {
    probs = await model.predictProbs(xtT, tT, opts);
  } finally {
    tf.dispose([xtT, tT]);
  }
  const out: MaskPrediction[] = [];
  for (let position = 0; position < L; position++) {
    if (xt[position] !== MASK_ID) continue;
    const row = Array.from(probs.subarray(position * V, (position + 1) * V), (prob, token) => ({ token, prob }));
    row.sort((a, b) => b.prob - a.prob || a.token - b.token);
    out.push({ position, top: row.slice(0, k) });
  }
  return out;
}
