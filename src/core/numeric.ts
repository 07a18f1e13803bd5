/**
 * Small exact formulas the lesson checks simulations against. Plain numbers, no
 * tfjs: figures that need only these stay out of the tensor chunk.
 */

/** Binomial(n, p) probabilities for k = 0..n, computed in log space so large n stays finite. */
export function binomialPmf(n: number, p: number): number[] {
  if (p <= 0) return Array.from({ length: n + 1 }, (_, k) => (k === 0 ? 1 : 0));
  if (p >= 1) return Array.from({ length: n + 1 }, (_, k) => (k === n ? 1 : 0));
  const out: number[] = [];
  let logChoose = 0; // log C(n, k), built up incrementally
  for (let k = 0; k <= n; k++) {
    if (k > 0) logChoose += Math.log((n - k + 1) / k);
    out.push(Math.exp(logChoose + k * Math.log(p) + (n - k) * Math.log(1 - p)));
  }
  return out;
}

/** n evenly spaced values from lo to hi inclusive (numpy's linspace). */
export function linspace(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (n === 1 ? lo : lo + ((hi - lo) * i) / (n - 1)));
}

/**
 * Moving average over the last `window` defined values (the notebook smooths
 * its loss over 50 steps). Skipped steps (null) are carried over, not counted.
 */
export function movingAverage(xs: readonly (number | null)[], window: number): (number | null)[] {
  const out: (number | null)[] = [];
  const kept: number[] = [];
  let sum = 0;
  for (const x of xs) {
    if (x !== null) {
      kept.push(x);
      sum += x;
      if (kept.length > window) sum -= kept[kept.length - window - 1];
    }
    out.push(kept.length === 0 ? null : sum / Math.min(kept.length, window));
  }
  return out;
}
