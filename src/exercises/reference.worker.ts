/**
 * The trusted reference: a worker of the lesson's own origin that never runs
 * student code. It holds a copy of the current model on the cpu backend and
 * computes the logits the checks compare against.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_MODEL } from '../core/config.ts';
import { DiffusionLM } from '../core/model.ts';
import { Rng } from '../core/rng.ts';
import { caseLogits } from './reference.ts';

export type ToReference =
  | { readonly type: 'model'; readonly version: number; readonly weights: [string, Float32Array][] }
  | { readonly type: 'logits'; readonly id: number; readonly inputs: { readonly xt: Int32Array; readonly t: number }[] };

export type FromReference = { readonly type: 'logits'; readonly id: number; readonly logits: Float32Array[] } | { readonly type: 'failed'; readonly id: number; readonly message: string };

let model: DiffusionLM | null = null;
const ready = tf.setBackend('cpu').then(() => tf.ready());

self.onmessage = async (e: MessageEvent<ToReference>) => {
  const msg = e.data;
  await ready;
  if (msg.type === 'model') {
    model?.dispose();
    model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    model.loadStateDict(new Map(msg.weights));
    return;
  }
  try {
    if (!model) throw new Error('no model was sent to the reference worker');
    const logits: Float32Array[] = [];
    for (const { xt, t } of msg.inputs) logits.push(await caseLogits(model, xt, t));
    postMessage({ type: 'logits', id: msg.id, logits } satisfies FromReference, logits.map((l) => l.buffer as ArrayBuffer));
  } catch (err) {
    postMessage({ type: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) } satisfies FromReference);
  }
};
