/**
 * The arithmetic behind the loss-by-ratio and ELBO figures, kept apart from
 * React so it can be tested against exact values.
 *
 * Let l(t) be the mean loss per masked token at ratio t. About L·t tokens are
 * masked, so per token the ELBO is the integral of l(t) over (0, 1): every
 * ratio counts the same. The notebook's pooled mean over masked tokens counts
 * a ratio in proportion to how many tokens it masks, t, over its training
 * range U(tMin, 1). Cut (0, 1) into bins and each bin contributes its l times
 * its weight; the contributions add up to the objective.
 */
import { bayesPosterior } from './bayes.ts';
import { DEFAULT_DATA, MASK_ID, type DataConfig } from './config.ts';
import { generatePatterns } from './data.ts';
import { maskArrays } from './masking.ts';
import type { LossWeighting } from './objective.ts';
import type { Rng } from './rng.ts';

/** Bins of (0, 1) the figures use. */
export const BIN_COUNT = 20;

/** Midpoints of BIN_COUNT equal bins of (0, 1): 0.025, 0.075, …, 0.975. */
export const BIN_MIDPOINTS: readonly number[] = Object.freeze(
  Array.from({ length: BIN_COUNT }, (_, k) => Number(((k + 0.5) / BIN_COUNT).toFixed(4))),
);

/** The notebook's training draws t from U(0.02, 1): a t near 0 rarely masks anything. */
export const NOTEBOOK_T_MIN = 0.02;

/**
 * Share of the objective that falls in each bin, for a loss that is constant
 * within a bin: the ELBO's density is 1 on (0, 1); the pooled mean's is
 * t / (integral of t over (tMin, 1)). Each list sums to 1 (ELBO: 1, per unit t).
 */
export function binWeights(kind: LossWeighting, tMin = NOTEBOOK_T_MIN, bins = BIN_COUNT): number[] {
  const out: number[] = [];
  for (let k = 0; k < bins; k++) {
    const lo = k / bins,
      hi = (k + 1) / bins;
    if (kind === 'elbo') out.push(hi - lo);
    else {
      const a = Math.min(hi, Math.max(lo, tMin));
      out.push((hi * hi - a * a) / (1 - tMin * tMin));
    }
  }
  return out;
}

/** Each bin's contribution (nats) to the objective, from the loss per masked token in each bin. */
export function contributions(kind: LossWeighting, lossPerBin: readonly number[]): number[] {
  const w = binWeights(kind, NOTEBOOK_T_MIN, lossPerBin.length);
  return lossPerBin.map((l, k) => l * w[k]);
}

export const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/**
 * The data's exact entropy per token, in nats. A sequence whose shortest
 * period is m arises from every period p (minPeriod..maxPeriod) that m
 * divides, each with probability 1/#periods · R^-p; the number of sequences
 * with shortest period m is R^m less those of the divisors of m. Exact when
 * seqLen >= 2·maxPeriod (then two periods of a sequence imply their gcd is one).
 */
export function dataEntropyPerToken(data: DataConfig = DEFAULT_DATA): number {
  const R = data.vocabSize - 1;
  const periods: number[] = [];
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) periods.push(p);
  const primitive = new Map<number, number>(); // shortest period m -> number of sequences
  let H = 0;
  for (let m = 1; m <= data.maxPeriod; m++) {
    let count = R ** m;
    for (const [d, c] of primitive) if (m % d === 0) count -= c;
    primitive.set(m, count);
    const p = periods.filter((q) => q % m === 0).reduce((s, q) => s + R ** -q / periods.length, 0);
    if (p > 0) H -= count * p * Math.log(p);
  }
  return H / data.seqLen;
}

/**
 * The best possible loss per masked token at each ratio: -log of the exact
 * posterior (bayes.ts) at the true token, averaged over `seqs` sequences.
 * Integrated over t it gives the data's entropy: the floor of the ELBO.
 */
export function bestPossibleLoss(ratios: readonly number[], seqs: number, rng: Rng, data: DataConfig = DEFAULT_DATA): number[] {
  const { seqLen: L, vocabSize: V } = data;
  return ratios.map((t) => {
    const { x0 } = generatePatterns(rng, seqs, data);
    const { xt } = maskArrays(x0, new Float32Array(seqs).fill(t), rng);
    let total = 0,
      masked = 0;
    for (let b = 0; b < seqs; b++) {
      const probs = bayesPosterior(xt.subarray(b * L, (b + 1) * L), data); // [L, V]
      for (let i = 0; i < L; i++) {
        if (xt[b * L + i] !== MASK_ID) continue;
        total -= Math.log(probs[i * V + x0[b * L + i]]);
        masked++;
      }
    }
    return masked === 0 ? 0 : total / masked;
  });
}
