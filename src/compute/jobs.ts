/**
 * Every computation a cell asks of the model, by name: what the compute worker
 * runs (and, where no worker starts, the page). Each job takes the current
 * model, plain arguments and a context (cancel, progress) and returns plain
 * data. The page imports only this file's types, so tfjs stays in the worker.
 */
import { exactBestPossibleAccuracy } from '../core/bayes.ts';
import { DEFAULT_MODEL } from '../core/config.ts';
import { DiffusionLM } from '../core/model.ts';
import { Rng } from '../core/rng.ts';
import { bothMaps, explore } from './attention.ts';
import { generate } from './generation.ts';
import { infill } from './infill.ts';
import type { JobContext } from './job-context.ts';
import { lossCurve } from './loss-curve.ts';
import { maskedCountHistogram, maskedFractions, trainingRatios } from './masking-statistics.ts';
import { accuracyCurve, logits, paramCounts, predict } from './model-readouts.ts';
import { revealConflict } from './reveal-conflict.ts';
import { writeWords } from './words.ts';

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

/** Jobs that do not run on the current model: the architecture (on a scratch model), exact figures of the data, or a model the job brings (the word model). */
export const MODEL_FREE_JOBS = {
  writeWords,
  maskedFractions,
  maskedCountHistogram,
  trainingRatios,
  revealConflict,
  /** The exact best possible accuracy at each t: its first call enumerates 4096 mask classes (seconds on a slow CPU). */
  bestPossible: ({ t }: { t: readonly number[] }) => t.map((x) => exactBestPossibleAccuracy(x)),
  paramCounts: () => {
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    try {
      return paramCounts(model);
    } finally {
      model.dispose();
    }
  },
} satisfies Record<string, (args: never, ctx: JobContext) => unknown>;

export type ModelJobName = keyof typeof JOBS;
export type FreeJobName = keyof typeof MODEL_FREE_JOBS;
export type JobName = ModelJobName | FreeJobName;
export type JobArgs<N extends JobName> = N extends ModelJobName
  ? Parameters<(typeof JOBS)[N]>[1]
  : N extends FreeJobName
    ? Parameters<(typeof MODEL_FREE_JOBS)[N]> extends [infer A, ...unknown[]]
      ? A
      : Record<string, never>
    : never;
export type JobResult<N extends JobName> = N extends ModelJobName
  ? Awaited<ReturnType<(typeof JOBS)[N]>>
  : N extends FreeJobName
    ? Awaited<ReturnType<(typeof MODEL_FREE_JOBS)[N]>>
    : never;

export function isModelJob(name: string): name is ModelJobName {
  return Object.hasOwn(JOBS, name);
}

export function isFreeJob(name: string): name is FreeJobName {
  return Object.hasOwn(MODEL_FREE_JOBS, name);
}

/** Run a job by name: what the worker and the page fallback both call. */
export async function runJob(name: string, model: DiffusionLM | null, args: unknown, ctx: JobContext): Promise<unknown> {
  if (isFreeJob(name)) return (MODEL_FREE_JOBS[name] as (args: unknown, ctx: JobContext) => unknown)(args, ctx);
  if (!isModelJob(name)) throw new Error(`no compute job is called "${name}"`);
  if (!model) throw new Error('no trained model is loaded');
  const job = JOBS[name] as (model: DiffusionLM, args: unknown, ctx: JobContext) => unknown;
  return job(model, args, ctx);
}
