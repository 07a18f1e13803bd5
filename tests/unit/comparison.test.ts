/**
 * The challenges' comparison runner driving a real TrainingSession on the
 * page (the worker-less fallback, where events arrive from inside the
 * session's own run): variants one after another with their overrides, the
 * check-up that ends each, cancelling, and a refused override.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LEARNS, type Recipe } from '../../src/core/recipes.ts';
import { Comparison, type ComparisonSnapshot } from '../../src/ui/cells/beyond/comparison.ts';
import type { TrainingClient } from '../../src/ui/training/training-client.ts';
import type { RunSpec } from '../../src/worker/protocol.ts';
import { TrainingSession } from '../../src/worker/session.ts';
import { useBackend } from '../helpers/backends.ts';

const small: Recipe = { ...LEARNS, batchSize: 4 };

/** A Comparison whose "worker" is a session on this thread; every spec it is asked to run is kept. */
function onThePage() {
  const specs: RunSpec[] = [];
  const sessions: TrainingSession[] = [];
  const comparison = new Comparison({
    backends: () => ['wasm'],
    nextFrame: (fn) => setTimeout(fn, 0),
    connect: async (_backends, onEvent) => {
      const session = new TrainingSession(onEvent, { recipe: () => small });
      sessions.push(session);
      const client: TrainingClient = {
        backend: { name: 'wasm', attempts: [{ name: 'wasm', ok: true }] },
        where: 'page',
        measure: (recipe) => session.measure(recipe),
        run: (spec, from) => {
          if (spec) specs.push(spec);
          void session.run(spec, from);
        },
        pause: () => session.pause(),
        stop: () => session.stop(),
        dispose: () => session.dispose(),
      };
      return { client, note: null };
    },
  });
  /** Resolves at the first snapshot that passes `match`. */
  const until = (match: (s: ComparisonSnapshot) => boolean) =>
    new Promise<ComparisonSnapshot>((resolve) => {
      if (match(comparison.getSnapshot())) return resolve(comparison.getSnapshot());
      const off = comparison.subscribe(() => {
        if (!match(comparison.getSnapshot())) return;
        off();
        resolve(comparison.getSnapshot());
      });
    });
  return { comparison, specs, sessions, until };
}

const variants = [
  { id: 'learned', label: 'learned', overrides: { timeInput: 'learned' } },
  { id: 'none', label: 'none', overrides: { timeInput: 'none' } },
] as const;

describe('comparison runner', () => {
  beforeAll(() => useBackend('wasm'));

  it('trains each variant in turn with its overrides and ends each with a check-up', async () => {
    const before = tf.memory().numTensors;
    const { comparison, specs, until } = onThePage();
    await comparison.start({ experiment: 'time-input', recipe: 'learns', stepsEach: 3, seed: 9, variants: [...variants] });
    const done = await until((s) => s.phase === 'done' || s.phase === 'failed');
    expect(done.message).toBe('All 2 variants trained for 3 steps each.');
    expect(specs).toEqual([
      { recipe: 'learns', totalSteps: 3, seed: 9, overrides: { timeInput: 'learned' } },
      { recipe: 'learns', totalSteps: 3, seed: 9, overrides: { timeInput: 'none' } },
    ]);
    for (const v of done.variants) {
      expect(v.status).toBe('done');
      expect(v.step).toBe(3);
      expect(v.losses).toHaveLength(3);
      expect(v.checkup?.step).toBe(3);
      expect(v.checkup?.t).toEqual([0.1, 0.3, 0.5, 0.7, 0.9]);
    }
    // Same seed, same first batch and weights; only the time input differs, so the losses do too.
    expect(done.variants[0].losses[0]).not.toBe(done.variants[1].losses[0]);
    expect(done.backend).toEqual({ name: 'wasm', where: 'page' });
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('cancels at the end of a step and skips the variants not yet run, then runs again', async () => {
    const { comparison, specs, until } = onThePage();
    await comparison.start({ experiment: 'objective', recipe: 'learns', stepsEach: 500, seed: 1, variants: [...variants] });
    await until((s) => s.variants[0]?.step >= 2);
    comparison.cancel();
    expect(comparison.getSnapshot().phase).toBe('cancelling');
    const cancelled = await until((s) => s.phase === 'cancelled');
    expect(cancelled.message).toMatch(/^Cancelled during learned, at step \d+\.$/);
    expect(cancelled.variants.map((v) => v.status)).toEqual(['stopped', 'waiting']);
    expect(cancelled.variants[0].step).toBeLessThan(500);
    expect(specs).toHaveLength(1);
    expect(comparison.busy()).toBe(false);

    await comparison.start({ experiment: 'objective', recipe: 'learns', stepsEach: 2, seed: 1, variants: [variants[1]] });
    expect((await until((s) => s.phase === 'done')).variants[0].losses).toHaveLength(2);
  }, 60_000);

  it('says why it cannot run: bad steps, or an override the session refuses', async () => {
    const { comparison, until } = onThePage();
    await comparison.start({ experiment: 'x', recipe: 'learns', stepsEach: 0, seed: 1, variants: [...variants] });
    expect(comparison.getSnapshot()).toMatchObject({ phase: 'idle', message: 'Steps must be a whole number from 1 to 2000.' });
    await comparison.start({
      experiment: 'x',
      recipe: 'learns',
      stepsEach: 2,
      seed: 1,
      variants: [{ id: 'bad', label: 'bad', overrides: { timeInput: 'fourier' as never } }],
    });
    const failed = await until((s) => s.phase === 'failed');
    expect(failed.message).toBe('Training could not start: timeInput must be one of learned, sinusoidal, none, got "fourier"');
  });
});
