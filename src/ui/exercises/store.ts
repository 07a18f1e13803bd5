/**
 * Each exercise's state, saved as the student works: their code (never lost on
 * reload), attempts, hints opened, whether the solution was revealed, and the
 * code that first passed every check (Results uses it for TODO 2).
 */
import { EXERCISE_IDS, EXERCISES, type ExerciseId } from '../../exercises/exercises.ts';

export interface ExerciseState {
  readonly code: string;
  readonly attempts: number;
  readonly hints: number;
  readonly solutionShown: boolean;
  /** The code that passed every check, or null. */
  readonly solvedCode: string | null;
}

const KEY = 'unmask.exercises.v1';
type All = Record<ExerciseId, ExerciseState>;

const fresh = (id: ExerciseId): ExerciseState => ({ code: EXERCISES[id].starter, attempts: 0, hints: 0, solutionShown: false, solvedCode: null });

function load(): All {
  const all = Object.fromEntries(EXERCISE_IDS.map((id) => [id, fresh(id)])) as All;
  try {
    const raw = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Record<ExerciseId, Partial<ExerciseState>>>;
    for (const id of EXERCISE_IDS) {
      const v = raw[id];
      if (!v || typeof v !== 'object') continue;
      all[id] = {
        code: typeof v.code === 'string' ? v.code : all[id].code,
        attempts: Number.isInteger(v.attempts) && v.attempts! >= 0 ? v.attempts! : 0,
        hints: Number.isInteger(v.hints) ? Math.min(3, Math.max(0, v.hints!)) : 0,
        solutionShown: v.solutionShown === true,
        solvedCode: typeof v.solvedCode === 'string' ? v.solvedCode : null,
      };
    }
  } catch {
    // Unreadable storage: start from the starter code.
  }
  return all;
}

let state: All | null = null;
const listeners = new Set<() => void>();

// Work saved in another tab shows up here too.
globalThis.addEventListener?.('storage', (e: StorageEvent) => {
  if (e.key !== KEY) return;
  state = load();
  for (const fn of listeners) fn();
});

export const exerciseStore = {
  subscribe(fn: () => void): () => void {
    listeners.add(fn);
    return () => listeners.delete(fn);
  },
  get(id: ExerciseId): ExerciseState {
    state ??= load();
    return state[id];
  },
  update(id: ExerciseId, patch: Partial<ExerciseState>): void {
    // Re-read first: another tab may have saved the other exercise since.
    const stored = load();
    state = { ...stored, [id]: { ...(state ?? stored)[id], ...patch } };
    try {
      localStorage.setItem(KEY, JSON.stringify(state));
    } catch {
      // Not persisted (private mode, full quota); the session still works.
    }
    for (const fn of listeners) fn();
  },
};

/** Instructors can hide solutions: ?solutions=off in the link. */
export function solutionsHidden(search = globalThis.location?.search ?? ''): boolean {
  return new URLSearchParams(search).get('solutions') === 'off';
}
