/**
 * The shipped precomputed curves (public/challenges/time-input.json): complete,
 * consistent with how they say they were made, and described truthfully.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { exactBestPossibleAccuracy } from '../../src/core/bayes.ts';
import { movingAverage } from '../../src/core/numeric.ts';
import { CHALLENGE_RATIOS, describeRepeat, describeTimeInputRuns, type TimeInputCurves } from '../../src/lesson/challenge-data.ts';
import { CHECK_T } from '../../src/worker/protocol.ts';

const read = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../public/challenges/${name}`, import.meta.url)), 'utf8')) as TimeInputCurves;
const shipped = read('time-input.json');
const repeat = read('time-input-seed7.json');

describe('precomputed time-input curves', () => {
  it.each([
    ['time-input.json', shipped, ''],
    ['time-input-seed7.json', repeat, ' --out public/challenges/time-input-seed7.json'],
  ])('%s holds every variant, step and ratio it claims, made the way its command says', (_name, file, out) => {
    expect(file.variants.map((v) => v.timeInput)).toEqual(['learned', 'sinusoidal', 'none']);
    expect(file.command).toBe(
      `npx tsx bench/challenges.ts --steps ${file.steps} --seed ${file.seed} --recipe ${file.recipe} --seqs ${file.evalSeqsPerRatio} --checkup-every ${file.checkupEvery}${out}`,
    );
    expect(file.checkT).toEqual(CHECK_T);
    for (const v of file.variants) {
      expect(v.losses).toHaveLength(file.steps);
      expect(v.losses.every((l) => l === null || (l > 0 && l < 5))).toBe(true);
      expect(v.checkups.map((c) => c.step)).toEqual(Array.from({ length: file.steps / file.checkupEvery }, (_, i) => (i + 1) * file.checkupEvery));
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
    // The second seed is the same experiment: only the seed differs.
    expect({ ...repeat, seed: 0, command: '', variants: [] }).toEqual({ ...shipped, seed: 0, command: '', variants: [] });
    const again = describeRepeat(shipped, repeat);
    expect(again).toMatch(/^A second run from seed 7, otherwise the same, ended in (the same|a different) order at t = 0\.5: /);
    expect(describeRepeat(shipped, shipped)).toContain('the same order');
    const swapped = {
      ...shipped,
      variants: shipped.variants.map((v) => ({ ...v, ratios: v.ratios.map((r) => ({ ...r, accuracy: 1 - r.accuracy })) })),
    };
    expect(describeRepeat(shipped, swapped)).toContain('a different order');
  });

  it('smooths with a moving average that steps over skipped batches', () => {
    expect(movingAverage([1, 2, 3, 4], 2)).toEqual([1, 1.5, 2.5, 3.5]);
    expect(movingAverage([null, 2, null, 4], 2)).toEqual([null, 2, 2, 3]);
  });
});
