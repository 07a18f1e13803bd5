/**
 * The reference solutions, loaded only when a learner asks to see one. A class
 * build (VITE_SOLUTIONS=off) has none: the build swaps the module for an empty
 * one (src/build/class-build.ts), so no solution is anywhere in dist/.
 */
import type { ExerciseId } from '../../exercises/exercises.ts';

/** False in a class build: the page says so instead of offering to reveal. */
export const SOLUTIONS_IN_BUILD = import.meta.env.VITE_SOLUTIONS !== 'off';

export async function loadSolution(id: ExerciseId): Promise<string | null> {
  if (!SOLUTIONS_IN_BUILD) return null;
  const { SOLUTIONS } = await import('../../exercises/solutions.ts');
  return SOLUTIONS?.[id] ?? null;
}
