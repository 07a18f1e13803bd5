/**
 * The notebook's toy language: each sequence is a short random pattern tiled
 * to the full length, e.g. period 3: [7 2 9 7 2 9 7 2 ...]. A model that has
 * learned the data can fill any blank from the visible tokens of its period.
 */
import { DEFAULT_DATA, validateDataConfig, type DataConfig } from './config.ts';
import type { Rng } from './rng.ts';

export interface PatternBatch {
  /** Clean tokens x0, row-major [batch, seqLen], values 1..vocabSize-1. */
  readonly x0: Int32Array;
  /** Each row's pattern length p. */
  readonly periods: Int32Array;
  readonly batch: number;
  readonly seqLen: number;
}

/** Draw `batch` tiled-pattern sequences. Order of draws: p, then its p tokens. */
export function generatePatterns(rng: Rng, batch: number, data: DataConfig = DEFAULT_DATA): PatternBatch {
  validateDataConfig(data);
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a positive integer, got ${batch}`);
  const { seqLen, vocabSize } = data;
  const x0 = new Int32Array(batch * seqLen);
  const periods = new Int32Array(batch);
  const pattern = new Int32Array(data.maxPeriod);
  for (let b = 0; b < batch; b++) {
    const p = rng.int(data.minPeriod, data.maxPeriod);
    for (let j = 0; j < p; j++) pattern[j] = rng.int(1, vocabSize - 1);
    for (let i = 0; i < seqLen; i++) x0[b * seqLen + i] = pattern[i % p];
    periods[b] = p;
  }
  return { x0, periods, batch, seqLen };
}

/** Rows of a flat [batch, seqLen] array, for printing and tests. */
export function rows(flat: ArrayLike<number>, seqLen: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < flat.length; i += seqLen) out.push(Array.from({ length: seqLen }, (_, j) => flat[i + j]));
  return out;
}
