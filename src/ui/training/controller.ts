/**
 * One training run at a time, driven through a TrainingClient (the training
 * worker, or the page where no worker starts), and everything that can go
 * wrong with it:
 *  - a GPU lost while running carries the run on from its last save on the
 *    next backend; one lost while paused waits for Resume and then does;
 *  - Stop after such a loss keeps the last save's weights;
 *  - a worker that crashes, or goes silent (the watchdog), offers its last save;
 *  - Pause or Stop pressed while the worker is still starting is passed on;
 *  - events from a client already dropped are ignored.
 *
 * It keeps the run's numbers as plain data (steps, losses, check-ups) and
 * publishes them at most once a frame. Everything it reaches outside itself
 * (connect, the frame clock, timers, the backends to try, where saves go) is
 * injected, so each of those recovery paths has a unit test.
 */
import type { Checkup, RunSpec, RunState, SessionEvent } from '../../worker/protocol.ts';
import { errorMessage } from '../../core/error-message.ts';
import { RateMeter } from './rate-meter.ts';
import type { ConnectFn, TrainingClient } from './training-client.ts';

export type RunPhase = 'idle' | 'starting' | 'running' | 'paused' | 'measuring';

/** Everything needed to carry a run on exactly, plus what the charts had drawn by then. */
export interface SavePoint {
  readonly spec: RunSpec;
  readonly state: RunState;
  /** Loss per step so far; null for a skipped step (nothing masked). */
  readonly losses: readonly (number | null)[];
  readonly checkups: readonly Checkup[];
}

export interface RunSnapshot {
  readonly phase: RunPhase;
  readonly spec: RunSpec | null;
  readonly step: number;
  /** Loss per step; null for a skipped step (a batch with nothing masked). */
  readonly losses: readonly (number | null)[];
  readonly checkups: readonly Checkup[];
  /** Steps a second over the last few seconds: steady enough for an ETA. */
  readonly stepsPerSec: number;
  /** Where training runs, once a client is up. */
  readonly backend: { readonly name: string; readonly where: 'worker' | 'page' } | null;
  /** What went wrong on the way and how the run recovered. */
  readonly notice: string | null;
  /** The latest word on the run (started, paused, why it could not start). */
  readonly message: string | null;
}

/** How a run ended, with the weights it leaves (null when it never trained). */
export interface RunEnd {
  readonly spec: RunSpec;
  readonly reason: 'completed' | 'stopped' | 'non-finite';
  readonly step: number;
  readonly message: string;
  readonly weights: [string, Float32Array][] | null;
  readonly losses: readonly (number | null)[];
  readonly checkups: readonly Checkup[];
}

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

export interface ControllerOptions {
  readonly connect: ConnectFn;
  /** The backends to try, fastest first; asked once, when the first client starts. */
  readonly backends: () => readonly string[] | Promise<readonly string[]>;
  readonly nextFrame?: (fn: () => void) => void;
  readonly timers?: Timers;
  /** Keep a save point somewhere (IndexedDB); a rejection becomes a notice and the run goes on. */
  readonly onSave?: (save: SavePoint) => Promise<void>;
  /** The run is over; it may still hand its weights on. */
  readonly onEnd?: (end: RunEnd) => void;
  /** The run can go no further here (a crash, silence, no backend left): `save`, if any, can be resumed later. */
  readonly onInterrupted?: (save: SavePoint | null, why: string) => void;
}

/**
 * The watchdog: a worker that stops talking without an error (it closed
 * itself, or hangs) is given up on after this long without a word, or after
 * SILENT_STEPS of its own slowest steps if those are longer: a software GPU's
 * step can take tens of seconds, and that is not silence.
 */
export const SILENCE_MS = 30_000;
const SILENT_STEPS = 10;
/** Before the first step the backend may still be compiling its shaders. */
const FIRST_STEP_SILENCE_MS = 180_000;

const IDLE: RunSnapshot = {
  phase: 'idle',
  spec: null,
  step: 0,
  losses: [],
  checkups: [],
  stepsPerSec: 0,
  backend: null,
  notice: null,
  message: null,
};

const browserTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => performance.now(),
};

export class TrainingController {
  private snapshot: RunSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private framePending = false;

  private client: TrainingClient | null = null;
  private connecting: Promise<TrainingClient> | null = null;
  /** Bumped whenever a client is dropped: its late events are ignored. */
  private generation = 0;
  /** Backends still allowed, fastest first; a lost GPU removes itself and those before it. */
  private backends: string[] | null = null;

  private losses: (number | null)[] = [];
  private checkups: Checkup[] = [];
  private lastSave: SavePoint | null = null;
  /** Pause or Stop pressed before the client was ready. */
  private asked: 'pause' | 'stop' | null = null;
  /** Set when a paused run lost its GPU: Resume starts again from this save (or the start). */
  private resumeFrom: SavePoint | 'start' | null = null;
  private measuring: { reject: (e: Error) => void } | null = null;

  private readonly rate = new RateMeter();
  private watchdog: unknown = null;
  /** When the last step was reported, and the longest gap between two: the watchdog's sense of pace. */
  private lastStepAt = 0;
  private slowestGap = 0;

  private readonly nextFrame: (fn: () => void) => void;
  private readonly timers: Timers;

  constructor(private readonly options: ControllerOptions) {
    this.nextFrame = options.nextFrame ?? ((fn) => requestAnimationFrame(() => fn()));
    this.timers = options.timers ?? browserTimers;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): RunSnapshot => this.snapshot;

  busy(): boolean {
    return this.snapshot.phase !== 'idle';
  }

  /** Time a few steps of `recipe` on the client's backend: seconds a step. */
  async measure(recipe: string): Promise<number> {
    if (this.busy()) throw new Error('a run is going; time it once it ends');
    this.publish({ phase: 'measuring', message: 'Timing a few steps on this device…' });
    try {
      const client = await this.ensureClient();
      let timer: unknown = null;
      try {
        return await new Promise<number>((resolve, reject) => {
          this.measuring = { reject };
          // A worker that goes silent while timing must not leave "Timing…" up forever.
          timer = this.timers.set(() => reject(new Error('the training worker stopped answering')), FIRST_STEP_SILENCE_MS);
          client.measure(recipe).then(resolve, reject);
        });
      } finally {
        this.timers.clear(timer);
      }
    } finally {
      this.measuring = null;
      if (this.snapshot.phase === 'measuring') this.publish({ phase: 'idle', message: null });
    }
  }

  /**
   * Start a run, fresh or from a save point. Resolves to true once it is
   * handed to the client, false if it could not start (the snapshot's
   * message says why) or was stopped before its first step.
   */
  async start(spec: RunSpec, from: SavePoint | null = null, message: string | null = 'Starting…'): Promise<boolean> {
    if (this.busy()) return false;
    this.losses = [...(from?.losses ?? [])];
    this.checkups = [...(from?.checkups ?? [])];
    this.lastSave = from;
    this.resumeFrom = null;
    this.asked = null;
    this.rate.reset();
    this.publish({
      ...IDLE,
      backend: this.snapshot.backend,
      phase: 'starting',
      spec,
      step: from?.state.trainer.step ?? 0,
      losses: this.losses,
      checkups: this.checkups,
      message,
    });
    let client: TrainingClient;
    try {
      client = await this.ensureClient();
    } catch (e) {
      this.publish({ phase: 'idle', message: `Training could not start: ${errorMessage(e)}` });
      return false;
    }
    if (this.snapshot.phase !== 'starting') return false; // stopped meanwhile
    if (this.asked === 'stop') {
      this.asked = null;
      this.publish({ phase: 'idle', message: 'Stopped before the first step.' });
      return false;
    }
    this.publish({ phase: 'running' });
    this.send(client, spec, from && copyState(from.state));
    return true;
  }

  pause(): void {
    if (this.snapshot.phase === 'starting') this.asked = 'pause';
    else if (this.snapshot.phase === 'running') this.client?.pause();
  }

  async resume(): Promise<void> {
    if (this.snapshot.phase !== 'paused' || !this.snapshot.spec) return;
    const spec = this.snapshot.spec;
    // After a lost GPU the paused run lives only in its last save, and the client is new.
    const from = this.resumeFrom;
    this.resumeFrom = null;
    let client: TrainingClient;
    try {
      client = await this.ensureClient();
    } catch (e) {
      this.interrupt(`Training could not carry on: ${errorMessage(e)}`);
      return;
    }
    this.rate.reset();
    this.publish({ phase: 'running', message: null });
    if (from) this.send(client, spec, from === 'start' ? null : copyState(from.state));
    else this.send(client, null, null);
  }

  /** Stop for good: the weights so far are handed on through onEnd. */
  stop(): void {
    const { phase, spec } = this.snapshot;
    if (phase === 'starting') {
      this.asked = 'stop';
      return;
    }
    if ((phase !== 'running' && phase !== 'paused') || !spec) return;
    const from = this.resumeFrom;
    if (from) {
      // The paused run's GPU is gone: what it had is its last save, so that is what Stop keeps.
      this.resumeFrom = null;
      if (from === 'start') {
        this.publish({ phase: 'idle', message: 'Stopped before the first save, so there are no weights to keep.' });
        return;
      }
      const step = from.state.trainer.step;
      this.end({ reason: 'stopped', step, message: `Stopped after step ${step}.`, weights: copyState(from.state).weights });
      return;
    }
    this.client?.stop();
  }

  /** Drop the client (the page is going away, or the owner starts over). */
  dispose(): void {
    this.dropClient();
    this.listeners.clear();
  }

  /** The client on the first backend that starts; one connection at a time. */
  private ensureClient(): Promise<TrainingClient> {
    if (this.client) return Promise.resolve(this.client);
    this.connecting ??= this.connectNow().finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async connectNow(): Promise<TrainingClient> {
    this.backends ??= [...(await this.options.backends())];
    const generation = ++this.generation;
    const { client, note } = await this.options.connect(this.backends, (e) => {
      if (generation === this.generation) this.onEvent(e);
    });
    this.client = client;
    const skipped = client.backend.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
    const fellBack = skipped.length > 0 ? `Training uses ${client.backend.name} (passed over ${skipped.join('; ')}).` : null;
    const notice = [note, fellBack].filter(Boolean).join(' ') || this.snapshot.notice;
    this.publish({ backend: { name: client.backend.name, where: client.where }, notice });
    return client;
  }

  private send(client: TrainingClient, spec: RunSpec | null, from: RunState | null): void {
    client.run(spec, from);
    this.heard(false);
    const asked = this.asked;
    this.asked = null;
    if (asked === 'pause') client.pause();
    if (asked === 'stop') client.stop();
  }

  private onEvent(e: SessionEvent): void {
    if (this.snapshot.phase === 'running') this.heard(e.type === 'progress');
    switch (e.type) {
      case 'progress': {
        if (this.snapshot.phase !== 'running') return;
        this.losses.push(e.loss);
        const stepsPerSec = this.rate.record(e.step, this.timers.now());
        return this.publish({ step: e.step, losses: this.losses, stepsPerSec, message: null }, false);
      }
      case 'checkup':
        this.checkups.push(e.checkup);
        return this.publish({ checkups: [...this.checkups] });
      case 'saved':
        return this.save(e.state);
      case 'ended':
        if (e.reason === 'paused') {
          this.stopWatchdog();
          return this.publish({ phase: 'paused', step: e.step, losses: [...this.losses], message: e.message });
        }
        return this.end({ reason: e.reason, step: e.step, message: e.message, weights: e.weights });
      case 'lost':
        return void this.recover(e.step, e.message);
      case 'failed':
        this.dropClient();
        return this.interrupt(e.message);
    }
  }

  private save(state: RunState): void {
    const spec = this.snapshot.spec;
    if (!spec) return;
    const save: SavePoint = { spec, state, losses: [...this.losses], checkups: [...this.checkups] };
    this.lastSave = save;
    this.options.onSave?.(save).catch((e: unknown) => {
      // The run goes on: only a reload would lose what the save was for. Say so once.
      const notice = `This browser would not keep the save at step ${state.trainer.step} (${errorMessage(e)}): training goes on, but a reload now would lose the run.`;
      if (this.snapshot.notice !== notice) this.publish({ notice });
    });
  }

  /**
   * The GPU went away. A running run carries on from its last save on the next
   * backend; a paused one will, when resumed; otherwise only the next backend
   * is remembered. Either way the learner is told what happened.
   */
  private async recover(step: number, why: string): Promise<void> {
    const lost = this.client?.backend.name ?? 'unknown';
    this.dropClient();
    const order = this.backends ?? [];
    this.backends = order.slice(order.indexOf(lost) + 1);
    const { phase, spec } = this.snapshot;
    if (!spec || (phase !== 'running' && phase !== 'paused')) {
      this.measuring?.reject(new Error(`the ${lost} backend stopped working: ${why}`));
      const next = this.backends.length > 0 ? ` Training will use ${this.backends[0]} from now on.` : '';
      this.publish({ notice: `The ${lost} backend stopped working: ${why}.${next}` });
      return;
    }
    const save = this.lastSave;
    const savedAt = save?.state.trainer.step ?? 0;
    const what = `${step === 0 ? 'During the first step' : `At step ${step}`}, ${why}.`;
    if (this.backends.length === 0) {
      this.interrupt(`${what} No other backend is allowed here, so training stopped.`);
      return;
    }
    let client: TrainingClient;
    try {
      client = await this.ensureClient();
    } catch (e) {
      this.interrupt(`${what} Training could not carry on elsewhere: ${errorMessage(e)}`);
      return;
    }
    this.losses = [...(save?.losses ?? [])];
    this.checkups = [...(save?.checkups ?? [])];
    const from = `${save ? `the save at step ${savedAt}` : 'the start'} on ${client.backend.name}`;
    const rewind = { step: savedAt, losses: this.losses, checkups: [...this.checkups] };
    if (this.snapshot.phase === 'paused') {
      this.resumeFrom = save ?? 'start';
      this.publish({ ...rewind, notice: `While paused, ${why}. Resume carries on from ${from}.` });
      return;
    }
    const redone = step > savedAt ? `, so ${step - savedAt} steps are done again` : '';
    this.rate.reset();
    this.publish({ ...rewind, notice: `${what} Training carried on from ${from}${redone}.` });
    this.send(client, spec, save && copyState(save.state));
  }

  /** The run is over: publish it, then hand it on. */
  private end(result: Omit<RunEnd, 'spec' | 'losses' | 'checkups'>): void {
    const spec = this.snapshot.spec;
    this.stopWatchdog();
    // Over now, before anything else runs: a GPU lost meanwhile must not start it again.
    this.lastSave = null;
    this.resumeFrom = null;
    this.publish({ phase: 'idle', step: result.step, losses: [...this.losses], message: result.message });
    if (spec) this.options.onEnd?.({ ...result, spec, losses: [...this.losses], checkups: [...this.checkups] });
  }

  /** The run cannot go on here: say why, and offer its last save. */
  private interrupt(why: string): void {
    const save = this.lastSave;
    this.stopWatchdog();
    this.lastSave = null;
    this.resumeFrom = null;
    this.publish({ phase: 'idle', message: why });
    this.options.onInterrupted?.(save, why);
  }

  /** A word from the client: the watchdog starts over, allowing for how slow this backend's steps are. */
  private heard(stepped: boolean): void {
    const now = this.timers.now();
    if (stepped && this.lastStepAt > 0) this.slowestGap = Math.max(this.slowestGap, now - this.lastStepAt);
    if (stepped || this.lastStepAt === 0) this.lastStepAt = now;
    this.clearWatchdog();
    const limit = this.slowestGap === 0 ? FIRST_STEP_SILENCE_MS : Math.max(SILENCE_MS, SILENT_STEPS * this.slowestGap);
    this.watchdog = this.timers.set(() => this.silent(limit), limit);
  }

  private silent(limit: number): void {
    this.watchdog = null;
    if (this.snapshot.phase !== 'running') return;
    const step = this.snapshot.step;
    this.dropClient();
    this.interrupt(`The training worker stopped answering: nothing for ${Math.round(limit / 1000)} s after step ${step}, so it was stopped.`);
  }

  private clearWatchdog(): void {
    if (this.watchdog !== null) this.timers.clear(this.watchdog);
    this.watchdog = null;
  }

  /** Not running any more (paused, ended, dropped): no watchdog, and the next run measures its own pace. */
  private stopWatchdog(): void {
    this.clearWatchdog();
    this.lastStepAt = 0;
    this.slowestGap = 0;
  }

  private dropClient(): void {
    this.generation++;
    this.stopWatchdog();
    this.measuring?.reject(new Error('the training worker was stopped'));
    this.measuring = null;
    this.client?.dispose();
    this.client = null;
  }

  private publish(patch: Partial<RunSnapshot>, now = true): void {
    this.snapshot = { ...this.snapshot, ...patch };
    if (now) return this.notify();
    if (this.framePending) return; // per-step updates: at most one render a frame
    this.framePending = true;
    this.nextFrame(() => {
      this.framePending = false;
      this.notify();
    });
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}

/** A copy to send: the weights' buffers are transferred, and the save point must outlive the send. */
export function copyState(state: RunState): RunState {
  return { trainer: state.trainer, weights: state.weights.map(([name, w]) => [name, w.slice()]) };
}
