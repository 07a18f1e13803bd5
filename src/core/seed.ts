/** A seed is a whole number in [0, 2^32): what the Rng takes without surprises, on the page and in the CLI. */
export const MAX_SEED = 0xffffffff;

/** A seed from text or a number (a URL, a form, a saved record), or null if it is not one: never silently reduced. */
export function parseSeed(raw: unknown): number | null {
  const n = typeof raw === 'string' && /^\d{1,10}$/.test(raw.trim()) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_SEED ? n : null;
}
