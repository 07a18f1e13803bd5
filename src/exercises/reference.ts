/**
 * The trusted side's own model outputs for the cases: the logits every check
 * compares against. Computed outside the sandbox (in reference.worker.ts, or
 * directly in Node for the tests) on the cpu backend, as the sandbox runs the
 * student's code, so both sides see the same numbers.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { DiffusionLM } from '../core/model.ts';

/** The model's eval logits for one sequence `xt` at ratio `t`: [L, V], flat. */
export async function caseLogits(model: DiffusionLM, xt: Int32Array, t: number): Promise<Float32Array> {
  const L = xt.length;
  const logits = tf.tidy(() => tf.reshape(model.forward(tf.tensor2d(xt, [1, L], 'int32'), tf.tensor2d([[t]])), [L, model.config.vocabSize]));
  try {
    // A copy: the array may be the backend's own storage, and the caller may transfer it.
    return new Float32Array(await logits.data());
  } finally {
    logits.dispose();
  }
}
