/**
 * The fixed inputs every check runs on: one public case (shown in full) and
 * three hidden ones, each a pattern sequence drawn from a fixed seed (TODO 3's
 * with the uniforms of one reverse step besides). Plain
 * arrays, no tensors: the page builds them, the sandbox and the trusted
 * reference both run on them.
 */
import { DEFAULT_DATA, MASK_ID } from '../core/config.ts';
import { Rng } from '../core/rng.ts';
import type { ExerciseId } from './exercises.ts';
import type { ExerciseCase } from './protocol.ts';

export interface LabeledCase {
  readonly label: string;
  /** Hidden cases show their result, not their input. */
  readonly hidden: boolean;
  readonly c: ExerciseCase;
}

function patternCase(seed: number, t: number): ExerciseCase {
  const rng = new Rng(seed);
  const L = DEFAULT_DATA.seqLen;
  const x0 = new Int32Array(L);
  // A pattern sequence, drawn as the data generator does.
  const p = rng.int(DEFAULT_DATA.minPeriod, DEFAULT_DATA.maxPeriod);
  const pattern = Array.from({ length: p }, () => rng.int(1, DEFAULT_DATA.vocabSize - 1));
  for (let i = 0; i < L; i++) x0[i] = pattern[i % p];
  const mask = new Uint8Array(L);
  const xt = new Int32Array(L);
  // At least one mask, so the loss is defined: redraw until there is one (t > 0 here).
  do {
    for (let i = 0; i < L; i++) {
      mask[i] = rng.next() < t ? 1 : 0;
      xt[i] = mask[i] ? MASK_ID : x0[i];
    }
  } while (!mask.includes(1));
  return { x0, xt, mask, t, k: 3 };
}

/** TODO 3: a sequence masked at t, to take one step down to s, with the step's uniforms (u: what opens, g: what it becomes). */
function revealCase(seed: number, t: number, s: number): ExerciseCase {
  const base = patternCase(seed, t);
  const rng = new Rng(seed + 7);
  const L = base.xt.length;
  return { ...base, s, u: Float64Array.from({ length: L }, () => rng.next()), g: Float64Array.from({ length: L }, () => rng.next()) };
}

export function exerciseCases(exercise: ExerciseId = 'todo-1'): LabeledCase[] {
  if (exercise === 'todo-3') {
    return [
      { label: 'Public check: seed 0, t = 0.8 to s = 0.6', hidden: false, c: revealCase(0, 0.8, 0.6) },
      { label: 'Hidden check 1: t = 0.5 to s = 0.25', hidden: true, c: revealCase(101, 0.5, 0.25) },
      { label: 'Hidden check 2: t = 1 to s = 0.75', hidden: true, c: revealCase(202, 1, 0.75) },
      { label: 'Hidden check 3: the last step, t = 0.3 to s = 0', hidden: true, c: revealCase(303, 0.3, 0) },
    ];
  }
  return [
    { label: 'Public check: seed 0, t = 0.5', hidden: false, c: patternCase(0, 0.5) },
    { label: 'Hidden check 1: t = 0.2', hidden: true, c: patternCase(101, 0.2) },
    { label: 'Hidden check 2: t = 0.5', hidden: true, c: patternCase(202, 0.5) },
    { label: 'Hidden check 3: t = 0.8', hidden: true, c: patternCase(303, 0.8) },
  ];
}
