import { describe, expect, it } from 'vitest';
import { bayesDenoise, bayesPosterior, bestPossibleAccuracy, exactBestPossibleAccuracy } from '../../src/core/bayes.ts';
import { DEFAULT_DATA, dataConfig, MASK_ID, type DataConfig } from '../../src/core/config.ts';
import { Rng } from '../../src/core/rng.ts';

const V = DEFAULT_DATA.vocabSize; // 16: [MASK] + 15 real tokens
const L = DEFAULT_DATA.seqLen; // 32

/** Test-local data: B patterned sequences x0 and their masks xt at ratio t // [B*L] each. */
function sampleBatch(rng: Rng, batch: number, t: number, data: DataConfig = DEFAULT_DATA) {
  const n = data.seqLen;
  const x0 = new Int32Array(batch * n);
  const xt = new Int32Array(batch * n);
  for (let b = 0; b < batch; b++) {
    const p = rng.int(data.minPeriod, data.maxPeriod);
    const pattern = Array.from({ length: p }, () => rng.int(1, data.vocabSize - 1));
    for (let i = 0; i < n; i++) {
      x0[b * n + i] = pattern[i % p];
      xt[b * n + i] = rng.next() < t ? MASK_ID : pattern[i % p];
    }
  }
  return { x0, xt };
}

/** A length-L sequence with only `visible` shown (position -> token). */
function visibleOnly(visible: Record<number, number>, length = L): Int32Array {
  const xt = new Int32Array(length);
  for (const [i, v] of Object.entries(visible)) xt[Number(i)] = v;
  return xt;
}

const row = (probs: Float64Array, i: number, vocab = V) => Array.from(probs.subarray(i * vocab, (i + 1) * vocab));

/** Independent reference: enumerate every (p, pattern) pair and weigh those consistent with xt. */
function bruteForce(xt: Int32Array, data: DataConfig) {
  const R = data.vocabSize - 1;
  const nP = data.maxPeriod - data.minPeriod + 1;
  const probs = new Float64Array(xt.length * data.vocabSize);
  const periodWeight = new Float64Array(nP);
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) {
    for (let code = 0; code < R ** p; code++) {
      const pattern = Array.from({ length: p }, (_, j) => (Math.floor(code / R ** j) % R) + 1);
      if (!xt.every((v, i) => v === MASK_ID || v === pattern[i % p])) continue;
      const w = (1 / nP) * R ** -p;
      periodWeight[p - data.minPeriod] += w;
      xt.forEach((_, i) => (probs[i * data.vocabSize + pattern[i % p]] += w));
    }
  }
  const Z = periodWeight.reduce((a, b) => a + b, 0);
  return { probs: probs.map((x) => x / Z), periodPosterior: periodWeight.map((x) => x / Z), Z };
}

describe('bayesDenoise: cases worked by hand', () => {
  it('returns a one-hot of x0 when everything is visible', () => {
    const { x0 } = sampleBatch(new Rng(1), 1, 0);
    const probs = bayesPosterior(x0);
    for (let i = 0; i < L; i++) {
      expect(row(probs, i)).toEqual(Array.from({ length: V }, (_, v) => (v === x0[i] ? 1 : 0)));
    }
  });

  it('returns the prior when everything is masked', () => {
    const res = bayesDenoise(new Int32Array(L));
    expect(res.consistentPeriods).toEqual([2, 3, 4]);
    expect(res.periods).toEqual([2, 3, 4]);
    for (const w of res.periodPosterior) expect(w).toBeCloseTo(1 / 3, 14);
    for (let i = 0; i < L; i++) {
      expect(res.probs[i * V + MASK_ID]).toBe(0);
      for (let v = 1; v < V; v++) expect(res.probs[i * V + v]).toBeCloseTo(1 / 15, 14);
    }
  });

  it('predicts an abab... position with certainty once p = 3 is ruled out', () => {
    const [a, b] = [7, 2];
    const xt = Int32Array.from({ length: L }, (_, i) => (i % 2 === 0 ? a : b));
    xt[5] = MASK_ID; // residue 1 mod 2 and mod 4: both still visible (positions 1, 9, 13, ...)
    const res = bayesDenoise(xt);
    // p = 3 is impossible: positions 0 and 3 share residue 0 mod 3 but show a and b.
    expect(res.consistentPeriods).toEqual([2, 4]);
    // w_2 ∝ (1/3)(1/15)^2, w_4 ∝ (1/3)(1/15)^4: the Occam factor favours the shorter pattern.
    expect(res.periodPosterior[0]).toBeCloseTo(225 / 226, 14);
    expect(res.periodPosterior[1]).toBe(0);
    expect(res.periodPosterior[2]).toBeCloseTo(1 / 226, 14);
    expect(row(res.probs, 5)).toEqual(Array.from({ length: V }, (_, v) => (v === b ? 1 : 0)));
  });

  it('mixes periods exactly when only positions 0 and 1 are visible', () => {
    const [a, b] = [4, 9];
    const res = bayesDenoise(visibleOnly({ 0: a, 1: b }));
    // Each period pins two residues: w_p ∝ (1/3)(1/15)^2 for p = 2, 3, 4, so 1/3 each.
    for (const w of res.periodPosterior) expect(Math.abs(w - 1 / 3)).toBeLessThan(1e-12);
    const expectRow = (i: number, special: Record<number, number>, rest: number) => {
      const got = row(res.probs, i);
      for (let v = 0; v < V; v++) {
        const want = v === MASK_ID ? 0 : (special[v] ?? rest);
        expect(Math.abs(got[v] - want), `position ${i}, token ${v}`).toBeLessThan(1e-12);
      }
    };
    // Position 2: p=2 -> a; p=3 and p=4 -> free (uniform over 15).
    expectRow(2, { [a]: 1 / 3 + 2 / 3 / 15 }, 2 / 3 / 15); // 17/45 and 2/45
    // Position 3: p=2 -> b; p=3 -> residue 0 -> a; p=4 -> free.
    expectRow(3, { [a]: 16 / 45, [b]: 16 / 45 }, 1 / 45);
    // Position 4: p=2 -> a; p=3 -> residue 1 -> b; p=4 -> residue 0 -> a.
    expectRow(4, { [a]: 2 / 3, [b]: 1 / 3 }, 0);
  });

  it('weighs periods by prior x (1/15)^(pinned residues) when they pin different numbers', () => {
    const [a, b] = [3, 11];
    const res = bayesDenoise(visibleOnly({ 0: a, 1: b, 2: a }));
    // p=2 pins 2 residues, p=3 and p=4 pin 3: weights 15 : 1 : 1.
    const want = [15 / 17, 1 / 17, 1 / 17];
    want.forEach((w, k) => expect(Math.abs(res.periodPosterior[k] - w)).toBeLessThan(1e-12));
    // Position 3: p=2 -> b (15/17); p=3 -> a (1/17); p=4 -> free (1/17 spread over 15).
    const got = row(res.probs, 3);
    expect(Math.abs(got[b] - 226 / 255)).toBeLessThan(1e-12);
    expect(Math.abs(got[a] - 16 / 255)).toBeLessThan(1e-12);
    expect(Math.abs(got[1] - 1 / 255)).toBeLessThan(1e-12);
  });

  it('flags input no period explains and falls back to uniform', () => {
    const xt = visibleOnly({ 0: 1, 1: 2, 2: 3, 3: 4, 4: 5 }); // conflicts mod 2, 3 and 4
    const res = bayesDenoise(xt);
    expect(res.consistentPeriods).toEqual([]);
    expect(Array.from(res.periodPosterior)).toEqual([0, 0, 0]);
    expect(row(res.probs, 0)).toEqual(Array.from({ length: V }, (_, v) => (v === 1 ? 1 : 0)));
    for (let v = 1; v < V; v++) expect(res.probs[10 * V + v]).toBeCloseTo(1 / 15, 14);
    expect(res.probs[10 * V + MASK_ID]).toBe(0);
  });

  it('rejects token ids outside the vocabulary', () => {
    expect(() => bayesDenoise([0, 16])).toThrow(RangeError);
    expect(() => bayesDenoise([0, -1])).toThrow(RangeError);
    expect(() => bayesDenoise([0, 1.5])).toThrow(RangeError);
  });
});

describe('bayesDenoise against brute-force enumeration of (p, pattern)', () => {
  // 3 real tokens, periods 1..4, length 9: 3 + 9 + 27 + 81 patterns to enumerate.
  const small = dataConfig({ vocabSize: 4, seqLen: 9, minPeriod: 1, maxPeriod: 4 });

  it('matches on sampled data at every mask ratio', () => {
    const rng = new Rng(11);
    for (let trial = 0; trial < 200; trial++) {
      const { xt } = sampleBatch(rng, 1, rng.next(), small);
      const ref = bruteForce(xt, small);
      const res = bayesDenoise(xt, small);
      res.probs.forEach((p, j) => expect(Math.abs(p - ref.probs[j])).toBeLessThan(1e-12));
      res.periodPosterior.forEach((w, k) => expect(Math.abs(w - ref.periodPosterior[k])).toBeLessThan(1e-12));
    }
  });

  it('flags exactly the inputs that no pattern explains', () => {
    const rng = new Rng(12);
    let flagged = 0;
    for (let trial = 0; trial < 300; trial++) {
      // Arbitrary token soup, mostly masked: some consistent, some not.
      const xt = Int32Array.from({ length: small.seqLen }, () => (rng.next() < 0.6 ? MASK_ID : rng.int(1, 3)));
      const ref = bruteForce(xt, small);
      const res = bayesDenoise(xt, small);
      expect(res.consistentPeriods.length === 0).toBe(ref.Z === 0);
      if (ref.Z === 0) flagged++;
    }
    expect(flagged).toBeGreaterThan(20);
    expect(flagged).toBeLessThan(280);
  });
});

describe('bayesPosterior is a distribution over real tokens', () => {
  it('has rows summing to 1 and a zero [MASK] column, for data and for garbage', () => {
    const rng = new Rng(3);
    for (const t of [0, 0.3, 0.7, 0.9, 1]) {
      const { xt } = sampleBatch(rng, 20, t);
      const garbage = Int32Array.from({ length: 20 * L }, () => (rng.next() < t ? MASK_ID : rng.int(1, V - 1)));
      for (const batch of [xt, garbage]) {
        for (let b = 0; b < 20; b++) {
          const probs = bayesPosterior(batch.subarray(b * L, (b + 1) * L));
          for (let i = 0; i < L; i++) {
            const r = row(probs, i);
            expect(r[MASK_ID]).toBe(0);
            expect(Math.abs(r.reduce((s, p) => s + p, 0) - 1)).toBeLessThan(1e-12);
            expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
          }
        }
      }
    }
  });
});

/**
 * Monte Carlo over sequences. Tokens within a sequence are strongly correlated (one
 * pattern, one period), so the sequence is the sampling unit: standard errors are
 * the ratio estimator's, over per-sequence sums.
 */
function monteCarlo(seed: number, t: number, nSeqs: number) {
  const rng = new Rng(seed);
  const m: number[] = [],
    e: number[] = [],
    c: number[] = [];
  for (let j = 0; j < nSeqs; j++) {
    const { x0, xt } = sampleBatch(rng, 1, t);
    const acc = bestPossibleAccuracy(x0, xt, 1);
    if (acc.maskedTokens === 0) continue;
    m.push(acc.maskedTokens);
    e.push(acc.expected * acc.maskedTokens);
    c.push(acc.realized * acc.maskedTokens);
  }
  const M = m.reduce((a, b) => a + b, 0);
  const ratioSE = (y: number[], a: number) => Math.sqrt((y.length / (y.length - 1)) * y.reduce((s, yj, j) => s + (yj - a * m[j]) ** 2, 0)) / M;
  const expected = e.reduce((a, b) => a + b, 0) / M;
  const realized = c.reduce((a, b) => a + b, 0) / M;
  const diff = c.map((cj, j) => cj - e[j]);
  return {
    expected,
    realized,
    seExpected: ratioSE(e, expected),
    seRealized: ratioSE(c, realized),
    seDiff: ratioSE(diff, realized - expected), // paired: same sequences
  };
}

describe('bestPossibleAccuracy', () => {
  it('returns NaN and 0 masked tokens when nothing is masked', () => {
    const { x0 } = sampleBatch(new Rng(4), 3, 0);
    expect(bestPossibleAccuracy(x0, x0, 3)).toEqual({ expected: NaN, realized: NaN, maskedTokens: 0 });
  });

  it('is exactly 1/15 expected at t = 1, realizing the share of token 1 (lowest-id tie-break)', () => {
    const { x0, xt } = sampleBatch(new Rng(5), 50, 1);
    const acc = bestPossibleAccuracy(x0, xt, 50);
    expect(acc.maskedTokens).toBe(50 * L);
    expect(Math.abs(acc.expected - 1 / 15)).toBeLessThan(1e-12);
    expect(acc.realized).toBe(x0.filter((v) => v === 1).length / (50 * L));
  });

  it('breaks ties by the lowest token id', () => {
    // Only positions 0, 1 visible, as (a, b). Ties at 1/3 + 1/45 each (see the hand case):
    // i ≡ 3 (mod 12): p=2 says b, p=3 says a, p=4 free; truth b. Positions 3, 15, 27.
    // i ≡ 10 (mod 12): p=2 says a, p=3 says b, p=4 free; truth a. Positions 10, 22.
    const run = (a: number, b: number) => {
      const x0 = Int32Array.from({ length: L }, (_, i) => (i % 2 === 0 ? a : b));
      const xt = visibleOnly({ 0: a, 1: b });
      const probs = bayesPosterior(xt);
      expect(probs[3 * V + a]).toBe(probs[3 * V + b]);
      expect(probs[10 * V + a]).toBe(probs[10 * V + b]);
      return bestPossibleAccuracy(x0, xt, 1);
    };
    // Relabelling a <-> b changes nothing but the tie-breaks: 4 wins both ties. With
    // b = 4 it wins at the 3 truth-b positions; with a = 4 at the 2 truth-a positions.
    const bIsLow = run(9, 4),
      aIsLow = run(4, 9);
    expect(bIsLow.maskedTokens).toBe(L - 2);
    expect(bIsLow.expected).toBeCloseTo(aIsLow.expected, 14);
    expect(Math.abs(bIsLow.realized - aIsLow.realized - (3 - 2) / (L - 2))).toBeLessThan(1e-12);
  });

  it('pools a batch exactly like its sequences one by one', () => {
    const rng = new Rng(6);
    const { x0, xt } = sampleBatch(rng, 40, 0.8);
    const pooled = bestPossibleAccuracy(x0, xt, 40);
    let m = 0,
      e = 0,
      c = 0;
    for (let b = 0; b < 40; b++) {
      const s = bestPossibleAccuracy(x0.subarray(b * L, (b + 1) * L), xt.subarray(b * L, (b + 1) * L), 1);
      if (s.maskedTokens === 0) continue;
      m += s.maskedTokens;
      e += s.expected * s.maskedTokens;
      c += s.realized * s.maskedTokens;
    }
    expect(pooled.maskedTokens).toBe(m);
    expect(Math.abs(pooled.expected - e / m)).toBeLessThan(1e-12);
    expect(Math.abs(pooled.realized - c / m)).toBeLessThan(1e-12);
  });

  it('rejects arrays of the wrong length', () => {
    expect(() => bestPossibleAccuracy(new Int32Array(L), new Int32Array(L - 1), 1)).toThrow(RangeError);
  });
});

describe('the best-possible curve', () => {
  // Reference "best possible" row: realized accuracy on 1000 sequences per t, rounded to 0.1%.
  const table: [number, number][] = [
    [0.1, 1],
    [0.2, 1],
    [0.3, 1],
    [0.5, 0.999],
    [0.7, 0.961],
    [0.8, 0.876],
    [0.9, 0.628],
    [0.95, 0.417],
  ];

  it('is exactly 1/15 at t = 1 and NaN at t = 0 (nothing masked)', () => {
    expect(Math.abs(exactBestPossibleAccuracy(1) - 1 / 15)).toBeLessThan(1e-12);
    expect(exactBestPossibleAccuracy(0)).toBeNaN();
    expect(() => exactBestPossibleAccuracy(1.5)).toThrow(RangeError);
  });

  it('agrees with the reference table and with the exact value, within sampling noise', () => {
    for (const [t, ref] of table) {
      const mc = monteCarlo(100 + Math.round(t * 100), t, 2000);
      const exact = exactBestPossibleAccuracy(t);
      // The table is a realized accuracy on 1000 sequences: its standard error is our
      // realized one scaled by sqrt(2000 / 1000). 4 SE over 8 ratios keeps a false alarm
      // below 1 in 2000; 0.0005 covers the table's rounding. At t <= 0.3 nearly every
      // sequence is perfect and the SE is ~0: the floor then does the work.
      const seTable = mc.seRealized * Math.SQRT2;
      const ctx = `t=${t}: mc ${mc.expected} ± ${mc.seExpected}, exact ${exact}, table ${ref} ± ${seTable}`;
      expect(Math.abs(mc.expected - ref), ctx).toBeLessThan(4 * Math.hypot(mc.seExpected, seTable) + 5e-4);
      expect(Math.abs(exact - ref), ctx).toBeLessThan(4 * seTable + 5e-4);
      // Monte Carlo against the exact limit; 1e-4 covers events too rare to show up.
      expect(Math.abs(mc.expected - exact), ctx).toBeLessThan(4 * mc.seExpected + 1e-4);
      // Realized scatters around expected (paired on the same sequences).
      expect(Math.abs(mc.realized - mc.expected), ctx).toBeLessThan(4 * mc.seDiff + 1e-4);
    }
    // The curve falls with t.
    const curve = table.map(([t]) => exactBestPossibleAccuracy(t));
    for (let k = 1; k < curve.length; k++) expect(curve[k]).toBeLessThan(curve[k - 1]);
  });

  it('is well calibrated at t = 0.8: confidence matches accuracy, overall and per confidence bin', () => {
    const rng = new Rng(808);
    const nSeqs = 4000;
    const edges = [0, 0.5, 0.9, 0.999, 1.01]; // bins of max posterior
    const nb = edges.length - 1;
    // Per sequence, per bin: masked count, sum of confidence, number correct.
    const perSeq: { m: number[]; conf: number[]; hit: number[] }[] = [];
    for (let j = 0; j < nSeqs; j++) {
      const { x0, xt } = sampleBatch(rng, 1, 0.8);
      const probs = bayesPosterior(xt);
      const s = { m: new Array(nb).fill(0), conf: new Array(nb).fill(0), hit: new Array(nb).fill(0) };
      for (let i = 0; i < L; i++) {
        if (xt[i] !== MASK_ID) continue;
        const r = row(probs, i);
        const conf = Math.max(...r);
        const k = edges.findIndex((lo, q) => conf >= lo && conf < edges[q + 1]);
        s.m[k]++;
        s.conf[k] += conf;
        s.hit[k] += Number(r.indexOf(conf) === x0[i]);
      }
      perSeq.push(s);
    }
    // Overall: mean confidence ≈ accuracy, on the same sequences (paired, per-sequence SE).
    const dAll = perSeq.map((s) => s.hit.reduce((a, b) => a + b, 0) - s.conf.reduce((a, b) => a + b, 0));
    const mAll = perSeq.reduce((a, s) => a + s.m.reduce((x, y) => x + y, 0), 0);
    const meanAll = dAll.reduce((a, b) => a + b, 0) / nSeqs;
    const seAll = Math.sqrt(dAll.reduce((a, x) => a + (x - meanAll) ** 2, 0) / (nSeqs - 1) / nSeqs);
    expect(Math.abs(meanAll)).toBeLessThan(4 * seAll);
    expect((4 * seAll * nSeqs) / mAll, 'the check is tight: under a point of accuracy').toBeLessThan(0.01);
    for (let k = 0; k < nb; k++) {
      const M = perSeq.reduce((a, s) => a + s.m[k], 0);
      expect(M, `bin ${k} is populated`).toBeGreaterThan(200);
      const d = perSeq.map((s) => s.hit[k] - s.conf[k]); // E[d] = 0 if calibrated
      const mean = d.reduce((a, b) => a + b, 0) / nSeqs;
      const se = Math.sqrt(d.reduce((a, x) => a + (x - mean) ** 2, 0) / (nSeqs - 1) / nSeqs);
      expect(Math.abs(mean), `bin ${k}`).toBeLessThan(4 * se + 1e-9);
      // Mean confidence in the bin lies inside the bin, a check the test is binning right.
      const conf = perSeq.reduce((a, s) => a + s.conf[k], 0) / M;
      expect(conf).toBeGreaterThanOrEqual(edges[k]);
      expect(conf).toBeLessThan(edges[k + 1]);
    }
  });

  it('prints the curve at linspace(0.1, 0.95, 15), Monte Carlo (4000 sequences) against exact', () => {
    const lines: string[] = [];
    for (let k = 0; k < 15; k++) {
      const t = 0.1 + (k * 0.85) / 14;
      const mc = monteCarlo(2000 + k, t, 4000);
      const exact = exactBestPossibleAccuracy(t);
      expect(Math.abs(mc.expected - exact), `t=${t}`).toBeLessThan(4 * mc.seExpected + 1e-4);
      lines.push(`t=${t.toFixed(4)}  mc ${mc.expected.toFixed(5)} ± ${mc.seExpected.toFixed(5)}  exact ${exact.toFixed(5)}`);
    }
    console.log(`best-possible accuracy (expected, masked tokens)\n${lines.join('\n')}`);
  });
});
