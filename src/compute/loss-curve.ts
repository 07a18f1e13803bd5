/**
 * The current model's loss per masking-ratio bin, its ELBO estimate, and the
 * best possible loss per bin: what the loss-by-ratio and ELBO cells draw. Both
 * cells need the same numbers, so one evaluation per model and seed is shared
 * (the compute worker keeps one model at a time; a new one starts a new cache).
 */
import { evaluate, type Evaluation } from '../core/metrics.ts';
import type { DiffusionLM } from '../core/model.ts';
import type { JobContext } from './job-context.ts';
import { rngFor } from '../core/figure-rng.ts';
import { BIN_MIDPOINTS, bestPossibleLoss } from '../core/elbo-bins.ts';

/** Sequences a bin: 20 bins, so 4000 sequences, and as many again for the ELBO estimate. */
export const SEQS_PER_BIN = 200;

export interface LossCurve {
  /** Bin midpoints, 0.025 … 0.975. */
  readonly t: readonly number[];
  /** The model's mean loss (nats) per masked token in each bin. */
  readonly loss: readonly number[];
  readonly accuracy: readonly number[];
  /** The exact posterior's loss per masked token in each bin: the floor. */
  readonly best: readonly number[];
  /** The engine's ELBO estimate (t stratified over (0, 1)), bits per token. */
  readonly elboBits: number;
  readonly seqsPerBin: number;
}

const cache = new WeakMap<DiffusionLM, Map<number, Promise<LossCurve>>>();

async function measure(model: DiffusionLM, seed: number, ctx: JobContext): Promise<LossCurve> {
  const e: Evaluation = await evaluate(model, {
    ratios: BIN_MIDPOINTS,
    seqsPerRatio: SEQS_PER_BIN,
    chunk: SEQS_PER_BIN,
    seed,
    elbo: true,
    signal: ctx.signal,
    progress: (done, total) => ctx.progress(done, total),
  });
  return {
    t: BIN_MIDPOINTS,
    loss: e.ratios.map((r) => r.meanLoss),
    accuracy: e.ratios.map((r) => r.accuracy),
    best: bestPossibleLoss(BIN_MIDPOINTS, SEQS_PER_BIN, rngFor(seed, 'best-possible-loss')),
    elboBits: e.elboBitsPerToken,
    seqsPerBin: SEQS_PER_BIN,
  };
}

/** The model's loss curve under this seed, measured once and shared by the cells that show it. */
export function lossCurve(model: DiffusionLM, { seed }: { seed: number }, ctx: JobContext): Promise<LossCurve> {
  let bySeed = cache.get(model);
  if (!bySeed) cache.set(model, (bySeed = new Map()));
  let curve = bySeed.get(seed);
  if (!curve) {
    curve = measure(model, seed, ctx);
    bySeed.set(seed, curve);
    curve.catch(() => bySeed.delete(seed)); // a failure or a cancel is not remembered: Run again measures anew
  }
  return curve;
}
