/**
 * The arithmetic of the challenge figures: the data's exact entropy (against
 * brute force and the lesson's 0.415 bits), the two objectives' weights per
 * ratio bin, and the best possible loss per ratio integrating to the entropy.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA, type DataConfig } from '../../src/core/config.ts';
import { Rng } from '../../src/core/rng.ts';
import { BIN_MIDPOINTS, bestPossibleLoss, binWeights, contributions, dataEntropyPerToken, sum } from '../../src/core/elbo-bins.ts';

/** Entropy per token by listing every (period, pattern) the generator can draw. */
function bruteForceEntropy(data: DataConfig): number {
  const R = data.vocabSize - 1;
  const periods = Array.from({ length: data.maxPeriod - data.minPeriod + 1 }, (_, i) => data.minPeriod + i);
  const prob = new Map<string, number>();
  for (const p of periods) {
    for (let code = 0; code < R ** p; code++) {
      const pattern = Array.from({ length: p }, (_, i) => 1 + (Math.floor(code / R ** i) % R));
      const key = Array.from({ length: data.seqLen }, (_, i) => pattern[i % p]).join(',');
      prob.set(key, (prob.get(key) ?? 0) + R ** -p / periods.length);
    }
  }
  let H = 0;
  for (const q of prob.values()) H -= q * Math.log(q);
  return H / data.seqLen;
}

describe('challenge arithmetic', () => {
  it("gives this data's exact entropy: 0.2877 nats, 0.415 bits a token", () => {
    expect(dataEntropyPerToken()).toBeCloseTo(0.287741, 6);
    expect(dataEntropyPerToken() / Math.LN2).toBeCloseTo(0.4151, 4);
  });

  it.each([
    { vocabSize: 4, seqLen: 8, minPeriod: 2, maxPeriod: 4 },
    { vocabSize: 5, seqLen: 6, minPeriod: 1, maxPeriod: 3 },
    { vocabSize: 3, seqLen: 12, minPeriod: 3, maxPeriod: 6 },
  ])('matches brute force on a small data config %o', (data) => {
    expect(dataEntropyPerToken(data)).toBeCloseTo(bruteForceEntropy(data), 12);
  });

  it('weights every ratio the same under the ELBO and in proportion to t under the pooled mean', () => {
    const elbo = binWeights('elbo');
    const pooled = binWeights('masked-mean');
    expect(sum(elbo)).toBeCloseTo(1, 12);
    expect(sum(pooled)).toBeCloseTo(1, 12);
    for (const w of elbo) expect(w).toBeCloseTo(1 / 20, 12);
    // Above t = 0.02 a bin's weight is proportional to its midpoint: 2t·Δ/(1 − 0.02²).
    BIN_MIDPOINTS.slice(1).forEach((t, k) => expect(pooled[k + 1]).toBeCloseTo((2 * t) / 20 / (1 - 0.0004), 12));
    expect(pooled[0]).toBeCloseTo((0.05 ** 2 - 0.02 ** 2) / (1 - 0.0004), 12); // only (0.02, 0.05) is ever drawn
    // A constant loss is the same under both.
    expect(
      sum(
        contributions(
          'elbo',
          BIN_MIDPOINTS.map(() => 1.5),
        ),
      ),
    ).toBeCloseTo(1.5, 12);
    expect(
      sum(
        contributions(
          'masked-mean',
          BIN_MIDPOINTS.map(() => 1.5),
        ),
      ),
    ).toBeCloseTo(1.5, 12);
  });

  it('has a best possible loss that rises with t and integrates to the entropy', () => {
    const loss = bestPossibleLoss(BIN_MIDPOINTS, 600, new Rng(3));
    expect(loss[0]).toBeLessThan(1e-6); // with 97% of tokens visible the pattern is certain
    expect(loss.at(-1)!).toBeGreaterThan(1.8);
    expect(loss.at(-1)!).toBeLessThan(Math.log(15)); // some tokens are still visible at t = 0.975
    const elbo = sum(contributions('elbo', loss));
    // The midpoint rule slightly undercuts this convex curve; sampling adds about 1% noise.
    expect(Math.abs(elbo - dataEntropyPerToken(DEFAULT_DATA))).toBeLessThan(0.015);
    // The pooled mean of the perfect model: the lesson's "never below 0.528 nats" floor.
    expect(sum(contributions('masked-mean', loss))).toBeGreaterThan(0.49);
    expect(sum(contributions('masked-mean', loss))).toBeLessThan(0.56);
  });
});
