/** How to write words by unmasking: the settings a learner can change, and their checks. Plain data. */
import type { Sampler, TimeGrid } from '../core/sampling.ts';
import { WORD_LENGTH } from './alphabet.ts';

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
  if (s.sampler !== 'ancestral' && s.sampler !== 'confidence') return 'The sampler must be ancestral or confidence.';
  if (s.grid !== 'uniform' && s.grid !== 'cosine') return 'The time grid must be uniform or cosine.';
  if (!Number.isInteger(s.steps) || s.steps < 1 || s.steps > MAX_WORD_STEPS) return `Steps must be a whole number from 1 to ${MAX_WORD_STEPS}.`;
  if (!Number.isFinite(s.temperature) || s.temperature < 0 || s.temperature > 3)
    return 'Temperature must be a number from 0 (always the likeliest letter) to 3.';
  return null;
}
