/** Messages between the page and the exercise worker. */
import type { CaseOutcome, ExerciseCase } from './execute.ts';
import type { ExerciseId } from './exercises.ts';
import type { CodeProblem } from './instrument.ts';

export type ToWorker =
  | { readonly type: 'model'; readonly version: number; readonly weights: [string, Float32Array][] }
  | { readonly type: 'run'; readonly id: number; readonly exercise: ExerciseId; readonly code: string; readonly cases: ExerciseCase[]; readonly limitMs: number };

export type FromWorker =
  | { readonly type: 'result'; readonly id: number; readonly problem?: CodeProblem; readonly outcomes: CaseOutcome[] }
  | { readonly type: 'failed'; readonly id: number; readonly message: string };
