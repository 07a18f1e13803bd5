/**
 * The training controller's recovery paths, driven by scripted clients: a GPU
 * lost while running and while paused, Stop after a loss, a crashed worker
 * offering its last save, a worker that goes silent (the watchdog), Pause and
 * Stop pressed while the worker starts, a save the browser refuses, and late
 * events from a client already dropped.
 */
import { describe, expect, it } from 'vitest';
import { TrainingController, SILENCE_MS, type RunEnd, type SavePoint, type Timers } from '../../src/ui/training/controller.ts';
import type { ConnectFn, TrainingClient } from '../../src/ui/training/training-client.ts';
import type { RunSpec, RunState, SessionEvent } from '../../src/worker/protocol.ts';

/** A client that records what it is told; the test speaks for its worker through `emit`. */
class ScriptedClient implements TrainingClient {
  readonly calls: string[] = [];
  readonly runs: { spec: RunSpec | null; from: RunState | null }[] = [];
  disposed = false;
  constructor(
    readonly backend: TrainingClient['backend'],
    readonly emit: (e: SessionEvent) => void,
  ) {}
  readonly where = 'worker' as const;
  measure = async () => 0.1;
  run(spec: RunSpec | null, from: RunState | null): void {
    this.calls.push(spec ? `run ${spec.recipe}${from ? ` from ${from.trainer.step}` : ''}` : 'continue');
    this.runs.push({ spec, from });
  }
  pause(): void {
    this.calls.push('pause');
  }
  stop(): void {
    this.calls.push('stop');
  }
  dispose(): void {
    this.disposed = true;
  }
}

/** Timers the test advances by hand: no wall clock anywhere. */
class ManualTimers implements Timers {
  private t = 0;
  private next = 1;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  now = () => this.t;
  set = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.due.set(id, { at: this.t + ms, fn });
    return id;
  };
  clear = (handle: unknown) => void this.due.delete(handle as number);
  advance(ms: number): void {
    this.t += ms;
    for (const [id, d] of [...this.due].sort((a, b) => a[1].at - b[1].at)) {
      if (d.at <= this.t && this.due.delete(id)) d.fn();
    }
  }
}

const spec: RunSpec = { recipe: 'learns', totalSteps: 200, seed: 7 };
const weights = (v: number): [string, Float32Array][] => [['w', new Float32Array([v, v])]];
const state = (step: number): RunState => ({
  trainer: { step, rng: [1, 2, 3, 4], optimizer: { step, m: new Float32Array(2), v: new Float32Array(2) } },
  weights: weights(step),
});

function setup(order = ['webgl', 'wasm'], options: { startGate?: Promise<void>; onSave?: (s: SavePoint) => Promise<void> } = {}) {
  const clients: ScriptedClient[] = [];
  const ends: RunEnd[] = [];
  const interrupted: { save: SavePoint | null; why: string }[] = [];
  const timers = new ManualTimers();
  const connect: ConnectFn = async (backends, onEvent) => {
    await options.startGate;
    const client = new ScriptedClient({ name: backends[0], attempts: [{ name: backends[0], ok: true }] }, onEvent);
    clients.push(client);
    return { client, note: null };
  };
  const controller = new TrainingController({
    connect,
    backends: () => order,
    nextFrame: (fn) => fn(),
    timers,
    onSave: options.onSave ?? (async () => undefined),
    onEnd: (e) => ends.push(e),
    onInterrupted: (save, why) => interrupted.push({ save, why }),
  });
  const last = () => clients.at(-1)!;
  /** The current client's worker reports `n` steps from `from`, one loss each. */
  const steps = (from: number, n: number) => {
    for (let s = from + 1; s <= from + n; s++) {
      timers.advance(100);
      last().emit({ type: 'progress', step: s, loss: 2 - s / 1000, stepsPerSec: 10 });
    }
  };
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return { controller, clients, ends, interrupted, timers, last, steps, flush };
}

describe('training controller', () => {
  it('carries a running run on from its last save on the next backend when the GPU is lost', async () => {
    const t = setup();
    await t.controller.start(spec);
    expect(t.last().calls).toEqual(['run learns']);
    t.steps(0, 50);
    t.last().emit({ type: 'saved', state: state(50) });
    t.steps(50, 7);
    const webgl = t.last();
    webgl.emit({ type: 'lost', step: 57, message: 'the WebGL context was lost' });
    await t.flush();
    expect(webgl.disposed).toBe(true);
    expect(t.clients).toHaveLength(2);
    expect(t.last().backend.name).toBe('wasm');
    expect(t.last().calls).toEqual(['run learns from 50']);
    const s = t.controller.getSnapshot();
    expect(s.phase).toBe('running');
    expect(s.step).toBe(50);
    expect(s.losses).toHaveLength(50); // the steps after the save are done again
    expect(s.notice).toBe('At step 57, the WebGL context was lost. Training carried on from the save at step 50 on wasm, so 7 steps are done again.');
    // The lost client's late words change nothing.
    webgl.emit({ type: 'progress', step: 58, loss: 1, stepsPerSec: 1 });
    expect(t.controller.getSnapshot().step).toBe(50);
  });

  it('waits for Resume when the GPU is lost while paused, then carries on from the pause', async () => {
    const t = setup();
    await t.controller.start(spec);
    t.steps(0, 12);
    t.controller.pause();
    expect(t.last().calls.at(-1)).toBe('pause');
    t.last().emit({ type: 'saved', state: state(12) });
    t.last().emit({ type: 'ended', reason: 'paused', step: 12, message: 'Paused after step 12 of 200.', weights: null });
    t.last().emit({ type: 'lost', step: 12, message: 'the WebGL context was lost' });
    await t.flush();
    expect(t.controller.getSnapshot()).toMatchObject({
      phase: 'paused',
      step: 12,
      notice: 'While paused, the WebGL context was lost. Resume carries on from the save at step 12 on wasm.',
    });
    expect(t.last().calls).toEqual([]); // nothing runs until Resume
    await t.controller.resume();
    expect(t.last().calls).toEqual(['run learns from 12']);
    expect(t.controller.getSnapshot().phase).toBe('running');
  });

  it('keeps the last save when Stop comes after a loss while paused', async () => {
    const t = setup();
    await t.controller.start(spec);
    t.steps(0, 60);
    t.last().emit({ type: 'saved', state: state(50) });
    t.last().emit({ type: 'ended', reason: 'paused', step: 60, message: 'Paused.', weights: null });
    t.last().emit({ type: 'lost', step: 60, message: 'the WebGPU device was lost (destroyed)' });
    await t.flush();
    t.controller.stop();
    expect(t.ends).toHaveLength(1);
    expect(t.ends[0]).toMatchObject({ reason: 'stopped', step: 50, message: 'Stopped after step 50.' });
    expect(t.ends[0].weights).toEqual(weights(50));
    expect(t.controller.getSnapshot().phase).toBe('idle');
  });

  it('offers the last save when the worker crashes', async () => {
    const t = setup();
    await t.controller.start(spec);
    t.steps(0, 30);
    t.last().emit({ type: 'saved', state: state(30) });
    t.last().emit({ type: 'failed', message: 'The training worker crashed: out of memory' });
    expect(t.last().disposed).toBe(true);
    expect(t.interrupted).toHaveLength(1);
    expect(t.interrupted[0].why).toBe('The training worker crashed: out of memory');
    expect(t.interrupted[0].save?.state.trainer.step).toBe(30);
    expect(t.interrupted[0].save?.losses).toHaveLength(30);
    expect(t.controller.getSnapshot()).toMatchObject({ phase: 'idle', message: 'The training worker crashed: out of memory' });
  });

  it('gives up on a worker that goes silent, allowing for slow steps, and offers its last save', async () => {
    const t = setup();
    await t.controller.start(spec);
    t.steps(0, 6);
    t.last().emit({ type: 'saved', state: state(5) });
    // Quiet for a while, but not for long enough: nothing happens.
    t.timers.advance(SILENCE_MS - 1);
    expect(t.controller.getSnapshot().phase).toBe('running');
    t.timers.advance(1);
    expect(t.controller.getSnapshot().phase).toBe('idle');
    expect(t.last().disposed).toBe(true);
    expect(t.interrupted[0].why).toBe('The training worker stopped answering: nothing for 30 s after step 6, so it was stopped.');
    expect(t.interrupted[0].save?.state.trainer.step).toBe(5);

    // A backend whose steps take 20 s is slow, not silent.
    const slow = setup();
    await slow.controller.start(spec);
    for (let s = 1; s <= 3; s++) {
      slow.timers.advance(20_000);
      slow.last().emit({ type: 'progress', step: s, loss: 2, stepsPerSec: 0.05 });
    }
    slow.timers.advance(10 * 20_000 - 1);
    expect(slow.controller.getSnapshot().phase).toBe('running');
    slow.timers.advance(1);
    expect(slow.controller.getSnapshot().phase).toBe('idle');
  });

  it('passes on Pause and Stop pressed while the worker starts', async () => {
    let open: () => void = () => undefined;
    const t = setup(['wasm'], { startGate: new Promise<void>((r) => (open = r)) });
    const started = t.controller.start(spec);
    expect(t.controller.getSnapshot().phase).toBe('starting');
    t.controller.pause();
    open();
    expect(await started).toBe(true);
    expect(t.last().calls).toEqual(['run learns', 'pause']);

    let open2: () => void = () => undefined;
    const u = setup(['wasm'], { startGate: new Promise<void>((r) => (open2 = r)) });
    const started2 = u.controller.start(spec);
    u.controller.stop();
    open2();
    expect(await started2).toBe(false);
    expect(u.last().calls).toEqual([]);
    expect(u.controller.getSnapshot()).toMatchObject({ phase: 'idle', message: 'Stopped before the first step.' });
  });

  it('hands the weights on when the run ends, and publishes a steady rate', async () => {
    const t = setup(['wasm']);
    await t.controller.start(spec);
    t.steps(0, 40);
    // One slow step (a check-up) barely moves a rate taken over the last seconds.
    t.timers.advance(900);
    t.last().emit({ type: 'progress', step: 41, loss: 1.9, stepsPerSec: 1 });
    expect(t.controller.getSnapshot().stepsPerSec).toBeGreaterThan(7);
    t.last().emit({ type: 'checkup', checkup: { step: 41, t: [0.1], accuracy: [0.5], best: [1] } });
    t.last().emit({ type: 'ended', reason: 'completed', step: 41, message: 'Completed 41 steps.', weights: weights(41) });
    expect(t.ends).toHaveLength(1);
    expect(t.ends[0]).toMatchObject({ reason: 'completed', step: 41, spec });
    expect(t.ends[0].losses).toHaveLength(41);
    expect(t.ends[0].checkups).toHaveLength(1);
    expect(t.controller.getSnapshot()).toMatchObject({ phase: 'idle', message: 'Completed 41 steps.' });
  });

  it('says so once when the browser will not keep a save, and trains on', async () => {
    const t = setup(['wasm'], { onSave: () => Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError')) });
    await t.controller.start(spec);
    t.steps(0, 50);
    t.last().emit({ type: 'saved', state: state(50) });
    await t.flush();
    expect(t.controller.getSnapshot().notice).toBe(
      'This browser would not keep the save at step 50 (The quota has been exceeded.): training goes on, but a reload now would lose the run.',
    );
    expect(t.controller.getSnapshot().phase).toBe('running');
    // The save still counts for recovery: a crash offers it.
    t.last().emit({ type: 'failed', message: 'boom' });
    expect(t.interrupted[0].save?.state.trainer.step).toBe(50);
  });

  it('stops with a clear word when no backend is left after a loss', async () => {
    const t = setup(['webgl']);
    await t.controller.start(spec);
    t.steps(0, 3);
    t.last().emit({ type: 'lost', step: 3, message: 'the WebGL context was lost' });
    await t.flush();
    expect(t.clients).toHaveLength(1);
    expect(t.interrupted[0].why).toBe('At step 3, the WebGL context was lost. No other backend is allowed here, so training stopped.');
    expect(t.controller.getSnapshot().phase).toBe('idle');
  });
});
