/**
 * The shipped precomputed curves (public/challenges/time-input.json): complete,
 * consistent with how they say they were made, and described truthfully.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exactBestPossibleAccuracy } from '../../src/core/bayes.ts';
import { CHALLENGE_RATIOS, describeTimeInputRuns, movingAverage, type TimeInputCurves } from '../../src/ui/cells/beyond/challenge-data.ts';
import { CHECK_T } from '../../src/worker/session.ts';

const shipped = JSON.parse(readFileSync(fileURLToPath(new URL('../../public/challenges/time-input.json', import.meta.url)), 'utf8')) as TimeInputCurves;

describe('precomputed time-input curves', () => {
  it('hold every variant, step and ratio they claim, made the way their command says', () => {
    expect(shipped.variants.map((v) => v.timeInput)).toEqual(['learned', 'sinusoidal', 'none']);
    expect(shipped.command).toBe(`npx tsx bench/challenges.ts --steps ${shipped.steps} --seed ${shipped.seed} --recipe ${shipped.recipe} --seqs ${shipped.evalSeqsPerRatio} --checkup-every ${shipped.checkupEvery}`);
    expect(shipped.checkT).toEqual(CHECK_T);
    for (const v of shipped.variants) {
      expect(v.losses).toHaveLength(shipped.steps);
      expect(v.losses.every((l) => l === null || (l > 0 && l < 5))).toBe(true);
      expect(v.checkups.map((c) => c.step)).toEqual(Array.from({ length: shipped.steps / shipped.checkupEvery }, (_, i) => (i + 1) * shipped.checkupEvery));
      expect(v.ratios.map((r) => r.t)).toEqual(CHALLENGE_RATIOS);
      for (const r of v.ratios) {
        expect(r.accuracy).toBeGreaterThanOrEqual(0);
        expect(r.accuracy).toBeLessThanOrEqual(r.bestPossible + 0.03); // a sample can beat the expectation a little, not by much
        // The sampled best possible agrees with the exact one.
        expect(Math.abs(r.bestPossible - exactBestPossibleAccuracy(r.t))).toBeLessThan(0.03);
      }
      expect(v.elboBitsPerToken).toBeGreaterThan(0.415); // nothing beats the data's entropy
    }
  });

  it('are described in words that match their numbers', () => {
    const text = describeTimeInputRuns(shipped).join(' ');
    const at = (id: string, t: number) => shipped.variants.find((v) => v.timeInput === id)!.ratios.find((r) => r.t === t)!.accuracy;
    expect(text).toContain(`no time input ${(100 * at('none', 0.5)).toFixed(1)}%`);
    expect(text).toContain(`learned MLP (the notebook) ${(100 * at('learned', 0.5)).toFixed(1)}%`);
    expect(text).toMatch(/^For the first \d+ steps all three sit on the same plateau, about \d+\.\d% at every ratio/);
  });

  it('smooths with a moving average that steps over skipped batches', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
    expect(movingAverage([null, 2, null, 4], 2)).toEqual([null, 2, 2, 3]);
  });
});
