/**
 * Each figure of the lesson draws from its own stream, named after it: the
 * same seed and name give the same draws on the page, in the compute worker
 * and in tests, and one figure's draws never shift another's.
 */
import { Rng } from './rng.ts';

/** FNV-1a: a stable 32-bit hash of a figure's name. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A generator for one figure: the same seed and name always give the same draws. */
export function rngFor(seed: number, name: string): Rng {
  return new Rng((seed ^ hash(name)) >>> 0);
}
