/**
 * The sandbox's runtime: the first part of the worker script the sandbox frame
 * starts for one check (the student's code, wrapped as one function, is
 * appended after it; see instrument.ts's prepare). Bundled on its own as a
 * classic script by the build (src/build/sandbox-runtime.ts).
 *
 * Everything the runtime needs from the global scope is captured here, before
 * any student code runs; the student's code runs later, when the job arrives.
 * One job per worker: the page starts a fresh worker, in a fresh frame, for
 * every check, so nothing one submission changes can reach the next.
 */
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type { DiffusionLM } from '../../core/model.ts';
import { loadedModel } from '../../core/model-factory.ts';
import { runJob } from '../execute.ts';
import { FACTORY_GLOBAL } from '../guards.ts';
import { encodeReport, type SandboxJob } from '../protocol.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = scope.postMessage.bind(scope);
const stringify = JSON.stringify;
const script = scope.location.href;

async function run(job: SandboxJob): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
  // Built only if the code runs the model on an input the trusted side did not (see execute.ts).
  let model: DiffusionLM | null = null;
  const getModel = () => {
    model ??= loadedModel(new Map(job.weights), job.options);
    return model;
  };
  const factory = (globalThis as Record<string, unknown>)[FACTORY_GLOBAL];
  // The page's time limit starts now, not while tfjs and the model were set up.
  post({ type: 'started' });
  const report = await runJob(job, getModel, factory, { script, firstLine: job.firstLine, lineCount: job.lineCount }, { replaceGlobalTimers: true });
  post({ type: 'report', json: encodeReport(report, stringify) });
}

const onJob = (e: MessageEvent<SandboxJob>) => {
  scope.removeEventListener('message', onJob);
  run(e.data).catch((err: unknown) => {
    // Our failure, not the student's: say so, in the one report.
    const message = `The sandbox itself failed (not your code): ${err instanceof Error ? err.message : String(err)}`;
    post({
      type: 'report',
      json: encodeReport({ problem: { message, line: null, column: null }, cases: [], leaks: { undisposed: 0, kept: 0, inTimers: 0 } }, stringify),
    });
  });
};
scope.addEventListener('message', onJob);
