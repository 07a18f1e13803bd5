/**
 * Section 6's simulations of the forward process: many thousands of coin flips
 * a figure, so they run in the compute worker with the model jobs and the page
 * only draws the counts. Each figure draws from its own named stream (figure-rng),
 * so the worker, the page fallback and the tests all see the same draws.
 */
import { DEFAULT_DATA } from '../core/config.ts';
import { generatePatterns } from '../core/data.ts';
import { rngFor } from '../core/figure-rng.ts';
import { maskArrays } from '../core/masking.ts';
import { linspace } from '../core/numeric.ts';
import { NOTEBOOK } from '../core/recipes.ts';
import type { Rng } from '../core/rng.ts';
import { sampleBatch } from '../core/training.ts';
import type { JobContext } from './job-context.ts';

/** Sequences masked at each ratio of the fraction figure and the histogram. */
export const TRIALS = 1000;
const L = DEFAULT_DATA.seqLen;

/** Masked count of each of `trials` sequences at ratio t: one batched draw. */
export function maskedCounts(rng: Rng, t: number, trials: number): Int32Array {
  const { x0 } = generatePatterns(rng, trials);
  const { mask } = maskArrays(x0, new Float32Array(trials).fill(t), rng);
  const counts = new Int32Array(trials);
  for (let i = 0; i < mask.length; i++) counts[(i / L) | 0] += mask[i];
  return counts;
}

export interface MaskedCountHistogram {
  readonly t: number;
  /** Share of the TRIALS sequences with k masked tokens, k = 0..L. */
  readonly share: number[];
  /** Mean masked count a sequence. */
  readonly mean: number;
}

/**
 * The histogram cell at one ratio: how many tokens the masking function hid in each of
 * TRIALS sequences, tallied. Each ratio has its own stream, so moving the slider back
 * to a ratio shows the same draw again.
 */
export function maskedCountHistogram({ seed, t }: { seed: number; t: number }): MaskedCountHistogram {
  if (!Number.isFinite(t) || t <= 0 || t > 1) throw new RangeError(`a masking ratio is in (0, 1]; got ${t}`);
  const counts = maskedCounts(rngFor(seed, `histogram-${t}`), t, TRIALS);
  const share = new Array<number>(L + 1).fill(0);
  let total = 0;
  for (const c of counts) {
    share[c] += 1 / TRIALS;
    total += c;
  }
  return { t, share, mean: total / TRIALS };
}

export interface MaskedFractions {
  readonly t: number[];
  readonly fraction: number[];
}

/** The share of tokens masked at 20 ratios from 0.05 to 0.95, TRIALS sequences each. */
export async function maskedFractions({ seed }: { seed: number }, ctx: JobContext): Promise<MaskedFractions> {
  const rng = rngFor(seed, 'fraction-vs-t');
  const t = linspace(0.05, 0.95, 20);
  const fraction: number[] = [];
  for (const ti of t) {
    fraction.push(maskedCounts(rng, ti, TRIALS).reduce((s, c) => s + c, 0) / (TRIALS * L));
    await ctx.progress(fraction.length, t.length);
  }
  return { t, fraction };
}

export interface TrainingRatios {
  readonly binCentres: number[];
  /** Share of the sampled ratios in each of 20 bins of width 0.05. */
  readonly diffusion: number[];
  readonly draws: number;
}

/** The ratios training really sees: the engine's own batch sampler on the notebook's recipe, 160 batches. */
export async function trainingRatios({ seed }: { seed: number }, ctx: JobContext): Promise<TrainingRatios> {
  const rng = rngFor(seed, 'bert-vs-diffusion');
  const bins = 20;
  const hist = new Array<number>(bins).fill(0);
  const batches = 160;
  for (let i = 0; i < batches; i++) {
    for (const t of sampleBatch(rng, NOTEBOOK, DEFAULT_DATA).t) hist[Math.min(bins - 1, Math.floor(t * bins))]++;
    if (i % 20 === 19) await ctx.progress(i + 1, batches);
  }
  const draws = batches * NOTEBOOK.batchSize;
  return { binCentres: hist.map((_, i) => (i + 0.5) / bins), diffusion: hist.map((h) => h / draws), draws };
}
