/**
 * The compute worker: every model computation a cell asks for (accuracy
 * curves, predictions, attention, generation, loss by ratio) runs here, so the
 * page's main thread only draws. It chooses its backend by timing the
 * candidates (backend-probe.ts), holds the current model, and runs one job at
 * a time, reporting progress and stopping when the page cancels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { errorMessage } from '../core/error-message.ts';
import type { DiffusionLM } from '../core/model.ts';
import { loadedModel } from '../core/model-factory.ts';
import { runJob } from '../compute/jobs.ts';
import type { JobContext } from '../compute/job-context.ts';
import { currentFingerprint, probeBackends } from './backend-probe.ts';
import { transferables, type FromCompute, type ToCompute } from './compute-protocol.ts';
import { startBackend } from './tfjs-browser.ts';
import { watchGpu } from './gpu-watch.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

function post(message: FromCompute): void {
  scope.postMessage(message, message.type === 'result' ? transferables(message.result) : []);
}

let model: DiffusionLM | null = null;
let modelVersion = -1;
let lost = false;
/** Jobs run one at a time: tfjs scopes must not interleave across awaits. */
let queue: Promise<unknown> = Promise.resolve();
const running = new Map<number, AbortController>();

/** Let queued messages (a cancel) arrive: a MessageChannel tick, not a microtask. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

async function init(msg: Extract<ToCompute, { type: 'init' }>): Promise<void> {
  try {
    const fingerprint = await currentFingerprint();
    // A cached order is trusted only on the device it was measured on.
    const order = msg.order && (msg.cachedFingerprint === null || msg.cachedFingerprint === fingerprint) ? msg.order : null;
    const probe = order ? null : await probeBackends(msg.candidates);
    const choice = await startBackend(order ?? probe!.order);
    watchGpu(choice.name, (reason) => {
      lost = true;
      post({ type: 'lost', message: reason });
    });
    post({ type: 'ready', choice, probe, fingerprint });
  } catch (e) {
    post({ type: 'init-failed', message: errorMessage(e) });
  }
}

function setModel(msg: Extract<ToCompute, { type: 'model' }>): void {
  model?.dispose();
  model = null;
  modelVersion = -1;
  // A bad model fails each job that needs it, with the reason.
  model = loadedModel(new Map(msg.weights), msg.options);
  modelVersion = msg.version;
}

async function job(msg: Extract<ToCompute, { type: 'job' }>): Promise<void> {
  const controller = new AbortController();
  running.set(msg.id, controller);
  const ctx: JobContext = {
    signal: controller.signal,
    progress: async (done, total) => {
      post({ type: 'progress', id: msg.id, done, total });
      await yieldToEventLoop();
      if (controller.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    },
  };
  try {
    if (lost) throw new Error('the GPU this worker used is gone');
    if (controller.signal.aborted) throw new DOMException('cancelled', 'AbortError');
    const current = msg.modelVersion === modelVersion ? model : null;
    if (msg.modelVersion >= 0 && !current) throw new Error('the model this job was asked for is not loaded here');
    const before = tf.memory().numTensors;
    const result = await runJob(msg.name, current, msg.args, ctx);
    // A job that leaks would slowly fill the GPU: say so loudly in development.
    const leaked = tf.memory().numTensors - before;
    if (leaked > 0) console.warn(`compute job ${msg.name} left ${leaked} tensors behind`);
    post({ type: 'result', id: msg.id, result });
  } catch (e) {
    const cancelled = controller.signal.aborted || (e instanceof DOMException && e.name === 'AbortError');
    post({ type: 'error', id: msg.id, message: cancelled ? 'cancelled' : errorMessage(e), cancelled });
  } finally {
    running.delete(msg.id);
  }
}

function serially(work: () => Promise<void> | void): void {
  const next = queue.then(work, work);
  queue = next.catch(() => undefined);
}

scope.onmessage = (e: MessageEvent<ToCompute>) => {
  const msg = e.data;
  switch (msg.type) {
    case 'init':
      return serially(() => init(msg));
    case 'model':
      return serially(() => {
        try {
          setModel(msg);
        } catch (err) {
          console.warn('the model could not be built here:', errorMessage(err));
        }
      });
    case 'job':
      return serially(() => job(msg));
    case 'cancel':
      running.get(msg.id)?.abort();
      return;
  }
};
