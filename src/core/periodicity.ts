/**
 * Is a generated sequence one the data could have produced? The data tiles a
 * pattern of length p ∈ {minPeriod..maxPeriod} (notebook: 2, 3, 4) to length L,
 * so a sample is "perfectly periodic" when some such p is a period of it. Its
 * minimal period can still be smaller than p: a pattern "a a" has period 1 and
 * "a b a b" period 2, which is why the data's minimal periods are not uniform
 * on {2, 3, 4} and include 1. `dataPeriodDistribution` gives that law exactly.
 *
 * Plain numbers, no tfjs: the lesson's quality panel and the CLI share it.
 */
import { DEFAULT_DATA, MASK_ID, validateDataConfig, type DataConfig } from './config.ts';

/** True when seq[i] = seq[i - p] for every i >= p. */
export function hasPeriod(seq: ArrayLike<number>, p: number): boolean {
  for (let i = p; i < seq.length; i++) if (seq[i] !== seq[i - p]) return false;
  return true;
}

/** The smallest p >= 1 that is a period of `seq` (its length when nothing shorter is; 0 for empty). */
export function minimalPeriod(seq: ArrayLike<number>): number {
  for (let p = 1; p < seq.length; p++) if (hasPeriod(seq, p)) return p;
  return seq.length;
}

/**
 * In the data's support: only real tokens (no [MASK], ids 1..V-1), and the tiling of
 * its first p tokens for some p in minPeriod..maxPeriod.
 */
export function isPerfectlyPeriodic(seq: ArrayLike<number>, data: DataConfig = DEFAULT_DATA): boolean {
  for (let i = 0; i < seq.length; i++) if (!Number.isInteger(seq[i]) || seq[i] <= MASK_ID || seq[i] >= data.vocabSize) return false;
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) if (hasPeriod(seq, p)) return true;
  return false;
}

/**
 * How far from the data's support: the fewest tokens to change so that the sequence
 * tiles a pattern of length p ∈ minPeriod..maxPeriod of real tokens. For each p, each
 * residue class keeps its most frequent real token and pays for the rest ([MASK]
 * always pays). 0 exactly when isPerfectlyPeriodic. A graded score for samples that
 * are "nearly" periodic, where the yes/no fraction says little.
 */
export function periodicDefect(seq: ArrayLike<number>, data: DataConfig = DEFAULT_DATA): number {
  const counts = new Int32Array(data.vocabSize); // [V], per residue class
  let best = Infinity;
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) {
    let defect = 0;
    for (let r = 0; r < p && r < seq.length; r++) {
      counts.fill(0);
      let n = 0;
      for (let i = r; i < seq.length; i += p, n++) {
        const v = seq[i];
        if (Number.isInteger(v) && v > MASK_ID && v < data.vocabSize) counts[v]++;
      }
      defect += n - Math.max(...counts);
    }
    best = Math.min(best, defect);
  }
  return best;
}

/** Number of distinct rows in a flat [B*L] array. */
export function countDistinct(tokens: ArrayLike<number>, seqLen: number): number {
  const flat = rowsOf(tokens, seqLen);
  const seen = new Set<string>();
  for (let i = 0; i < flat.length; i += seqLen) seen.add(flat.subarray(i, i + seqLen).join(','));
  return seen.size;
}

export interface PeriodHistogram {
  /** byPeriod[p - 1]: rows whose minimal period is p, for p = 1..maxPeriod. */
  readonly byPeriod: number[];
  /** Rows whose minimal period exceeds maxPeriod (not periodic the data's way). */
  readonly longer: number;
  readonly total: number;
}

/** Histogram of minimal periods over the rows of a flat [B*L] array. */
export function periodHistogram(tokens: ArrayLike<number>, seqLen: number, data: DataConfig = DEFAULT_DATA): PeriodHistogram {
  const flat = rowsOf(tokens, seqLen);
  const byPeriod = new Array<number>(data.maxPeriod).fill(0);
  let longer = 0;
  for (let i = 0; i < flat.length; i += seqLen) {
    const p = minimalPeriod(flat.subarray(i, i + seqLen));
    if (p >= 1 && p <= data.maxPeriod) byPeriod[p - 1]++;
    else longer++;
  }
  return { byPeriod, longer, total: flat.length / seqLen };
}

/**
 * The exact law of the minimal period of a data sequence // [maxPeriod], entry p - 1
 * for period p. Counting, not sampling: a pattern's minimal period after tiling depends
 * only on which of its tokens are equal, its equality structure (a set partition of
 * its p slots, written as a restricted growth string). A structure with k blocks is
 * realised by R(R-1)...(R-k+1) of the R^p patterns (R = V - 1 real tokens), so
 *
 *   P(period d) = Σ_p (1/#periods) Σ_{structures s of length p, period(tile(s)) = d} R^(k_s falling) / R^p.
 *
 * Defaults (R = 15, p ∈ {2,3,4}, L = 32): 241, 3164, 3360, 3360 out of 10125, i.e.
 * 2.380%, 31.249%, 33.185%, 33.185%. Cost: Bell(p) structures per p (15 for p = 4).
 */
export function dataPeriodDistribution(data: DataConfig = DEFAULT_DATA): number[] {
  validateDataConfig(data);
  const R = data.vocabSize - 1;
  const nPeriods = data.maxPeriod - data.minPeriod + 1;
  if (data.maxPeriod > 12) throw new RangeError(`maxPeriod ${data.maxPeriod} has too many pattern structures to enumerate (at most 12)`);
  const dist = new Array<number>(data.maxPeriod).fill(0);
  const tiled = new Int32Array(data.seqLen);
  const visit = (p: number, prefix: number[], blocks: number): void => {
    if (prefix.length === p) {
      let prob = 1 / nPeriods; // P(p) · R(R-1)...(R-blocks+1) / R^p, a factor at a time
      for (let j = 0; j < p; j++) prob *= (j < blocks ? R - j : 1) / R;
      if (prob <= 0) return; // more distinct tokens than the vocabulary has
      for (let i = 0; i < data.seqLen; i++) tiled[i] = prefix[i % p];
      dist[minimalPeriod(tiled) - 1] += prob;
      return;
    }
    for (let b = 0; b <= blocks; b++) visit(p, [...prefix, b], Math.max(blocks, b + 1));
  };
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) visit(p, [], 0);
  return dist;
}

/**
 * What "knowing which tokens occur, not where" is worth: a model that spreads its
 * guess evenly over the k different tokens of a sequence's pattern is right 1/k of
 * the time. E[1/k] by pattern length p // [maxPeriod + 1] (entry p; 0 where p is
 * never drawn), and overall. Exact, by the same counting of equality structures as
 * dataPeriodDistribution: a structure with k blocks is realised by R(R-1)...(R-k+1)
 * of the R^p patterns. Defaults: 0.533, 0.367, 0.284 for p = 2, 3, 4; 0.395 overall.
 */
export function meanInverseDistinctTokens(data: DataConfig = DEFAULT_DATA): { byPeriod: number[]; overall: number } {
  validateDataConfig(data);
  const R = data.vocabSize - 1;
  const byPeriod = new Array<number>(data.maxPeriod + 1).fill(0);
  const visit = (p: number, length: number, blocks: number): void => {
    if (length === p) {
      let prob = 1;
      for (let j = 0; j < p; j++) prob *= (j < blocks ? R - j : 1) / R;
      byPeriod[p] += prob / blocks;
      return;
    }
    for (let b = 0; b <= blocks; b++) visit(p, length + 1, Math.max(blocks, b + 1));
  };
  const nPeriods = data.maxPeriod - data.minPeriod + 1;
  let overall = 0;
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) {
    visit(p, 0, 0);
    overall += byPeriod[p] / nPeriods;
  }
  return { byPeriod, overall };
}

export interface SampleQuality {
  readonly sequences: number;
  /** Rows in the data's support (see isPerfectlyPeriodic), as a fraction in [0, 1]. */
  readonly periodicFraction: number;
  /** Minimal periods of the samples; periodFractions = byPeriod / sequences. */
  readonly periods: PeriodHistogram;
  readonly periodFractions: number[];
  /** The data's exact minimal-period law, aligned with periodFractions. */
  readonly dataPeriodFractions: number[];
  readonly distinct: number;
  /** Mean periodicDefect over the rows: tokens off from the nearest data sequence. */
  readonly meanDefect: number;
}

/**
 * Everything the quality panel shows, for a flat [B*L] batch of samples with
 * L = data.seqLen (generate at another length? pass dataConfig({ seqLen })).
 */
export function sampleQuality(tokens: ArrayLike<number>, data: DataConfig = DEFAULT_DATA): SampleQuality {
  const L = data.seqLen;
  const flat = rowsOf(tokens, L);
  const sequences = flat.length / L;
  let periodic = 0;
  let defect = 0;
  for (let i = 0; i < flat.length; i += L) {
    const row = flat.subarray(i, i + L);
    if (isPerfectlyPeriodic(row, data)) periodic++;
    defect += periodicDefect(row, data);
  }
  const periods = periodHistogram(flat, L, data);
  return {
    sequences,
    periodicFraction: periodic / sequences,
    periods,
    periodFractions: periods.byPeriod.map((n) => n / sequences),
    dataPeriodFractions: dataPeriodDistribution(data),
    distinct: countDistinct(flat, L),
    meanDefect: defect / sequences,
  };
}

/** The batch as an Int32Array of whole rows, or a RangeError. */
function rowsOf(tokens: ArrayLike<number>, seqLen: number): Int32Array {
  if (!Number.isInteger(seqLen) || seqLen < 1 || tokens.length === 0 || tokens.length % seqLen !== 0) {
    throw new RangeError(`expected a non-empty [B, ${seqLen}] batch, got ${tokens.length} tokens`);
  }
  return tokens instanceof Int32Array ? tokens : Int32Array.from(tokens);
}
