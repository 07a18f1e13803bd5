/**
 * The exercise worker: student code runs here, off the page's thread, on the
 * cpu backend (small tensors; no GPU context to share or lose). The page kills
 * and replaces this worker if code outruns its time limit.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_MODEL } from '../core/config.ts';
import { DiffusionLM } from '../core/model.ts';
import { Rng } from '../core/rng.ts';
import { compile, runCase } from './execute.ts';
import { StudentCodeError } from './instrument.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

let model: DiffusionLM | null = null;
const ready = tf.setBackend('cpu').then(() => tf.ready());

const reply = (m: FromWorker) => postMessage(m);

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const msg = e.data;
  await ready;
  if (msg.type === 'model') {
    model?.dispose();
    model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    model.loadStateDict(new Map(msg.weights));
    return;
  }
  try {
    if (!model) throw new Error('no model was sent to the exercise worker');
    let fn;
    try {
      fn = compile(msg.exercise, msg.code, model, msg.limitMs);
    } catch (err) {
      if (err instanceof StudentCodeError) return reply({ type: 'result', id: msg.id, problem: err.problem, outcomes: [] });
      throw err;
    }
    const outcomes = [];
    for (const c of msg.cases) {
      const outcome = await runCase(msg.exercise, fn, model, c);
      outcomes.push(outcome);
      if (outcome.problem) break; // the first problem is the one to fix
    }
    reply({ type: 'result', id: msg.id, outcomes });
  } catch (err) {
    reply({ type: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  }
};
