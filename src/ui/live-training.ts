/**
 * The page's side of live training. The run itself happens in a worker (see
 * training-client.ts); this store turns its events into a snapshot of plain
 * numbers for the Training section, at most one update a frame. It saves the
 * run to IndexedDB at each save point, carries it on from there after a
 * reload or a lost GPU (on the next backend), and when the run ends hands the
 * trained weights to the model store, so every later figure uses them.
 */
import { BACKEND_PREFERENCE, requestedBackends } from '../core/backend.ts';
import { learningRates } from '../core/optim.ts';
import { getRecipe, initOptions, RECIPES, withOverrides } from '../core/recipes.ts';
import type { Checkup, RunSpec, RunState, SessionEvent } from '../worker/protocol.ts';
import { models, startEngine } from './engine.ts';
import { clearRun, loadRun, saveRun } from './saved-run.ts';
import { connect, type TrainingClient } from './training-client.ts';

export type Phase = 'idle' | 'measuring' | 'running' | 'paused' | 'done';

export type { Checkup };

export interface TrainingSnapshot {
  readonly phase: Phase;
  readonly recipe: string | null;
  readonly step: number;
  readonly totalSteps: number;
  readonly losses: readonly number[];
  readonly lrs: readonly number[];
  readonly stepsPerSec: number;
  readonly checkups: readonly Checkup[];
  /** Seconds a step, measured on this device before a run; null until measured. */
  readonly secPerStep: number | null;
  readonly message: string | null;
  /** Plain words on what the model learned, once the run ends. */
  readonly summary: string | null;
  /** A run saved before the page was closed or reloaded, ready to resume. */
  readonly interrupted: { readonly recipe: string; readonly step: number; readonly totalSteps: number } | null;
  /** Where training runs: the backend and whether in a worker or on the page; null until it starts. */
  readonly backend: { readonly name: string; readonly where: 'worker' | 'page' } | null;
  /** What went wrong on the way and how the run recovered (a lost GPU, a worker that would not start). */
  readonly notice: string | null;
  /** The run the controls describe: the charts draw its frame before it starts, so starting redraws nothing. */
  readonly plan: { readonly recipe: string; readonly totalSteps: number };
}

const IDLE: TrainingSnapshot = {
  phase: 'idle', recipe: null, step: 0, totalSteps: 0, losses: [], lrs: [], stepsPerSec: 0, checkups: [], secPerStep: null, message: null, summary: null, interrupted: null,
  backend: null, notice: null, plan: { recipe: 'learns', totalSteps: RECIPES.learns.steps },
};

/** Most steps one live run may take: 6500 is the curriculum recipe's full length. */
export const MAX_LIVE_STEPS = 6500;

/** What a finished model learned, in words a learner can take in at a glance. */
export function summarize(c: Checkup | undefined, recipe: string): string {
  if (!c) return 'The run was too short for an accuracy check-up.';
  const at = (t: number) => {
    const i = c.t.indexOf(t);
    return `${Math.round(100 * c.accuracy[i])}% at t = ${t} (best possible ${Math.round(100 * c.best[i])}%)`;
  };
  const spread = Math.max(...c.accuracy) - Math.min(...c.accuracy);
  const low = c.accuracy[0];
  const verdict =
    low > 0.9
      ? 'It has learned the patterns: with a few tokens visible it fills in the rest.'
      : Math.max(...c.accuracy) < 0.3
        ? 'It is still early: that is not far above guessing one of 15 tokens (about 7%). Keep training, or load a checkpoint to skip ahead.'
        : spread < 0.1
          ? "Its accuracy is flat across ratios: it has learned which tokens occur in a sequence, but not where they go. That is the notebook recipe's plateau (section 10 explains it)."
          : 'It is part of the way there: accuracy at low t is still well short of the best possible. More steps would help.';
  return `After ${c.step} steps of the ${recipe} recipe, the model fills in ${at(0.1)}, ${at(0.5)} and ${at(0.9)}. ${verdict}`;
}

/** The last save point, kept in memory as well as in IndexedDB, to recover from a lost GPU. */
interface SavePoint {
  readonly state: RunState;
  readonly losses: number[];
  readonly checkups: Checkup[];
}

class LiveTraining {
  private snapshot = IDLE;
  private checkedSaved = false;
  private readonly listeners = new Set<() => void>();
  private pending = false;

  private client: TrainingClient | null = null;
  /** Backends the client may use, fastest first; a lost GPU moves on to the next. */
  private backends: string[] = [];
  private spec: RunSpec | null = null;
  private losses: number[] = [];
  private checkups: Checkup[] = [];
  private lastSave: SavePoint | null = null;
  /** Pause or Stop pressed before the worker was ready. */
  private asked: 'pause' | 'stop' | null = null;
  /** Set when a paused run lost its GPU: Resume starts it again from this save, or from the start. */
  private resumeFrom: SavePoint | 'start' | null = null;
  private generation = 0;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TrainingSnapshot => this.snapshot;

  /** The controls now describe this run (not started yet). */
  planRun(recipe: string, totalSteps: number): void {
    const { plan } = this.snapshot;
    if (plan.recipe !== recipe || plan.totalSteps !== totalSteps) this.publish({ plan: { recipe, totalSteps } });
  }

  private publish(patch: Partial<TrainingSnapshot>, now = true): void {
    this.snapshot = { ...this.snapshot, ...patch };
    if (now) return this.notify();
    if (this.pending) return; // per-step updates: at most one render a frame
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.notify();
    });
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  private busy(): boolean {
    return this.snapshot.phase === 'running' || this.snapshot.phase === 'measuring';
  }

  /** The worker (or page) that trains, started on first use. */
  private async ensureClient(): Promise<TrainingClient> {
    if (this.client) return this.client;
    if (this.backends.length === 0) this.backends = requestedBackends(location.search);
    // Events from a client already dropped (a lost GPU's worker, say) are ignored.
    const generation = ++this.generation;
    const { client, note } = await connect(this.backends, (e) => generation === this.generation && this.onEvent(e));
    this.client = client;
    const skipped = client.backend.attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.reason}`);
    const fellBack = skipped.length > 0 ? `Training uses ${client.backend.name} (passed over ${skipped.join('; ')}).` : null;
    this.publish({ backend: { name: client.backend.name, where: client.where }, notice: [note, fellBack].filter(Boolean).join(' ') || this.snapshot.notice });
    return client;
  }

  private validSteps(steps: number): boolean {
    if (Number.isInteger(steps) && steps >= 1 && steps <= MAX_LIVE_STEPS) return true;
    this.publish({ message: `Steps must be a whole number from 1 to ${MAX_LIVE_STEPS}.` });
    return false;
  }

  /** Time a few steps on this device, so the learner knows what a run will cost before starting it. */
  async measure(recipeName: string): Promise<void> {
    if (this.busy()) return;
    const before = this.snapshot.phase;
    this.publish({ phase: 'measuring', message: 'Timing a few steps on this device…' });
    try {
      const secPerStep = await (await this.ensureClient()).measure(recipeName);
      this.publish({ phase: before, secPerStep, message: null });
    } catch (e) {
      this.publish({ phase: before, message: `Could not time a step: ${errorText(e)}` });
    }
  }

  async start(recipe: string, steps: number, seed: number): Promise<void> {
    if (this.busy() || !this.validSteps(steps)) return;
    void clearRun().catch(() => undefined);
    await this.begin({ recipe, totalSteps: steps, seed }, null, { ...IDLE, plan: this.snapshot.plan, secPerStep: this.snapshot.secPerStep, message: 'Starting…' });
  }

  /** Look once for a run saved before a reload, and offer it. */
  async checkSaved(): Promise<void> {
    if (this.checkedSaved || this.snapshot.phase !== 'idle') return;
    this.checkedSaved = true;
    const run = await loadRun().catch(() => null);
    if (run) this.publish({ interrupted: { recipe: run.recipe, step: run.trainer.step, totalSteps: run.totalSteps } });
  }

  discardSaved(): void {
    void clearRun().catch(() => undefined);
    this.publish({ interrupted: null, message: null });
  }

  /** Carry on a saved run exactly where its last save left it. */
  async resumeSaved(): Promise<void> {
    if (this.busy()) return;
    const run = await loadRun().catch(() => null);
    if (!run) {
      void clearRun().catch(() => undefined);
      this.publish({ interrupted: null, message: 'Could not resume the saved run: it is gone or unreadable.' });
      return;
    }
    const save: SavePoint = { state: { trainer: run.trainer, weights: [...run.weights] }, losses: run.losses, checkups: run.checkups };
    await this.begin({ recipe: run.recipe, totalSteps: run.totalSteps, seed: run.seed }, save, {
      ...IDLE, plan: this.snapshot.plan, secPerStep: this.snapshot.secPerStep, message: `Resumed from the save at step ${run.trainer.step}.`,
    });
  }

  /** Start a run on the client, fresh or from a save point. */
  private async begin(spec: RunSpec, from: SavePoint | null, base: TrainingSnapshot): Promise<void> {
    this.spec = spec;
    this.lastSave = from;
    this.resumeFrom = null;
    this.asked = null;
    this.losses = [...(from?.losses ?? [])];
    this.checkups = [...(from?.checkups ?? [])];
    let lrs: number[];
    try {
      const { schedule } = getRecipe(spec.recipe);
      lrs = learningRates(schedule, spec.totalSteps);
    } catch (e) {
      this.publish({ message: `Training could not start: ${errorText(e)}` });
      return;
    }
    this.publish({
      ...base, backend: this.snapshot.backend, notice: null, phase: 'running', recipe: spec.recipe, totalSteps: spec.totalSteps,
      step: from?.state.trainer.step ?? 0, losses: this.losses, checkups: this.checkups, lrs,
    });
    try {
      const client = await this.ensureClient();
      client.run(spec, from && copyState(from.state));
      this.applyAsked(client);
    } catch (e) {
      this.publish({ phase: 'idle', message: `Training could not start: ${errorText(e)}` });
    }
  }

  /** Pause or Stop pressed while the worker was still starting: pass it on now that it runs. */
  private applyAsked(client: TrainingClient): void {
    const asked = this.asked;
    this.asked = null;
    if (asked === 'pause') client.pause();
    if (asked === 'stop') client.stop();
  }

  pause(): void {
    if (this.snapshot.phase !== 'running') return;
    if (this.client) this.client.pause();
    else this.asked = 'pause';
  }

  async resume(): Promise<void> {
    if (this.snapshot.phase !== 'paused' || !this.client) return;
    this.publish({ phase: 'running', message: null });
    // After a lost GPU the paused run lives only in its last save.
    const from = this.resumeFrom;
    this.resumeFrom = null;
    if (from) this.client.run(this.spec, from === 'start' ? null : copyState(from.state));
    else this.client.run(null, null);
  }

  /** Stop for good: the weights so far become the current model. */
  stop(): void {
    if (this.snapshot.phase !== 'running' && this.snapshot.phase !== 'paused') return;
    const from = this.resumeFrom;
    if (from) {
      // The paused run's GPU is gone: what it had is its last save, so that is what Stop keeps.
      this.resumeFrom = null;
      if (from === 'start') return this.publish({ phase: 'idle', message: 'Stopped before the first save, so there are no weights to keep.' });
      void this.finish(`Stopped after step ${from.state.trainer.step}.`, from.state.trainer.step, copyState(from.state).weights);
      return;
    }
    if (this.client) this.client.stop();
    else this.asked = 'stop';
  }

  private onEvent(e: SessionEvent): void {
    switch (e.type) {
      case 'progress':
        if (e.loss !== null) this.losses.push(e.loss);
        return this.publish({ step: e.step, losses: this.losses, stepsPerSec: e.stepsPerSec, message: null }, false);
      case 'checkup':
        this.checkups.push(e.checkup);
        return this.publish({ checkups: [...this.checkups] });
      case 'saved':
        return void this.save(e.state);
      case 'ended':
        if (e.reason === 'paused') return this.publish({ phase: 'paused', step: e.step, losses: [...this.losses], message: e.message });
        return void this.finish(e.message, e.step, e.weights);
      case 'lost':
        return void this.recover(e.step, e.message);
      case 'failed': {
        this.dropClient();
        // The last save survives a crashed worker: offer it, as after a reload.
        const save = this.lastSave;
        const spec = this.spec;
        const interrupted = save && spec ? { recipe: spec.recipe, step: save.state.trainer.step, totalSteps: spec.totalSteps } : this.snapshot.interrupted;
        return this.publish({ phase: 'idle', message: e.message, interrupted });
      }
    }
  }

  /** Keep the save point in memory and in IndexedDB (best effort: a full disk only costs the save). */
  private async save(state: RunState): Promise<void> {
    const spec = this.spec;
    if (!spec) return;
    this.lastSave = { state, losses: [...this.losses], checkups: [...this.checkups] };
    try {
      await saveRun({
        version: 1, recipe: spec.recipe, totalSteps: spec.totalSteps, seed: spec.seed, trainer: state.trainer,
        weights: new Map(state.weights), losses: this.lastSave.losses, checkups: this.lastSave.checkups, savedAt: Date.now(),
      });
    } catch (e) {
      console.warn('Could not save the training run:', e);
    }
  }

  /**
   * The GPU went away. A running run carries on from its last save on the next
   * backend; a paused one will, when resumed; otherwise only the next backend
   * is remembered. Either way the learner is told what happened.
   */
  private async recover(step: number, why: string): Promise<void> {
    const lost = this.client?.backend.name ?? 'unknown';
    this.dropClient();
    const order = this.backends.length > 0 ? this.backends : [...BACKEND_PREFERENCE];
    this.backends = order.slice(order.indexOf(lost) + 1);
    const phase = this.snapshot.phase;
    const spec = this.spec;
    if (!spec || (phase !== 'running' && phase !== 'paused')) {
      const next = this.backends.length > 0 ? ` Training will use ${this.backends[0]} from now on.` : '';
      this.publish({ phase: phase === 'measuring' ? 'idle' : phase, notice: `The ${lost} backend stopped working: ${why}.${next}` });
      return;
    }
    const save = this.lastSave;
    const savedAt = save?.state.trainer.step ?? 0;
    const what = `${step === 0 ? 'During the first step' : `At step ${step}`}, ${why}.`;
    if (this.backends.length === 0) {
      this.publish({ phase: 'idle', notice: `${what} No other backend is allowed here, so training stopped; reload the page to resume from the save at step ${savedAt}.` });
      if (save) this.publish({ interrupted: { recipe: spec.recipe, step: savedAt, totalSteps: spec.totalSteps } });
      return;
    }
    try {
      const client = await this.ensureClient();
      this.losses = [...(save?.losses ?? [])];
      this.checkups = [...(save?.checkups ?? [])];
      const from = `${save ? `the save at step ${savedAt}` : 'the start'} on ${client.backend.name}`;
      if (phase === 'paused') {
        this.resumeFrom = save ?? 'start';
        this.publish({ step: savedAt, losses: this.losses, checkups: [...this.checkups], notice: `While paused, ${why}. Resume carries on from ${from}.` });
        return;
      }
      const redone = step > savedAt ? `, so ${step - savedAt} steps are done again` : '';
      this.publish({ step: savedAt, losses: this.losses, checkups: [...this.checkups], notice: `${what} Training carried on from ${from}${redone}.` });
      client.run(spec, save && copyState(save.state));
      this.applyAsked(client);
    } catch (e) {
      this.publish({ phase: 'idle', notice: `${what} Training could not carry on elsewhere: ${errorText(e)}` });
    }
  }

  /** Hand the weights over (if it trained at all) and say what it learned. */
  private async finish(message: string, step: number, weights: [string, Float32Array][] | null): Promise<void> {
    void clearRun().catch(() => undefined);
    // The run is over now, before any await: a GPU lost meanwhile must not start it again.
    const spec = this.spec;
    this.spec = null;
    this.lastSave = null;
    const recipe = this.snapshot.recipe ?? '';
    if (!weights || step === 0 || !spec) return this.publish({ phase: 'idle', message, losses: [...this.losses] });
    try {
      await startEngine();
      const [{ DiffusionLM }, { DEFAULT_MODEL }, { Rng }] = await Promise.all([import('../core/model.ts'), import('../core/config.ts'), import('../core/rng.ts')]);
      // The same model options the run trained with (its time input, say).
      const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0), initOptions(withOverrides(getRecipe(spec.recipe), spec.overrides)));
      model.loadStateDict(new Map(weights));
      models.replace(model, `trained here: ${step} steps of the ${recipe} recipe`);
      this.publish({ phase: 'done', message, losses: [...this.losses], interrupted: null, summary: summarize(this.checkups.at(-1), recipe) });
    } catch (e) {
      this.publish({ phase: 'idle', message: `${message} But the trained weights could not be loaded on the page: ${errorText(e)}` });
    }
  }

  private dropClient(): void {
    this.generation++;
    this.client?.dispose();
    this.client = null;
  }
}

/** A copy to send: the weights' buffers are transferred, and the save point must outlive the send. */
function copyState(state: RunState): RunState {
  return { trainer: state.trainer, weights: state.weights.map(([name, w]) => [name, w.slice()]) };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export const liveTraining = new LiveTraining();
