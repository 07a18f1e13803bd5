/**
 * The exercises solved so far, as a set that stays the same object until one is solved
 * (useSyncExternalStore compares snapshots by identity, so a fresh Set every read would
 * re-render forever).
 */
import { useSyncExternalStore } from 'react';
import { EXERCISES, type ExerciseId } from '../../exercises/exercises.ts';
import { exerciseStore } from '../exercises/store.ts';

const IDS = Object.keys(EXERCISES) as ExerciseId[];
let cached: ReadonlySet<string> = new Set();

function solvedNow(): ReadonlySet<string> {
  const solved = IDS.filter((id) => exerciseStore.get(id).solvedCode !== null);
  if (solved.length !== cached.size || solved.some((id) => !cached.has(id))) cached = new Set(solved);
  return cached;
}

export function useSolvedExercises(): ReadonlySet<string> {
  return useSyncExternalStore(exerciseStore.subscribe, solvedNow, solvedNow);
}
