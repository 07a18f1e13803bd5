/**
 * The compute worker's jobs, run here as the worker runs them: each gives what
 * the engine computes directly, leaks no tensor, reports progress, and stops
 * with an AbortError when cancelled.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../src/core/checkpoint.ts';
import { MASK_ID } from '../../src/core/config.ts';
import { evaluate } from '../../src/core/metrics.ts';
import type { DiffusionLM } from '../../src/core/model.ts';
import { loadedModel } from '../../src/core/model-factory.ts';
import { predictMasked } from '../../src/core/predict.ts';
import { directContext } from '../../src/compute/job-context.ts';
import { runJob } from '../../src/compute/jobs.ts';
import { useBackend } from '../helpers/backends.ts';

let model: DiffusionLM;
const xt = Int32Array.from([
  4,
  9,
  2,
  4,
  MASK_ID,
  2,
  4,
  9,
  MASK_ID,
  4,
  9,
  2,
  MASK_ID,
  9,
  2,
  4,
  9,
  2,
  4,
  MASK_ID,
  2,
  4,
  9,
  2,
  4,
  9,
  MASK_ID,
  4,
  9,
  2,
  4,
  9,
]);

describe('compute jobs', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    const { weights, options } = readCheckpoint(
      new Uint8Array(readFileSync(fileURLToPath(new URL('../../public/pretrained/curriculum-6500.safetensors', import.meta.url)))),
    );
    model = loadedModel(weights, options);
  });

  it('answer as the engine does, and leave no tensor behind', async () => {
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const ctx = directContext(undefined, (done, total) => progress.push(done / total));
    expect(await runJob('predict', model, { xt, t: 5 / 32, k: 3 }, ctx)).toEqual(await predictMasked(model, xt, 5 / 32, 3));
    const curve = (await runJob('accuracyCurve', model, { seed: 3, seqs: 20 }, ctx)) as { evaluation: unknown; best: { acc: number[] } };
    expect(curve.evaluation).toEqual(await evaluate(model, { seqsPerRatio: 20, chunk: 20, seed: 3 }));
    expect(curve.best.acc[0]).toBeCloseTo(1, 6); // t = 0.05: nearly everything visible
    expect(progress.at(-1)).toBe(1);
    const logits = (await runJob('logits', model, { xt, t: 0.2 }, ctx)) as Float32Array;
    expect(logits).toHaveLength(32 * 16);
    const maps = (await runJob('attention', model, { xt, t: 0.2 }, ctx)) as Float32Array[][][];
    expect([maps.length, maps[0].length, maps[0][0].length, maps[0][0][0].length]).toEqual([2, 3, 4, 32 * 32]);
    // Under a causal mask no query attends to a key on its right.
    expect(maps[1][0][0][1]).toBe(0);
    const infilled = (await runJob('infill', model, { tokens: xt }, ctx)) as {
      blanks: { model: { token: number }[]; best: { token: number }[] }[];
      periods: { period: number; prob: number }[];
    };
    expect(infilled.periods.find((p) => p.prob > 0.99)?.period).toBe(3);
    expect(infilled.blanks.every((b) => b.model[0].token === b.best[0].token)).toBe(true);
    const explored = (await runJob('explore', model, { tokens: xt }, ctx)) as { period: number };
    expect(explored.period).toBe(3);
    const counts = (await runJob('paramCounts', null, {}, ctx)) as { total: number };
    expect(counts.total).toBe(156_304);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('generates as the lesson shows it, and stops when cancelled', async () => {
    const before = tf.memory().numTensors;
    const settings = { sampler: 'ancestral', steps: 8, temperature: 1, grid: 'uniform' } as const;
    const g = (await runJob('generate', model, { settings, seed: 1 }, directContext())) as { frames: Int32Array[]; compare: { name: string }[] };
    expect(g.frames).toHaveLength(9);
    expect(g.frames[8].includes(MASK_ID)).toBe(false);
    expect(g.compare.map((r) => r.name)).toEqual([
      'this model, ancestral (random order)',
      'this model, confidence-based (surest first)',
      'best possible denoiser, ancestral',
    ]);
    await expect(runJob('generate', model, { settings: { ...settings, steps: 99 }, seed: 1 }, directContext())).rejects.toThrow(
      'Steps must be a whole number from 1 to 64.',
    );

    const controller = new AbortController();
    const ctx = directContext(controller.signal, () => controller.abort());
    await expect(runJob('lossCurve', model, { seed: 9 }, ctx)).rejects.toMatchObject({ name: 'AbortError' });
    await expect(runJob('nonesuch', model, {}, directContext())).rejects.toThrow('no compute job is called "nonesuch"');
    await expect(runJob('predict', null, { xt, t: 0.5, k: 1 }, directContext())).rejects.toThrow('no trained model is loaded');
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
