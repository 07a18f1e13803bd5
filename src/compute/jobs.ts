/**
 * Every computation a cell asks of the model, by name: what the compute worker
 * runs (and, where no worker starts, the page). Each job takes the current
 * model, plain arguments and a context (cancel, progress) and returns plain
 * data. The page imports only this file's types, so tfjs stays in the worker.
 */
import { DEFAULT_MODEL } from '../core/config.ts';
import type { DiffusionLM } from '../core/model.ts';
import { DiffusionLM as Model } from '../core/model.ts';
import { Rng } from '../core/rng.ts';
import { bothMaps, explore } from './attention.ts';
import { generate } from './generation.ts';
import { infill } from './infill.ts';
import type { JobContext } from './job-context.ts';
import { lossCurve } from './loss-curve.ts';
import { accuracyCurve, logits, paramCounts, predict } from './model-readouts.ts';

export const JOBS = {
  accuracyCurve,
  predict,
  logits,
  attention: bothMaps,
  explore,
  infill,
  generate,
  lossCurve,
} satisfies Record<string, (model: DiffusionLM, args: never, ctx: JobContext) => unknown>;

/** Jobs about the architecture, not a trained model: they run on a scratch model. */
export const MODEL_FREE_JOBS = {
  paramCounts: () => {
    const model = new Model(DEFAULT_MODEL, new Rng(0));
    try {
      return paramCounts(model);
    } finally {
      model.dispose();
    }
  },
} satisfies Record<string, () => unknown>;

export type ModelJobName = keyof typeof JOBS;
export type FreeJobName = keyof typeof MODEL_FREE_JOBS;
export type JobName = ModelJobName | FreeJobName;
export type JobArgs<N extends JobName> = N extends ModelJobName ? Parameters<(typeof JOBS)[N]>[1] : Record<string, never>;
export type JobResult<N extends JobName> = N extends ModelJobName ? Awaited<ReturnType<(typeof JOBS)[N]>> : N extends FreeJobName ? ReturnType<(typeof MODEL_FREE_JOBS)[N]> : never;

export function isModelJob(name: string): name is ModelJobName {
  return Object.hasOwn(JOBS, name);
}

export function isFreeJob(name: string): name is FreeJobName {
  return Object.hasOwn(MODEL_FREE_JOBS, name);
}

/** Run a job by name: what the worker and the page fallback both call. */
export async function runJob(name: string, model: DiffusionLM | null, args: unknown, ctx: JobContext): Promise<unknown> {
  if (isFreeJob(name)) return MODEL_FREE_JOBS[name]();
  if (!isModelJob(name)) throw new Error(`no compute job is called "${name}"`);
  if (!model) throw new Error('no trained model is loaded');
  const job = JOBS[name] as (model: DiffusionLM, args: unknown, ctx: JobContext) => unknown;
  return job(model, args, ctx);
}
