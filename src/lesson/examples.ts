/**
 * Worked examples the prose and a cell share, so the number the prose quotes
 * is computed from the very example the cell shows.
 */

/** Section 11's conflict: "7 2 9" visible at the start of 32 positions, the rest masked; positions 3 and 4 (0-based) revealed in one step. */
export const CONFLICT_EXAMPLE = Object.freeze({ visible: Object.freeze([7, 2, 9]), positions: Object.freeze([3, 4] as const), length: 32 });

export function conflictInput(): Int32Array {
  const x = new Int32Array(CONFLICT_EXAMPLE.length); // all [MASK] (id 0)
  CONFLICT_EXAMPLE.visible.forEach((v, i) => (x[i] = v));
  return x;
}
