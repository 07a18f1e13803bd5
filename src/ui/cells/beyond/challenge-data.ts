/**
 * The precomputed challenge curves (bench/challenges.ts writes them, the
 * challenge cells draw them) and the small pure helpers both sides share.
 * Plain TypeScript: no React, no tfjs, so the Node script can import it.
 */
import { linspace } from '../../../core/numeric.ts';
import type { TimeInput } from '../../../core/model.ts';

/** Ratios of the final accuracy curves: 0.05 to 0.95 in steps of 0.05, so 0.1, 0.5 and 0.8 are on the grid. */
export const CHALLENGE_RATIOS: readonly number[] = Object.freeze(linspace(0.05, 0.95, 19).map((t) => Number(t.toFixed(4))));

export interface RatioPoint {
  readonly t: number;
  readonly accuracy: number;
  readonly bestPossible: number;
  /** Mean cross-entropy (nats) per masked token at this ratio. */
  readonly meanLoss: number;
}

/** One time input's run: the loss at every step and where it ended. */
export interface VariantCurves {
  readonly timeInput: TimeInput;
  /** Wall time of the training loop, seconds. */
  readonly seconds: number;
  /** Loss per step; null for a batch with nothing masked (skipped). */
  readonly losses: readonly (number | null)[];
  /** Accuracy at the check-up ratios (`checkT`) every few steps, as the live runs measure it. */
  readonly checkups: readonly { readonly step: number; readonly accuracy: readonly number[] }[];
  readonly ratios: readonly RatioPoint[];
  readonly meanLoss: number;
  readonly elboBitsPerToken: number;
}

export interface TimeInputCurves {
  /** How to make this file again. */
  readonly command: string;
  readonly recipe: string;
  readonly steps: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly backend: string;
  readonly evalSeqsPerRatio: number;
  readonly evalSeed: number;
  /** Ratios of the check-ups during training. */
  readonly checkT: readonly number[];
  readonly variants: readonly VariantCurves[];
}

/** How each time input is named to learners. */
export const TIME_INPUT_LABELS: Readonly<Record<TimeInput, string>> = Object.freeze({
  learned: 'learned MLP (the notebook)',
  sinusoidal: 'fixed sinusoids of t',
  none: 'no time input',
});

/**
 * Moving average over the last `window` defined values (the notebook smooths
 * its loss over 50 steps). Skipped steps (null) are carried over, not counted.
 */
export function movingAverage(xs: readonly (number | null)[], window: number): (number | null)[] {
  const out: (number | null)[] = [];
  const kept: number[] = [];
  let sum = 0;
  for (const x of xs) {
    if (x !== null) {
      kept.push(x);
      sum += x;
      if (kept.length > window) sum -= kept[kept.length - window - 1];
    }
    out.push(kept.length === 0 ? null : sum / Math.min(kept.length, window));
  }
  return out;
}

/** Accuracy at ratio t from a curve, or null if t is not on its grid. */
export function accuracyAt(ratios: readonly RatioPoint[], t: number): number | null {
  return ratios.find((r) => Math.abs(r.t - t) < 1e-6)?.accuracy ?? null;
}
