/** The exact values behind section 8's plateau arithmetic and section 11's conflict example, against brute force. */
import { describe, expect, it } from 'vitest';
import { bayesDenoise, pairRevealConflict } from '../../src/core/bayes.ts';
import { dataConfig, MASK_ID } from '../../src/core/config.ts';
import { meanInverseDistinctTokens } from '../../src/core/periodicity.ts';
import { Rng } from '../../src/core/rng.ts';
import { conflictInput, CONFLICT_EXAMPLE } from '../../src/lesson/examples.ts';

describe('what knowing only which tokens occur is worth', () => {
  it('matches enumerating every pattern, for a small vocabulary and for the default one', () => {
    const small = dataConfig({ vocabSize: 5, minPeriod: 2, maxPeriod: 4 });
    const R = small.vocabSize - 1;
    const brute: number[] = [];
    for (let p = 2; p <= 4; p++) {
      let sum = 0;
      for (let code = 0; code < R ** p; code++) {
        const tokens = new Set<number>();
        for (let j = 0, c = code; j < p; j++, c = Math.floor(c / R)) tokens.add(c % R);
        sum += 1 / tokens.size;
      }
      brute[p] = sum / R ** p;
    }
    const exact = meanInverseDistinctTokens(small);
    for (let p = 2; p <= 4; p++) expect(exact.byPeriod[p]).toBeCloseTo(brute[p], 12);
    expect(exact.overall).toBeCloseTo((brute[2] + brute[3] + brute[4]) / 3, 12);
    // Defaults: 8/15 for p = 2 (1/2 unless both tokens match), 32/81 overall.
    const d = meanInverseDistinctTokens();
    expect(d.byPeriod[2]).toBeCloseTo(8 / 15, 12);
    expect(d.overall).toBeCloseTo(0.3950617283950617, 12);
  });
});

describe('revealing two tokens in one step', () => {
  it("conflicts 7/30 of the time in the lesson's example, never when drawn one after the other", () => {
    const x = conflictInput();
    const { together, sequential } = pairRevealConflict(x, ...CONFLICT_EXAMPLE.positions);
    // Periods 3 and 4 are equally likely (each pins 3 residues); a conflict needs position 4 off
    // the period-3 token (14/15 of the period-4 half) and position 5 on it (the period-3 half).
    expect(together).toBeCloseTo(0.5 * (14 / 15) * 0.5, 12);
    expect(sequential).toBe(0);
  });

  it('agrees with drawing the two tokens at random', () => {
    const x = conflictInput();
    const [i, j] = CONFLICT_EXAMPLE.positions;
    const probs = bayesDenoise(x).probs;
    const V = 16;
    const rng = new Rng(3);
    const draw = (k: number) => {
      let u = rng.next();
      for (let v = 1; v < V; v++) if ((u -= probs[k * V + v]) < 0) return v;
      return V - 1;
    };
    let conflicts = 0;
    const n = 4000;
    for (let s = 0; s < n; s++) {
      const y = x.slice();
      y[i] = draw(i);
      y[j] = draw(j);
      if (bayesDenoise(y).consistentPeriods.length === 0) conflicts++;
    }
    const p = 7 / 30;
    expect(Math.abs(conflicts / n - p)).toBeLessThan(4 * Math.sqrt((p * (1 - p)) / n));
  });

  it('refuses positions that are not two different masked ones', () => {
    const x = conflictInput();
    expect(x[0]).not.toBe(MASK_ID);
    expect(() => pairRevealConflict(x, 0, 4)).toThrow(/two different masked positions/);
    expect(() => pairRevealConflict(x, 4, 4)).toThrow(/two different masked positions/);
  });
});
