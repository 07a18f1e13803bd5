/**
 * The trusted reference worker of the exercise checker: one that never answers must not
 * hold a check (and every check queued behind it) at "Checking…" for good.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { ExerciseRunner, REFERENCE_LIMIT_MS, type ModelSource } from '../../src/exercises/runner.ts';

/** A worker that takes every message and never answers: a reference stuck starting up. */
class SilentWorker extends EventTarget {
  static made: SilentWorker[] = [];
  terminated = false;
  readonly received: unknown[] = [];
  constructor() {
    super();
    SilentWorker.made.push(this);
  }
  postMessage(m: unknown) {
    this.received.push(m);
  }
  terminate() {
    this.terminated = true;
  }
}

const model: ModelSource = {
  version: 1,
  vocabSize: DEFAULT_MODEL.vocabSize,
  options: { timeInput: 'learned' } as ModelSource['options'],
  weights: async () => new Map(),
};

/** The runner's private way to the reference, as a check calls it. */
type WithLogits = { logits(m: ModelSource, w: [string, Float32Array][], cases: readonly unknown[]): Promise<Float32Array[]> };

describe('the exercise checker’s reference worker', () => {
  beforeEach(() => {
    SilentWorker.made = [];
    vi.stubGlobal('Worker', SilentWorker);
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('gives up on a reference that never answers, with a message, and starts a fresh one next time', async () => {
    const runner = new ExerciseRunner() as unknown as WithLogits;
    const first = runner.logits(model, [], []);
    const outcome = first.then(
      () => 'answered',
      (e: Error) => e.message,
    );
    await vi.advanceTimersByTimeAsync(REFERENCE_LIMIT_MS - 1);
    expect(SilentWorker.made[0].terminated).toBe(false); // patient while it may still be starting
    await vi.advanceTimersByTimeAsync(1);
    expect(await outcome).toBe(`the reference model did not answer within ${REFERENCE_LIMIT_MS / 1000} s. Check again to restart it`);
    expect(SilentWorker.made[0].terminated).toBe(true);

    void runner.logits(model, [], []).catch(() => undefined);
    expect(SilentWorker.made).toHaveLength(2); // a new worker, sent the model again before the question
    expect((SilentWorker.made[1].received[0] as { type: string }).type).toBe('model');
    await vi.advanceTimersByTimeAsync(REFERENCE_LIMIT_MS);
  });
});
