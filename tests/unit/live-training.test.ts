/**
 * Section 8's run around the controller: saved runs are checked field by
 * field before use (a damaged or hostile record is explained and discarded,
 * never resumed), a save the browser refuses stays resumable from memory, and
 * a finished run hands its weights over with a summary in words.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { freshModel, trainerFor } from '../../src/core/model-factory.ts';
import { LEARNS } from '../../src/core/recipes.ts';
import type { RunEnd } from '../../src/ui/training/controller.ts';
import { LiveTraining } from '../../src/ui/training/live-training.ts';
import { parseSavedRun, type RunStorage, type SavedRun } from '../../src/ui/training/saved-run.ts';
import type { ConnectFn, TrainingClient } from '../../src/ui/training/training-client.ts';
import type { RunSpec, RunState, SessionEvent } from '../../src/worker/protocol.ts';
import { useBackend } from '../helpers/backends.ts';

/** A real save point: a model and trainer of the learns recipe after two steps (batch 4). */
async function realSave(step = 2): Promise<SavedRun> {
  const recipe = { ...LEARNS, batchSize: 4 };
  const model = freshModel(recipe, 3);
  const trainer = trainerFor(model, recipe, 3, 100);
  await trainer.run({ untilStep: step });
  const [state, weights] = [await trainer.getState(), await model.stateDict()];
  trainer.dispose();
  model.dispose();
  return { version: 1, recipe: 'learns', totalSteps: 100, seed: 3, trainer: state, weights, losses: [2.7, null], checkups: [], savedAt: 1 };
}

class MemoryRuns implements RunStorage {
  stored: unknown = undefined;
  saves = 0;
  failSaves = false;
  save = async (run: SavedRun) => {
    this.saves++;
    if (this.failSaves) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.stored = run;
  };
  clear = async () => void (this.stored = undefined);
  load = async () => this.stored;
}

function harness(storage = new MemoryRuns()) {
  const clients: { runs: { spec: RunSpec | null; from: RunState | null }[]; emit: (e: SessionEvent) => void }[] = [];
  const connect: ConnectFn = async (backends, onEvent) => {
    const runs: { spec: RunSpec | null; from: RunState | null }[] = [];
    clients.push({ runs, emit: onEvent });
    const client: TrainingClient = {
      backend: { name: backends[0], attempts: [{ name: backends[0], ok: true }] },
      where: 'worker',
      measure: async () => 0.25,
      run: (spec, from) => runs.push({ spec, from }),
      pause: () => undefined,
      stop: () => undefined,
      dispose: () => undefined,
    };
    return { client, note: null };
  };
  const handed: { end: RunEnd; label: string }[] = [];
  const live = new LiveTraining({
    connect,
    backends: () => ['wasm'],
    nextFrame: (fn) => fn(),
    storage,
    handOver: async (end, label) => void handed.push({ end, label }),
  });
  return { live, storage, clients, handed };
}

describe('saved runs', () => {
  beforeAll(() => useBackend('wasm'));

  it('accepts a real save point, and refuses every kind of damage with a reason', async () => {
    const before = tf.memory().numTensors;
    const good = await realSave();
    expect(tf.memory().numTensors).toBe(before);
    expect('run' in parseSavedRun(good)).toBe(true);
    const bad = (patch: Partial<Record<keyof SavedRun, unknown>>) => {
      const r = parseSavedRun({ ...good, ...patch });
      return 'problem' in r ? r.problem : 'accepted';
    };
    expect(bad({ totalSteps: 1e9 })).toBe('its length is wrong: Steps must be a whole number from 1 to 6500.');
    expect(bad({ recipe: 'nonesuch' })).toBe('it names an unknown recipe ("nonesuch")');
    expect(bad({ version: 2 })).toBe('it was saved by another version (2)');
    expect(bad({ seed: -1 })).toBe('its seed is not a whole number from 0 to 4294967295');
    expect(bad({ trainer: { ...good.trainer, step: 101 } })).toBe('its step is not between 1 and 100');
    expect(bad({ trainer: { ...good.trainer, rng: [0, 0, 0, 0] } })).toBe('its random-number state is damaged');
    expect(bad({ trainer: { ...good.trainer, optimizer: { ...good.trainer.optimizer, m: new Float32Array(3) } } })).toBe(
      'its optimizer moments (m) are damaged',
    );
    const nan = new Map(good.weights);
    nan.set('output_head.bias', new Float32Array(16).fill(Number.NaN));
    expect(bad({ weights: nan })).toBe('weight output_head.bias holds a value that is not a finite number');
    const missing = new Map(good.weights);
    missing.delete('token_embed.weight');
    expect(bad({ weights: missing })).toBe('it has 42 weight arrays, expected 43');
    expect(bad({ losses: new Array(3).fill(1) })).toBe('its loss history is damaged');
    expect(bad({ losses: ['1'] })).toBe('its loss history is damaged');
    expect(bad({ checkups: [{ step: 1, t: [0.1], accuracy: [2], best: [1] }] })).toBe('a check-up has bad accuracies');
    expect(parseSavedRun('a string')).toEqual({ problem: 'it is not a saved run' });
  }, 60_000);

  it('explains and discards a damaged save instead of offering it', async () => {
    const h = harness();
    h.storage.stored = { ...(await realSave()), totalSteps: 1e9 };
    await h.live.checkSaved();
    expect(h.live.getSnapshot().interrupted).toBeNull();
    expect(h.live.getSnapshot().message).toBe(
      'A saved run was found but could not be resumed: its length is wrong: Steps must be a whole number from 1 to 6500. It was discarded.',
    );
    expect(h.storage.stored).toBeUndefined();
  }, 60_000);

  it('offers a good save after a reload and resumes it exactly where it stopped', async () => {
    const h = harness();
    const save = await realSave();
    h.storage.stored = save;
    await h.live.checkSaved();
    expect(h.live.getSnapshot().interrupted).toEqual({ recipe: 'learns', step: 2, totalSteps: 100 });
    await h.live.resumeSaved();
    const { spec, from } = h.clients[0].runs[0];
    expect(spec).toEqual({ recipe: 'learns', totalSteps: 100, seed: 3 });
    expect(from?.trainer).toEqual(save.trainer);
    expect(h.live.getSnapshot()).toMatchObject({ phase: 'running', step: 2, message: 'Resumed from the save at step 2.' });
    expect(h.live.getSnapshot().losses).toEqual([2.7, null]);
  }, 60_000);

  it('keeps a save the browser refused in memory, and resumes from it after a crash', async () => {
    const h = harness();
    h.storage.failSaves = true;
    await h.live.start('learns', 100, 3);
    const save = await realSave();
    const client = h.clients[0];
    client.emit({ type: 'saved', state: { trainer: save.trainer, weights: [...save.weights] } });
    await new Promise((r) => setTimeout(r, 0));
    expect(h.live.getSnapshot().notice).toMatch(/^This browser would not keep the save at step 2 /);
    client.emit({ type: 'failed', message: 'The training worker crashed: out of memory.' });
    expect(h.live.getSnapshot().interrupted).toEqual({ recipe: 'learns', step: 2, totalSteps: 100 });
    expect(h.live.getSnapshot().message).toBe('The training worker crashed: out of memory. The save at step 2 is kept: resume it below.');
    await h.live.resumeSaved();
    expect(h.clients[1].runs[0].from?.trainer.step).toBe(2);
  }, 60_000);

  it('hands a finished run over with a summary, and says why a run cannot start', async () => {
    const h = harness();
    await h.live.start('learns', 0, 1);
    expect(h.live.getSnapshot().message).toBe('Steps must be a whole number from 1 to 6500.');
    await h.live.start('learns', 4, 1);
    const c = h.clients[0];
    for (let s = 1; s <= 4; s++) c.emit({ type: 'progress', step: s, loss: 1, stepsPerSec: 5 });
    c.emit({ type: 'checkup', checkup: { step: 4, t: [0.1, 0.3, 0.5, 0.7, 0.9], accuracy: [1, 1, 1, 0.9, 0.6], best: [1, 1, 1, 0.96, 0.65] } });
    c.emit({ type: 'ended', reason: 'completed', step: 4, message: 'Completed 4 steps.', weights: [['w', new Float32Array(1)]] });
    await new Promise((r) => setTimeout(r, 0));
    expect(h.handed).toHaveLength(1);
    expect(h.handed[0].label).toBe('trained here: 4 steps of the learns recipe');
    expect(h.live.getSnapshot()).toMatchObject({ phase: 'done', message: 'Completed 4 steps.' });
    expect(h.live.getSnapshot().summary).toBe(
      'After 4 steps of the learns recipe, the model fills in 100% at t = 0.1 (best possible 100%), 100% at t = 0.5 (best possible 100%) and 60% at t = 0.9 (best possible 65%). It has learned the patterns: with a few tokens visible it fills in the rest.',
    );
  });
});
