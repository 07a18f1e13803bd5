/** "The cat sat on the mat" as token ids, for the sections that use words rather than patterns. */
import type { Rng } from '../../core/rng.ts';

/** Index = token id; 0 is [MASK], as in the model's vocabulary. */
export const WORDS: readonly string[] = ['[MASK]', 'The', 'cat', 'sat', 'on', 'the', 'mat'];
export const SENTENCE: readonly number[] = [1, 2, 3, 4, 5, 6];

/** A standard normal draw (Box–Muller) from the seeded generator. */
export function normal(rng: Rng): number {
  const u = 1 - rng.next(); // (0, 1]: log is finite
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}
