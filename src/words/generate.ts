/**
 * Writing words by unmasking: the lesson's two samplers on 12 letter slots,
 * all [MASK] to a word, with every step kept for showing and the samples of
 * both samplers measured against the list (src/words/quality.ts).
 */
import { MASK_ID } from '../core/config.ts';
import type { DiffusionLM } from '../core/model.ts';
import type { Rng } from '../core/rng.ts';
import { sample, type Sampler, type TimeGrid } from '../core/sampling.ts';
import { WORD_LENGTH } from './alphabet.ts';
import { measureWords, type ListProfile, type WordQuality } from './quality.ts';

export interface WordSettings {
  readonly sampler: Sampler;
  /** Reverse steps; 12 reveals about one letter slot a step. */
  readonly steps: number;
  readonly temperature: number;
  readonly grid: TimeGrid;
}

export const WORD_SETTINGS: WordSettings = Object.freeze({ sampler: 'ancestral', steps: WORD_LENGTH, temperature: 1, grid: 'uniform' });
export const MAX_WORD_STEPS = 48;

/** Check settings a learner typed; null when fine, else what to fix. */
export function wordSettingsProblem(s: WordSettings): string | null {
  if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > MAX_WORD_STEPS) return `Steps must be a whole number from 1 to ${MAX_WORD_STEPS}.`;
  if (!Number.isFinite(s.temperature) || s.temperature < 0 || s.temperature > 3) return 'Temperature must be a number from 0 (always the likeliest letter) to 3.';
  return null;
}

export interface GeneratedWords {
  readonly settings: WordSettings;
  /** The first `shown` samples before any step and after each // [K+1] of [shown * WORD_LENGTH]. */
  readonly frames: Int32Array[];
  /** t after each step, aligned with frames (frames[0] is t = 1). */
  readonly times: number[];
  readonly quality: WordQuality;
  /** The same settings with the other sampler. */
  readonly other: { readonly sampler: Sampler; readonly quality: WordQuality };
}

export async function generateWords(
  model: DiffusionLM,
  rngs: { readonly main: Rng; readonly other: Rng },
  settings: WordSettings,
  profile: ListProfile,
  { batch = 64, shown = 8, signal }: { batch?: number; shown?: number; signal?: AbortSignal } = {},
): Promise<GeneratedWords> {
  const options = { ...settings, batch, seqLen: WORD_LENGTH, signal };
  const main = await sample(model, rngs.main, options);
  if (main.aborted) throw new DOMException('superseded', 'AbortError');
  const otherSampler: Sampler = settings.sampler === 'ancestral' ? 'confidence' : 'ancestral';
  const rival = await sample(model, rngs.other, { ...options, sampler: otherSampler, keepTrajectory: false });
  if (rival.aborted) throw new DOMException('superseded', 'AbortError');
  const n = Math.min(shown, batch) * WORD_LENGTH;
  return {
    settings,
    frames: [new Int32Array(n).fill(MASK_ID), ...main.trajectory.map((s) => s.tokens.slice(0, n))],
    times: [1, ...main.trajectory.map((s) => s.s)],
    quality: measureWords(main.tokens, profile),
    other: { sampler: otherSampler, quality: measureWords(rival.tokens, profile) },
  };
}
