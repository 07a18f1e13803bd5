/** Section 6's simulations, as the compute worker runs them: the statistics they show hold. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA } from '../../src/core/config.ts';
import { maskedFractions, trainingRatios, TRIALS } from '../../src/compute/masking-statistics.ts';
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
