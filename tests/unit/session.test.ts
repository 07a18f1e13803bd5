/**
 * The live-training session the worker runs: its events, save points,
 * check-ups, pause and stop, a lost GPU, and exact resumption from a save.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { freshModel, trainerFor } from '../../src/core/model-factory.ts';
import { paramSpecs } from '../../src/core/params.ts';
import { LEARNS, withOverrides, type Recipe } from '../../src/core/recipes.ts';
import type { RunState, SessionEvent } from '../../src/worker/protocol.ts';
import { SAVE_EVERY, TrainingSession, type SessionOptions } from '../../src/worker/session.ts';
import { useBackend } from '../helpers/backends.ts';

// The learns recipe with small batches, so a 52-step run takes seconds.
const small: Recipe = { ...LEARNS, batchSize: 8 };
const spec = { recipe: 'learns', totalSteps: 52, seed: 3 };

/** A session whose events are recorded; `until` resolves at the first event matching it. */
function recorded(options: SessionOptions = {}) {
  const events: SessionEvent[] = [];
  const waiters: { match: (e: SessionEvent) => boolean; resolve: (e: SessionEvent) => void }[] = [];
  const session = new TrainingSession(
    (e) => {
      events.push(e);
      for (const w of waiters.filter((w) => w.match(e))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(e);
      }
    },
    { recipe: () => small, ...options },
  );
  const until = (match: (e: SessionEvent) => boolean) => new Promise<SessionEvent>((resolve) => waiters.push({ match, resolve }));
  const of = <T extends SessionEvent['type']>(type: T) => events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  return { session, events, until, of };
}

function weightsOf(e: SessionEvent | undefined): Map<string, Float32Array> {
  if (e?.type !== 'ended' || !e.weights) throw new Error(`expected an ended event with weights, got ${JSON.stringify(e?.type)}`);
  return new Map(e.weights);
}

function maxAbsDiff(a: Map<string, Float32Array>, b: Map<string, Float32Array>): number {
  let worst = 0;
  for (const [name, x] of a) {
    const y = b.get(name)!;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
  }
  return worst;
}

describe('training session (wasm)', () => {
  beforeAll(() => useBackend('wasm'));

  let straight: Map<string, Float32Array>;
  let saveAt50: RunState;

  it('runs to the end with a save every 50 steps, check-ups, and the weights handed out, leaking nothing', async () => {
    const before = tf.memory().numTensors;
    const { session, of } = recorded();
    await session.run(spec, null);
    expect(of('progress').map((e) => e.step)).toEqual(Array.from({ length: 52 }, (_, i) => i + 1));
    expect(of('progress').every((e) => e.loss === null || (e.loss > 0 && e.loss < 5))).toBe(true);
    // Save points: every SAVE_EVERY steps until the end (the end itself hands out the weights instead).
    expect(of('saved').map((e) => e.state.trainer.step)).toEqual([SAVE_EVERY]);
    saveAt50 = of('saved')[0].state;
    expect(saveAt50.weights.map(([name]) => name)).toEqual(paramSpecs(DEFAULT_MODEL).map((p) => p.name)); // PyTorch's names, in order
    // Check-ups at step 50 (every max(50, 52/10) steps) and at the end.
    const checkups = of('checkup').map((e) => e.checkup);
    expect(checkups.map((c) => c.step)).toEqual([50, 52]);
    for (const c of checkups) {
      expect(c.t).toEqual([0.1, 0.3, 0.5, 0.7, 0.9]);
      expect(c.best[0]).toBeGreaterThan(0.99); // best possible at t = 0.1
      for (const a of c.accuracy) expect(a).toBeGreaterThanOrEqual(0);
    }
    const ended = of('ended');
    expect(ended).toHaveLength(1);
    expect(ended[0]).toMatchObject({ reason: 'completed', step: 52, message: 'Completed 52 steps.' });
    straight = weightsOf(ended[0]);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('carries a run on from a save point exactly', async () => {
    const { session, of } = recorded();
    await session.run(spec, saveAt50);
    expect(of('progress').map((e) => e.step)).toEqual([51, 52]);
    expect(maxAbsDiff(weightsOf(of('ended')[0]), straight)).toBe(0);
  }, 60_000);

  it('pauses at the end of a step, saves, and resumes to the same weights as a straight run', async () => {
    const before = tf.memory().numTensors;
    const { session, of, until } = recorded();
    const paused = until((e) => e.type === 'ended');
    void until((e) => e.type === 'progress' && e.step === 30).then(() => session.pause());
    await session.run(spec, null);
    expect(await paused).toMatchObject({ reason: 'paused', step: 30, message: 'Paused after step 30 of 52.', weights: null });
    expect(of('saved').map((e) => e.state.trainer.step)).toEqual([30]); // a pause is a save point too
    await session.run(null, null);
    expect(of('ended').at(-1)).toMatchObject({ reason: 'completed', step: 52 });
    expect(maxAbsDiff(weightsOf(of('ended').at(-1)), straight)).toBe(0);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('still checks up on a boundary when the pause lands on its last step', async () => {
    const { session, of, until } = recorded();
    void until((e) => e.type === 'progress' && e.step === 50).then(() => session.pause());
    await session.run(spec, null);
    expect(of('checkup').map((e) => e.checkup.step)).toEqual([50]);
    expect(of('ended').at(-1)).toMatchObject({ reason: 'paused', step: 50 });
    session.dispose();
  }, 60_000);

  it('stops a paused run for good, handing out the weights so far', async () => {
    const before = tf.memory().numTensors;
    const { session, of, until } = recorded();
    void until((e) => e.type === 'progress' && e.step === 2).then(() => session.pause());
    await session.run(spec, null);
    const stopped = until((e) => e.type === 'ended' && e.reason === 'stopped');
    session.stop();
    expect(await stopped).toMatchObject({ step: 2, message: 'Stopped after step 2.' });
    expect(weightsOf(of('ended').at(-1)).size).toBe(paramSpecs(DEFAULT_MODEL).length);
    // Nothing is left to resume.
    await session.run(null, null);
    expect(of('failed').at(-1)?.message).toBe('Training could not start: there is no paused run to resume');
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('reports a lost GPU instead of training on garbage or calling it a NaN', async () => {
    let gone: string | null = null;
    const lost = new AbortController();
    const { session, of, until } = recorded({ lost: () => gone, lostSignal: lost.signal });
    void until((e) => e.type === 'progress' && e.step === 4).then(() => {
      gone = 'the WebGL context was lost';
      lost.abort();
    });
    await session.run(spec, null);
    expect(of('lost')).toEqual([{ type: 'lost', step: 4, message: 'the WebGL context was lost' }]);
    expect(of('ended')).toEqual([]);
    expect(of('progress').at(-1)?.step).toBe(4);
  }, 60_000);

  it('times a step, and explains a recipe it does not know', async () => {
    const { session } = recorded();
    const sec = await session.measure('learns');
    expect(sec).toBeGreaterThan(0);
    expect(sec).toBeLessThan(30);
    const events: SessionEvent[] = [];
    const plain = new TrainingSession((e) => events.push(e));
    await plain.run({ recipe: 'nonesuch', totalSteps: 5, seed: 1 }, null);
    expect(events).toHaveLength(1);
    expect(events[0].type).toBe('failed');
    expect((events[0] as { message: string }).message).toMatch(/^Training could not start: .*nonesuch/);
  });

  it('trains a variant of the recipe from plain-data overrides, exactly as the engine would', async () => {
    const before = tf.memory().numTensors;
    const overrides = { timeInput: 'none', loss: 'elbo', batchSize: 4 } as const;
    const { session, of } = recorded();
    await session.run({ recipe: 'learns', totalSteps: 3, seed: 5, overrides }, null);
    expect(of('ended')[0]).toMatchObject({ reason: 'completed', step: 3 });
    const fromSession = weightsOf(of('ended')[0]);

    // The same variant built by hand (the one factory, the one seed convention): same model, data and steps give the same weights.
    const recipe = withOverrides(small, overrides);
    const model = freshModel(recipe, 5);
    const trainer = trainerFor(model, recipe, 5, 3);
    await trainer.run();
    const byHand = await model.stateDict();
    expect(maxAbsDiff(fromSession, byHand)).toBe(0);
    // No time input: the time MLP kept its initial weights; everything else moved.
    const init = freshModel(recipe, 5);
    const start = await init.stateDict();
    expect(fromSession.get('time_mlp.2.weight')).toEqual(start.get('time_mlp.2.weight'));
    expect(fromSession.get('output_head.weight')).not.toEqual(start.get('output_head.weight'));
    // And the overrides mattered: the plain recipe ends elsewhere.
    const plain = recorded();
    await plain.session.run({ recipe: 'learns', totalSteps: 3, seed: 5 }, null);
    expect(maxAbsDiff(weightsOf(plain.of('ended')[0]), fromSession)).toBeGreaterThan(1e-4);
    for (const m of [model, init]) m.dispose();
    trainer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('refuses overrides it cannot honour, saying which and why', async () => {
    const { session, of } = recorded();
    await session.run({ ...spec, overrides: { timeInput: 'fourier' as never } }, null);
    await session.run({ ...spec, overrides: { loss: 'mse' as never } }, null);
    await session.run({ ...spec, overrides: { steps: 9 } as never }, null);
    expect(of('failed').map((e) => e.message)).toEqual([
      'Training could not start: timeInput must be one of learned, sinusoidal, none, got "fourier"',
      'Training could not start: loss must be one of masked-mean, elbo, got "mse"',
      'Training could not start: cannot override "steps"; a recipe\'s overridable settings are: timeInput, loss, batchSize, dropout, ignoreTime',
    ]);
    expect(of('progress')).toEqual([]);
  });
});
