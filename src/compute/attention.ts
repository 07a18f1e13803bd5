/**
 * Attention weights read out of the model: for the attention figure (a masked
 * sequence from the data) and the explorer (any sequence the learner types),
 * every layer and head, with and without a causal mask.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bayesDenoise } from '../core/bayes.ts';
import { DEFAULT_DATA, MASK_ID } from '../core/config.ts';
import type { DiffusionLM } from '../core/model.ts';

/**
 * Each layer's attention for one sequence // [layer][head] -> L×L row-major
 * (row = query, column = key), with or without a causal mask.
 */
export async function attentionMaps(model: DiffusionLM, xt: ArrayLike<number>, t: number, causal: boolean): Promise<Float32Array[][]> {
  const L = xt.length;
  const H = model.config.nHeads;
  const kept: tf.Tensor3D[] = [];
  try {
    tf.tidy(() => {
      model.forward(tf.tensor2d(Array.from(xt), [1, L], 'int32'), tf.tensor2d([t], [1, 1]), { causal, attention: kept });
    });
    const layers = await Promise.all(kept.map((a) => a.data() as Promise<Float32Array>)); // each [H*1, L, L]
    return layers.map((w) => Array.from({ length: H }, (_, h) => w.slice(h * L * L, (h + 1) * L * L)));
  } finally {
    tf.dispose(kept);
  }
}

/** Both maps for one sequence // [causal ? 1 : 0][layer][head] -> L×L. */
export async function bothMaps(model: DiffusionLM, { xt, t }: { xt: Int32Array; t: number }): Promise<Float32Array[][][]> {
  return [await attentionMaps(model, xt, t, false), await attentionMaps(model, xt, t, true)];
}

export interface Explored {
  readonly tokens: Int32Array;
  /** The period the summary uses: the likeliest one given the visible tokens. */
  readonly period: number;
  /** Its posterior probability: below 1 the visible tokens leave the period open. */
  readonly periodProb: number;
  /** [causal ? 1 : 0][layer][head] -> L×L. */
  readonly maps: Float32Array[][][];
}

/** A typed sequence's attention, and the period the exact posterior finds likeliest (t is the share of blanks). */
export async function explore(model: DiffusionLM, { tokens }: { tokens: Int32Array }): Promise<Explored> {
  const blanks = tokens.reduce((n, v) => n + (v === MASK_ID ? 1 : 0), 0);
  const t = blanks / tokens.length;
  const best = bayesDenoise(tokens, { ...DEFAULT_DATA, seqLen: tokens.length });
  let k = 0;
  best.periodPosterior.forEach((p, i) => (k = p > best.periodPosterior[k] ? i : k));
  return { tokens, period: best.periods[k], periodProb: best.periodPosterior[k], maps: await bothMaps(model, { xt: tokens, t }) };
}
