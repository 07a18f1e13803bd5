/**
 * Drawing one token from a row of logits, in float64 JS numbers.
 *
 * The samplers read the model's logits back once per step and do every draw
 * here: the arithmetic is float64 on every backend, the randomness is our
 * seeded Rng, and [MASK] (MASK_ID) is simply never a candidate, so the
 * categorical is renormalised over the real tokens 1..V-1.
 *
 * Temperature T scales logits: p_v ∝ exp(logit_v / T). T = 0 is the limit,
 * the argmax (ties go to the smaller token id, as in bayes.ts).
 */
import { MASK_ID } from './config.ts';
import type { Rng } from './rng.ts';

/** Uniform in the open interval (0, 1) with 53 random bits: log(u) and log(-log u) stay finite. */
export function openUniform53(rng: Rng): number {
  const hi = rng.nextUint32() >>> 5; // 27 bits
  const lo = rng.nextUint32() >>> 6; // 26 bits
  return (hi * 67108864 + lo + 0.5) / 9007199254740992; // (k + 1/2) / 2^53
}

/** Standard Gumbel noise -log(-log u), in float64. */
export function gumbel(rng: Rng): number {
  return -Math.log(-Math.log(openUniform53(rng)));
}

/** The real token with the largest logit in row `logits[offset .. offset+V)`; ties: smaller id. */
export function argmaxReal(logits: ArrayLike<number>, offset: number, V: number): number {
  let best = -1;
  for (let v = 0; v < V; v++) {
    if (v === MASK_ID) continue;
    if (best < 0 || logits[offset + v] > logits[offset + best]) best = v;
  }
  return best;
}

/**
 * p_v ∝ exp(logit_v / T) over real tokens, written into `out` [V] (out[MASK_ID] = 0).
 * T = 0 gives the one-hot of the argmax.
 */
export function realTokenProbs(logits: ArrayLike<number>, offset: number, V: number, T: number, out: Float64Array): Float64Array {
  out.fill(0);
  if (T === 0) {
    out[argmaxReal(logits, offset, V)] = 1;
    return out;
  }
  const maxLogit = logits[offset + argmaxReal(logits, offset, V)];
  let Z = 0;
  for (let v = 0; v < V; v++) {
    if (v === MASK_ID) continue;
    Z += out[v] = Math.exp((logits[offset + v] - maxLogit) / T); // shifted: the largest term is exp(0) = 1
  }
  for (let v = 0; v < V; v++) out[v] /= Z;
  return out;
}

/** Inverse-CDF draw from `probs` [V] (one uniform). Rounding at the top end falls back to the last token with mass. */
export function drawCategorical(probs: Float64Array, rng: Rng): number {
  const u = rng.next();
  let cumulative = 0;
  let last = -1;
  for (let v = 0; v < probs.length; v++) {
    if (probs[v] === 0) continue;
    cumulative += probs[v];
    last = v;
    if (u < cumulative) return v;
  }
  return last;
}

/**
 * Gumbel-max at temperature T: argmax_v (logit_v / T + g_v), g_v ~ Gumbel(0, 1) in
 * float64, one per real token. This is an exact draw from softmax(logit / T); T = 0 is
 * the argmax and draws nothing. LLaDA notes that Gumbel noise in float32 (too few
 * distinct values near u -> 1) degrades samples, hence float64 with 53-bit uniforms.
 */
export function gumbelMax(logits: ArrayLike<number>, offset: number, V: number, T: number, rng: Rng): number {
  if (T === 0) return argmaxReal(logits, offset, V);
  let best = -1;
  let bestScore = -Infinity;
  for (let v = 0; v < V; v++) {
    if (v === MASK_ID) continue;
    const score = logits[offset + v] / T + gumbel(rng);
    if (best < 0 || score > bestScore) {
      best = v;
      bestScore = score;
    }
  }
  return best;
}

/** The model's own (T = 1) probability of token `v`, renormalised over real tokens. */
export function realTokenProb(logits: ArrayLike<number>, offset: number, V: number, v: number): number {
  const maxLogit = logits[offset + argmaxReal(logits, offset, V)];
  let Z = 0;
  for (let w = 0; w < V; w++) if (w !== MASK_ID) Z += Math.exp(logits[offset + w] - maxLogit);
  return Math.exp(logits[offset + v] - maxLogit) / Z;
}
