/**
 * The precomputed challenge curves (bench/challenges.ts writes them, the
 * challenge cells draw them) and the small pure helpers both sides share.
 * Plain TypeScript: no React, no tfjs, so the Node script can import it.
 */
import { linspace } from '../core/numeric.ts';
import type { TimeInput } from '../core/model.ts';

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
  /** Ratios of the check-ups during training, and the steps between them. */
  readonly checkT: readonly number[];
  readonly checkupEvery: number;
  readonly variants: readonly VariantCurves[];
}

/** How each time input is named to learners. */
export const TIME_INPUT_LABELS: Readonly<Record<TimeInput, string>> = Object.freeze({
  learned: 'learned MLP (the notebook)',
  sinusoidal: 'fixed sinusoids of t',
  none: 'no time input',
});

/** Accuracy at ratio t from a curve, or null if t is not on its grid. */
export function accuracyAt(ratios: readonly RatioPoint[], t: number): number | null {
  return ratios.find((r) => Math.abs(r.t - t) < 1e-6)?.accuracy ?? null;
}

/** A curve has broken away from the plateau once it fills this share at t = 0.1 ("which tokens occur" gives about 40%). */
export const BREAKAWAY_ACCURACY = 0.6;

/** The first check-up step at which a variant fills more than BREAKAWAY_ACCURACY at the lowest check-up ratio; null if it never does. */
export function breakawayStep(v: VariantCurves): number | null {
  return v.checkups.find((c) => c.accuracy[0] > BREAKAWAY_ACCURACY)?.step ?? null;
}

const percent = (x: number) => `${(100 * x).toFixed(1)}%`;

/**
 * What the precomputed runs show, in sentences computed from the file, so the
 * words stay true if the file is made again with another seed or length.
 */
export function describeTimeInputRuns(data: TimeInputCurves): string[] {
  const { variants, steps } = data;
  const name = (v: VariantCurves) => TIME_INPUT_LABELS[v.timeInput];
  const at = (v: VariantCurves, t: number) => accuracyAt(v.ratios, t) ?? Number.NaN;
  const jumps = variants.map((v) => ({ v, step: breakawayStep(v) }));
  const first = Math.min(...jumps.map((j) => j.step ?? Infinity));
  const out: string[] = [];
  if (Number.isFinite(first)) {
    // The plateau: the second half of the steps before anyone broke away, at the check-up ratios up to 0.7.
    const upTo = data.checkT.filter((t) => t <= 0.7).length;
    const plateau = variants.flatMap((v) =>
      v.checkups.filter((c) => c.step >= first / 2 && c.step < first - data.checkupEvery).flatMap((c) => c.accuracy.slice(0, upTo)),
    );
    if (plateau.length > 0) {
      const mean = plateau.reduce((a, b) => a + b, 0) / plateau.length;
      out.push(
        `For the first ${first - data.checkupEvery} steps all three sit on the same plateau, about ${percent(mean)} at every ratio up to t = 0.7: ` +
          'they have learned which tokens occur in a sequence, not where they go.',
      );
    }
    const order = [...jumps].sort((a, b) => (a.step ?? Infinity) - (b.step ?? Infinity));
    out.push(
      `Then they break away (over ${percent(BREAKAWAY_ACCURACY)} at t = ${data.checkT[0]}): ${order.map((j) => (j.step === null ? `${name(j.v)} not within ${steps} steps` : `${name(j.v)} by step ${j.step}`)).join(', ')}.`,
    );
  }
  const ranked = [...variants].sort((a, b) => at(b, 0.5) - at(a, 0.5));
  const best = variants[0].ratios.find((r) => Math.abs(r.t - 0.5) < 1e-6)?.bestPossible ?? Number.NaN;
  out.push(
    `After ${steps} steps, at t = 0.5: ${ranked.map((v) => `${name(v)} ${percent(at(v, 0.5))}`).join(', ')} (best possible ${percent(best)}).`,
  );
  const none = variants.find((v) => v.timeInput === 'none');
  const learned = variants.find((v) => v.timeInput === 'learned');
  if (none && learned) {
    const gap = at(none, 0.5) - at(learned, 0.5);
    out.push(
      gap >= -0.02
        ? `Taking the time input away cost nothing: the model with no time input did ${gap > 0.02 ? 'better than' : 'as well as'} the notebook's learned MLP.`
        : `In this run the model without a time input is ${(100 * -gap).toFixed(1)} points behind the learned MLP at t = 0.5.`,
    );
  }
  return out;
}

/** One sentence on a second run of the same experiment from another seed: did it end in the same order? */
export function describeRepeat(main: TimeInputCurves, repeat: TimeInputCurves): string {
  const order = (d: TimeInputCurves) => [...d.variants].sort((a, b) => (accuracyAt(b.ratios, 0.5) ?? 0) - (accuracyAt(a.ratios, 0.5) ?? 0));
  const same =
    order(main)
      .map((v) => v.timeInput)
      .join() ===
    order(repeat)
      .map((v) => v.timeInput)
      .join();
  const list = order(repeat)
    .map((v) => `${TIME_INPUT_LABELS[v.timeInput]} ${percent(accuracyAt(v.ratios, 0.5) ?? Number.NaN)}`)
    .join(', ');
  return `A second run from seed ${repeat.seed}, otherwise the same, ended in ${same ? 'the same' : 'a different'} order at t = 0.5: ${list}.`;
}
