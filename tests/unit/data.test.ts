import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_DATA, MASK_ID, dataConfig, modelConfig } from '../../src/core/config.ts';
import { generatePatterns, rows } from '../../src/core/data.ts';
import { maskArrays, maskTokens } from '../../src/core/masking.ts';
import { Rng } from '../../src/core/rng.ts';
import { NODE_BACKENDS, useBackend } from '../helpers/backends.ts';

describe('pattern data', () => {
  it('tiles a pattern of length 2..4 drawn from tokens 1..15 to length 32', () => {
    const { x0, periods } = generatePatterns(new Rng(42), 2000);
    const periodCounts = [0, 0, 0];
    const tokenCounts = new Array(16).fill(0);
    rows(x0, 32).forEach((row, b) => {
      const p = periods[b];
      periodCounts[p - 2]++;
      expect(row).toHaveLength(32);
      row.forEach((tok, i) => {
        expect(tok).toBeGreaterThanOrEqual(1);
        expect(tok).toBeLessThanOrEqual(15);
        expect(tok).toBe(row[i % p]);
      });
      for (let j = 0; j < p; j++) tokenCounts[row[j]]++;
    });
    // Period uniform on {2,3,4}: each count ~ Binomial(2000, 1/3), sd ~21.
    for (const c of periodCounts) expect(Math.abs(c - 2000 / 3)).toBeLessThan(4 * Math.sqrt((2000 * 2) / 9));
    expect(tokenCounts[MASK_ID]).toBe(0);
  });

  it('is reproducible from the seed', () => {
    expect(generatePatterns(new Rng(7), 5).x0).toEqual(generatePatterns(new Rng(7), 5).x0);
    expect(generatePatterns(new Rng(7), 5).x0).not.toEqual(generatePatterns(new Rng(8), 5).x0);
  });

  it('honours a configured vocabulary and length, and rejects bad ones clearly', () => {
    const data = dataConfig({ vocabSize: 5, seqLen: 10 });
    const { x0 } = generatePatterns(new Rng(1), 50, data);
    expect(x0.length).toBe(500);
    expect(Math.max(...x0)).toBeLessThanOrEqual(4);
    expect(() => dataConfig({ vocabSize: 1 })).toThrow(ConfigError);
    expect(() => dataConfig({ vocabSize: 1 })).toThrow(/vocabSize/);
    expect(() => dataConfig({ seqLen: 0 })).toThrow(/seqLen/);
    expect(() => dataConfig({ seqLen: 2.5 })).toThrow(/seqLen/);
    expect(() => dataConfig({ maxPeriod: 40 })).toThrow(/maxPeriod/);
    expect(() => modelConfig({ nHeads: 5 })).toThrow(/divisible/);
    expect(() => generatePatterns(new Rng(1), 0)).toThrow(/batch/);
  });
});

describe('forward process q(x_t | x_0)', () => {
  const x0 = generatePatterns(new Rng(3), 64).x0;

  it('masks nothing at t = 0 and everything at t = 1', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.constantFrom(0, 1), (seed, t) => {
        const { xt, mask, maskedCount } = maskArrays(x0, new Float32Array(64).fill(t), new Rng(seed));
        expect(maskedCount).toBe(t * x0.length);
        for (let i = 0; i < x0.length; i++) {
          expect(mask[i]).toBe(t);
          expect(xt[i]).toBe(t ? MASK_ID : x0[i]);
        }
      }),
      { numRuns: 50 },
    );
  });

  it('keeps unmasked tokens and sets masked ones to [MASK]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.float({ min: 0, max: 1, noNaN: true }), (seed, t) => {
        const { xt, mask } = maskArrays(x0, new Float32Array(64).fill(t), new Rng(seed));
        for (let i = 0; i < x0.length; i++) expect(xt[i]).toBe(mask[i] ? MASK_ID : x0[i]);
      }),
      { numRuns: 100 },
    );
  });

  it('masks a fraction within 4 standard errors of t, for any t', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (seed, t) => {
        const n = 200 * 32; // 200 sequences of 32
        const big = generatePatterns(new Rng(seed), 200).x0;
        const { maskedCount } = maskArrays(big, new Float32Array(200).fill(t), new Rng(seed + 1));
        const se = Math.sqrt((t * (1 - t)) / n);
        expect(Math.abs(maskedCount / n - t)).toBeLessThan(4 * se);
      }),
      // A fixed seed: with random ones, 100 draws at 4 standard errors fail about one run in 160 by chance alone.
      { numRuns: 100, seed: 20261203 },
    );
  });

  it('uses one t per sequence', () => {
    const t = Float32Array.from({ length: 64 }, (_, b) => (b % 2 ? 1 : 0));
    const { mask } = maskArrays(x0, t, new Rng(1));
    rows(mask, 32).forEach((row, b) => expect(row.every((m) => m === b % 2)).toBe(true));
  });

  it('masks positions independently: neighbours and positions are uncorrelated', () => {
    const B = 4000,
      L = 32,
      t = 0.5;
    const { mask } = maskArrays(new Int32Array(B * L).fill(1), new Float32Array(B).fill(t), new Rng(11));
    // Lag-1 correlation within sequences, and P(masked) per position.
    let both = 0,
      pairs = 0;
    const perPos = new Array(L).fill(0);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < L; i++) {
        perPos[i] += mask[b * L + i];
        if (i > 0) {
          both += mask[b * L + i] & mask[b * L + i - 1];
          pairs++;
        }
      }
    }
    // P(both) = t^2 = 0.25 under independence; sd of the estimate ~ sqrt(.25*.75/pairs).
    expect(Math.abs(both / pairs - t * t)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / pairs));
    // Each position masked with probability t: chi-square over 32 positions (31 dof, 0.999 quantile 61.1).
    const chi2 = perPos.reduce((a, c) => a + (c - B * t) ** 2 / (B * t * (1 - t)), 0);
    expect(chi2).toBeLessThan(61.1);
  });

  it('rejects a t that is NaN, below 0 or above 1 with a clear message', () => {
    for (const bad of [Number.NaN, -0.1, 1.5]) {
      expect(() => maskArrays(x0, new Float32Array(64).fill(bad), new Rng(1))).toThrow(/masking ratio t must be in \[0, 1\]/);
    }
  });

  it.each(NODE_BACKENDS)('gives the same masks as tensors on %s, with no leaked tensor', async (backend) => {
    await useBackend(backend);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d(x0, [64, 32], 'int32');
    const t = tf.fill([64, 1], 0.4);
    const { xt, mask } = maskTokens(x, t, new Rng(9));
    const ref = maskArrays(x0, new Float32Array(64).fill(0.4), new Rng(9));
    expect(Array.from(await xt.data())).toEqual(Array.from(ref.xt));
    expect(Array.from(await mask.data())).toEqual(Array.from(ref.mask));
    const badT = tf.fill([64, 1], 2);
    expect(() => maskTokens(x, badT, new Rng(9))).toThrow(/masking ratio/);
    tf.dispose([x, t, xt, mask, badT]);
    expect(tf.memory().numTensors).toBe(before);
    expect(DEFAULT_DATA.seqLen).toBe(32);
  });
});
