/**
 * The trusted reference: a worker of the lesson's own origin that never runs
 * student code. It holds a copy of the current model on the cpu backend and
 * computes the logits the checks compare against.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffusionLM } from '../core/model.ts';
import { loadedModel, type ModelOptions } from '../core/model-factory.ts';
import { caseLogits } from './reference.ts';
import { errorMessage } from '../core/error-message.ts';

export type ToReference =
  | { readonly type: 'model'; readonly version: number; readonly weights: [string, Float32Array][]; readonly options: ModelOptions }
  | { readonly type: 'logits'; readonly id: number; readonly inputs: { readonly xt: Int32Array; readonly t: number }[] };

export type FromReference =
  | { readonly type: 'logits'; readonly id: number; readonly logits: Float32Array[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };

let model: DiffusionLM | null = null;
const ready = tf.setBackend('cpu').then(() => tf.ready());

self.onmessage = async (e: MessageEvent<ToReference>) => {
  const msg = e.data;
  await ready;
  if (msg.type === 'model') {
    model?.dispose();
    model = null;
    model = loadedModel(new Map(msg.weights), msg.options);
    return;
  }
  try {
    if (!model) throw new Error('no model was sent to the reference worker');
    const logits: Float32Array[] = [];
    for (const { xt, t } of msg.inputs) logits.push(await caseLogits(model, xt, t));
    postMessage(
      { type: 'logits', id: msg.id, logits } satisfies FromReference,
      logits.map((l) => l.buffer as ArrayBuffer),
    );
  } catch (err) {
    postMessage({ type: 'failed', id: msg.id, message: errorMessage(err) } satisfies FromReference);
  }
};
