/**
 * The small readouts of one model the lesson's cells ask for: accuracy
 * against the masking ratio, the top-k guesses at each mask, the raw eval
 * logits (to check a learner's code against) and the parameter count.
 */
import * as tf from '@tensorflow/tfjs-core';
import { exactBestPossibleAccuracy } from '../core/bayes.ts';
import { DEFAULT_DATA } from '../core/config.ts';
import { evaluate, type Evaluation } from '../core/metrics.ts';
import type { DiffusionLM } from '../core/model.ts';
import { linspace } from '../core/numeric.ts';
import { predictMasked, type MaskPrediction } from '../core/predict.ts';
import type { JobContext } from './job-context.ts';

export interface AccuracyCurve {
  readonly evaluation: Evaluation;
  /** The exact best possible accuracy on a fine grid of t, for the dashed line. */
  readonly best: { readonly t: number[]; readonly acc: number[] };
  readonly seqs: number;
}

export async function accuracyCurve(model: DiffusionLM, { seed, seqs }: { seed: number; seqs: number }, ctx: JobContext): Promise<AccuracyCurve> {
  const evaluation = await evaluate(model, {
    seqsPerRatio: seqs,
    chunk: seqs,
    seed,
    data: DEFAULT_DATA,
    signal: ctx.signal,
    progress: (d, n) => ctx.progress(d, n),
  });
  const t = linspace(0.05, 1, 39);
  return { evaluation, best: { t, acc: t.map((x) => exactBestPossibleAccuracy(x)) }, seqs };
}

export function predict(model: DiffusionLM, { xt, t, k }: { xt: Int32Array; t: number; k: number }): Promise<MaskPrediction[]> {
  return predictMasked(model, xt, t, k);
}

/** The model's eval-mode logits for one sequence // [L*V], row-major. */
export async function logits(model: DiffusionLM, { xt, t }: { xt: Int32Array; t: number }): Promise<Float32Array> {
  const L = xt.length;
  const out = tf.tidy(() => model.forward(tf.tensor2d(xt, [1, L], 'int32'), tf.tensor2d([[t]])));
  try {
    return (await out.data()) as Float32Array;
  } finally {
    out.dispose();
  }
}

export interface ParamCount {
  readonly total: number;
  readonly groups: { readonly name: string; readonly count: number }[];
}

/** Parameters by part of the model, counted from a live model's variables. */
export function paramCounts(model: DiffusionLM): ParamCount {
  const sizes = new Map([...model.params].map(([name, v]) => [name, v.size]));
  const group = (name: string) =>
    name.startsWith('token_embed')
      ? 'token embedding'
      : name.startsWith('time_mlp')
        ? 'time MLP'
        : name.startsWith('output_head')
          ? 'output head'
          : `encoder layer ${name.split('.')[2]}`;
  const groups = new Map<string, number>();
  for (const [name, size] of sizes) groups.set(group(name), (groups.get(group(name)) ?? 0) + size);
  return { total: [...sizes.values()].reduce((a, b) => a + b, 0), groups: [...groups].map(([name, count]) => ({ name, count })) };
}
