/**
 * Generation by unmasking, as the lesson's generation cell runs it (in the
 * compute worker): one batch with the chosen sampler, the same settings with
 * the other sampler, and the best possible denoiser, each judged the way the
 * data is made (perfectly periodic? which period? how many different?).
 */
import { DEFAULT_DATA, MASK_ID } from '../core/config.ts';
import { bayesDenoiser } from '../core/denoiser.ts';
import { rngFor } from '../core/figure-rng.ts';
import type { DiffusionLM } from '../core/model.ts';
import { sampleQuality, type SampleQuality } from '../core/periodicity.ts';
import { sample, type Sampler, type TimeGrid } from '../core/sampling.ts';
import type { JobContext } from './job-context.ts';

const L = DEFAULT_DATA.seqLen;
/** Sequences generated at once: enough for the quality numbers to mean something. */
export const BATCH = 64;
/** Sequences shown in the animation. */
export const SHOWN = 6;
export const MAX_STEPS = 64;

export interface Settings {
  readonly sampler: Sampler;
  readonly steps: number;
  readonly temperature: number;
  readonly grid: TimeGrid;
}

export const DEFAULT_SETTINGS: Settings = Object.freeze({ sampler: 'ancestral', steps: 32, temperature: 1, grid: 'uniform' });

export const SAMPLER_NAMES: Readonly<Record<Sampler, string>> = Object.freeze({
  ancestral: 'ancestral (random order)',
  confidence: 'confidence-based (surest first)',
});

export interface QualityRow {
  readonly name: string;
  readonly quality: SampleQuality;
}

export interface Generated {
  readonly settings: Settings;
  readonly seed: number;
  /** The first SHOWN sequences before any step and after each // [K+1] of [SHOWN*L]. */
  readonly frames: Int32Array[];
  /** t after each step, aligned with frames (frames[0] is t = 1). */
  readonly times: number[];
  readonly quality: SampleQuality;
  /** The same settings with the other sampler, and the best possible denoiser (ancestral). */
  readonly compare: QualityRow[];
}

/** Check settings typed by a learner; null when fine, else what to fix. */
export function settingsProblem(s: Settings): string | null {
  if (s.sampler !== 'ancestral' && s.sampler !== 'confidence') return 'Sampler must be ancestral or confidence.';
  if (s.grid !== 'uniform' && s.grid !== 'cosine') return 'Time grid must be uniform or cosine.';
  if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > MAX_STEPS) return `Steps must be a whole number from 1 to ${MAX_STEPS}.`;
  if (!Number.isFinite(s.temperature) || s.temperature < 0 || s.temperature > 3)
    return 'Temperature must be a number from 0 (always the likeliest token) to 3.';
  return null;
}

export async function generate(model: DiffusionLM, args: { settings: Settings; seed: number }, ctx: JobContext): Promise<Generated> {
  const { settings, seed } = args;
  const problem = settingsProblem(settings);
  if (problem) throw new RangeError(problem);
  const options = { ...settings, batch: BATCH, signal: ctx.signal };
  const main = await sample(model, rngFor(seed, 'generate'), options);
  await ctx.progress(1, 3);
  const other: Sampler = settings.sampler === 'ancestral' ? 'confidence' : 'ancestral';
  const rival = await sample(model, rngFor(seed, `generate-${other}`), { ...options, sampler: other, keepTrajectory: false });
  await ctx.progress(2, 3);
  const best = await sample(bayesDenoiser(), rngFor(seed, 'generate-best'), { ...options, sampler: 'ancestral', keepTrajectory: false });
  await ctx.progress(3, 3);
  const quality = sampleQuality(main.tokens);
  const rows: QualityRow[] = [
    { name: `this model, ${SAMPLER_NAMES[settings.sampler]}`, quality },
    { name: `this model, ${SAMPLER_NAMES[other]}`, quality: sampleQuality(rival.tokens) },
    { name: 'best possible denoiser, ancestral', quality: sampleQuality(best.tokens) },
  ];
  return {
    settings,
    seed,
    quality,
    compare: settings.sampler === 'ancestral' ? rows : [rows[1], rows[0], rows[2]],
    frames: [new Int32Array(SHOWN * L).fill(MASK_ID), ...main.trajectory.map((s) => s.tokens.slice(0, SHOWN * L))],
    times: [1, ...main.trajectory.map((s) => s.s)],
  };
}
