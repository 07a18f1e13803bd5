/** How long a live run may be, checked in one place for the controls, the store and saved runs. */

/** Most steps one live run may take: 6500 is the curriculum recipe's full length. */
export const MAX_LIVE_STEPS = 6500;

/** Null when `steps` is a run length the lesson accepts, else what to fix, in words. */
export function stepsProblem(steps: unknown): string | null {
  if (Number.isInteger(steps) && (steps as number) >= 1 && (steps as number) <= MAX_LIVE_STEPS) return null;
  return `Steps must be a whole number from 1 to ${MAX_LIVE_STEPS}.`;
}
