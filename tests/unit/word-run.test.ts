/**
 * The words cell's live run controller, with a scripted client in place of
 * the worker: it starts once, sends the word list in the spec, adds up
 * training time from the steps' own speed, keeps every check-up with the
 * time it was taken at, hands out the weights at the end, and says why when
 * it cannot start or the session fails.
 */
import { describe, expect, it } from 'vitest';
import type { RunSpec, SessionEvent, WordsCheckup } from '../../src/worker/protocol.ts';
import type { connect } from '../../src/ui/training-client.ts';
import { WordRun } from '../../src/ui/cells/beyond/word-run.ts';

const summary = { wellFormed: 1, real: 0.5, heldOut: 0, novel: 0.5, wordLike: 0.75, distinct: 4, meanLength: 5, examples: ['cat'] };
const checkupAt = (step: number): WordsCheckup => ({ step, bitsPerChar: 3.5, ancestral: summary, confidence: summary });

/** A connect() whose client records what it is asked and lets the test emit the session's events. */
function scripted() {
  const runs: RunSpec[] = [];
  let stops = 0;
  let emit: (e: SessionEvent) => void = () => undefined;
  const connectFn = (async (_backends: readonly string[], onEvent: (e: SessionEvent) => void) => {
    emit = onEvent;
    return {
      client: {
        backend: { name: 'wasm', fallbacks: [] },
        where: 'worker',
        measure: async () => 0.1,
        run: (spec: RunSpec | null) => spec && runs.push(spec),
        pause: () => undefined,
        stop: () => stops++,
        dispose: () => undefined,
      },
      note: null,
    };
  }) as unknown as typeof connect;
  return { connectFn, runs, stops: () => stops, emit: (e: SessionEvent) => emit(e) };
}

describe('a live word run', () => {
  it('runs, measures, and hands out the weights', async () => {
    const s = scripted();
    const run = new WordRun({ connect: s.connectFn, backends: ['wasm'] });
    await run.start('cat\ndog', 100, 5);
    expect(s.runs).toEqual([{ recipe: 'words', totalSteps: 100, seed: 5, words: 'cat\ndog' }]);
    expect(run.getSnapshot().phase).toBe('running');
    expect(run.getSnapshot().backend).toEqual({ name: 'wasm', where: 'worker' });
    await run.start('cat\ndog', 100, 5); // a second start while running is ignored
    expect(s.runs).toHaveLength(1);

    s.emit({ type: 'progress', step: 1, loss: 3, stepsPerSec: 4 });
    s.emit({ type: 'progress', step: 2, loss: null, stepsPerSec: 2 });
    expect(run.getSnapshot().trainSeconds).toBeCloseTo(0.25 + 0.5, 12);
    s.emit({ type: 'words-checkup', checkup: checkupAt(2) });
    s.emit({ type: 'saved', state: { trainer: { step: 2, rng: [1, 2, 3, 4], optimizer: { step: 2, m: [], v: [] } }, weights: [] } } as unknown as SessionEvent);
    s.emit({ type: 'progress', step: 3, loss: 2, stepsPerSec: 1 });
    expect(run.getSnapshot().checkups).toEqual([{ ...checkupAt(2), trainSeconds: 0.75 }]);
    expect(run.getSnapshot().trainSeconds).toBeCloseTo(1.75, 12);

    const weights: [string, Float32Array][] = [['output_head.bias', new Float32Array(28)]];
    s.emit({ type: 'ended', reason: 'completed', step: 100, message: 'Completed 100 steps.', weights });
    expect(run.getSnapshot()).toMatchObject({ phase: 'done', step: 100, weights, message: 'Completed 100 steps.' });
  });

  it('stops on request, refuses bad steps, and explains a failure', async () => {
    const s = scripted();
    const run = new WordRun({ connect: s.connectFn, backends: ['wasm'] });
    await run.start('cat', 0, 1);
    expect(run.getSnapshot()).toMatchObject({ phase: 'failed', message: 'Steps must be a whole number from 1 to 3000.' });
    expect(s.runs).toEqual([]);
    await run.start('cat', 10, 1);
    run.stop();
    expect(s.stops()).toBe(1);
    expect(run.getSnapshot().phase).toBe('stopping');
    s.emit({ type: 'ended', reason: 'stopped', step: 4, message: 'Stopped after step 4.', weights: null });
    expect(run.getSnapshot()).toMatchObject({ phase: 'stopped', step: 4 });
    await run.start('cat', 10, 1);
    s.emit({ type: 'failed', message: 'Training could not start: the word list, line 1: "x" is not a word' });
    expect(run.getSnapshot()).toMatchObject({ phase: 'failed', message: 'Training could not start: the word list, line 1: "x" is not a word' });
  });

  it('says why when the worker cannot start', async () => {
    const run = new WordRun({ connect: (async () => Promise.reject(new Error('no backend'))) as unknown as typeof connect, backends: ['wasm'] });
    await run.start('cat', 10, 1);
    expect(run.getSnapshot()).toMatchObject({ phase: 'failed', message: 'Training could not start: no backend' });
  });
});
