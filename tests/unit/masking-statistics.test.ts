/** Section 6's simulations, as the compute worker runs them: the statistics they show hold. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA } from '../../src/core/config.ts';
import { maskedCountHistogram, maskedFractions, trainingRatios, TRIALS } from '../../src/compute/masking-statistics.ts';
import { directContext } from '../../src/compute/job-context.ts';
import { NOTEBOOK } from '../../src/core/recipes.ts';

describe('masking statistics jobs', () => {
  it('mask a share of tokens within four standard errors of t at every ratio, the same for the same seed', async () => {
    const steps: number[] = [];
    const out = await maskedFractions(
      { seed: 42 },
      directContext(undefined, (done) => steps.push(done)),
    );
    const se = (t: number) => Math.sqrt((t * (1 - t)) / (TRIALS * DEFAULT_DATA.seqLen));
    out.t.forEach((t, i) => expect(Math.abs(out.fraction[i] - t)).toBeLessThan(4 * se(t)));
    expect(steps).toEqual(out.t.map((_, i) => i + 1));
    expect(await maskedFractions({ seed: 42 }, directContext())).toEqual(out);
    expect(await maskedFractions({ seed: 43 }, directContext())).not.toEqual(out);
  });

  it("sample training's ratios as the recipe says: spread over [t_min, 1], bins summing to one", async () => {
    const out = await trainingRatios({ seed: 42 }, directContext());
    expect(out.draws).toBe(160 * NOTEBOOK.batchSize);
    expect(out.diffusion.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    // Uniform on [tMin, tMax]: every bin of width 0.05 inside it expects 0.05 / (tMax - tMin) of the draws.
    expect(NOTEBOOK.tMin).toBeLessThan(0.05);
    expect(NOTEBOOK.tMax).toBe(1);
    const full = 0.05 / (NOTEBOOK.tMax - NOTEBOOK.tMin);
    const se = Math.sqrt((full * (1 - full)) / out.draws);
    for (const share of out.diffusion.slice(1)) expect(Math.abs(share - full)).toBeLessThan(4 * se);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(maskedFractions({ seed: 1 }, directContext(controller.signal))).rejects.toThrow(/cancelled/);
  });
});

describe('the masked-count histogram job', () => {
  it('tallies TRIALS sequences at t: shares summing to one, the mean within four standard errors of L·t, the same draw for the same ratio', () => {
    const L = DEFAULT_DATA.seqLen;
    for (const t of [0.05, 0.5, 0.8]) {
      const h = maskedCountHistogram({ seed: 42, t });
      expect(h.t).toBe(t);
      expect(h.share).toHaveLength(L + 1);
      expect(h.share.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
      const mean = h.share.reduce((s, p, k) => s + p * k, 0);
      expect(h.mean).toBeCloseTo(mean, 10);
      expect(Math.abs(h.mean - L * t)).toBeLessThan(4 * Math.sqrt((L * t * (1 - t)) / TRIALS));
      expect(maskedCountHistogram({ seed: 42, t })).toEqual(h);
    }
    expect(maskedCountHistogram({ seed: 42, t: 0.55 })).not.toEqual(maskedCountHistogram({ seed: 42, t: 0.5 }));
  });

  it('refuses a ratio outside (0, 1]', () => {
    for (const t of [0, -0.1, 1.5, Number.NaN]) expect(() => maskedCountHistogram({ seed: 1, t })).toThrow(/masking ratio is in \(0, 1\]/);
  });
});
