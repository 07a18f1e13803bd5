/**
 * The words cell's live run, driving a real TrainingSession on the page (the
 * worker-less fallback) through the shared TrainingController: it sends the
 * word list in the spec, keeps every words check-up with the training time
 * it was taken at, hands out the word model's weights at the end, stops on
 * request, and refuses a bad step count.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WordRun, type WordRunSnapshot } from '../../src/ui/cells/beyond/word-run.ts';
import type { TrainingClient } from '../../src/ui/training/training-client.ts';
import type { RunSpec } from '../../src/worker/protocol.ts';
import { TrainingSession } from '../../src/worker/session.ts';
import { WORDS_RECIPE } from '../../src/words/recipe.ts';
import { useBackend } from '../helpers/backends.ts';

const WORDS = readFileSync(new URL('../../public/words/words.txt', import.meta.url), 'utf8');

function onThePage() {
  const specs: RunSpec[] = [];
  const run = new WordRun({
    backends: () => ['wasm'],
    nextFrame: (fn) => setTimeout(fn, 0),
    connect: async (_backends, onEvent) => {
      // Small batches, so a 60-step run takes seconds.
      const session = new TrainingSession(onEvent, { recipe: () => ({ ...WORDS_RECIPE, batchSize: 8 }) });
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
  const until = (match: (s: WordRunSnapshot) => boolean) =>
    new Promise<WordRunSnapshot>((resolve) => {
      if (match(run.getSnapshot())) return resolve(run.getSnapshot());
      const off = run.subscribe(() => {
        if (!match(run.getSnapshot())) return;
        off();
        resolve(run.getSnapshot());
      });
    });
  return { run, specs, until };
}

describe('a live word run', () => {
  beforeAll(() => useBackend('wasm'));

  it('trains on the words it is given, keeps its check-ups with their training time, and hands out the weights', async () => {
    const { run, specs, until } = onThePage();
    await run.start(WORDS, 60, 5);
    expect(specs).toEqual([{ recipe: 'words', totalSteps: 60, seed: 5, words: WORDS }]);
    const done = await until((s) => s.phase === 'done' || s.phase === 'failed');
    expect(done.message).toBe('Completed 60 steps.');
    expect(done.step).toBe(60);
    expect(done.backend).toEqual({ name: 'wasm', where: 'page' });
    expect(done.checkups.map((c) => c.step)).toEqual([50, 60]);
    expect(done.checkups[0].trainSeconds).toBeGreaterThan(0);
    expect(done.checkups[1].trainSeconds).toBeGreaterThan(done.checkups[0].trainSeconds);
    expect(done.trainSeconds).toBeGreaterThanOrEqual(done.checkups[1].trainSeconds);
    expect(done.checkups[1].bitsPerChar).toBeGreaterThan(1);
    expect(done.checkups[1].bitsPerChar).toBeLessThan(8);
    expect(new Map(done.weights!).get('token_embed.weight')).toHaveLength(28 * 64);
  }, 300_000);

  it('stops on request, keeping the weights so far, and refuses a bad step count', async () => {
    const { run, until } = onThePage();
    await run.start(WORDS, 0, 1);
    expect(run.getSnapshot()).toMatchObject({ phase: 'failed', message: 'Steps must be a whole number from 1 to 3000.' });
    await run.start(WORDS, 2000, 1);
    await until((s) => s.step >= 3);
    run.stop();
    expect(run.getSnapshot().phase).toBe('stopping');
    const stopped = await until((s) => s.phase === 'stopped');
    expect(stopped.step).toBeLessThan(2000);
    expect(stopped.weights).not.toBeNull();
  }, 300_000);
});
