/**
 * Section 8's live run. The TrainingController runs it and recovers it; this
 * store adds what the lesson wants around it: the run the controls plan (so
 * the charts draw its frame before it starts), the time a step takes here,
 * the auto-save in IndexedDB and the offer to resume it after a reload or a
 * crash, and, when the run ends, the hand-over of its weights to the model
 * store with a summary in words of what the model learned.
 */
import { errorMessage } from '../../core/error-message.ts';
import { learningRates } from '../../core/optim.ts';
import { getRecipe, RECIPES } from '../../core/recipes.ts';
import type { Checkup, RunSpec } from '../../worker/protocol.ts';
import { TrainingController, type ControllerOptions, type RunEnd, type RunSnapshot, type SavePoint } from './controller.ts';
import { parseSavedRun, type RunStorage, type SavedRun } from './saved-run.ts';
import { stepsProblem } from './steps.ts';

export type Phase = 'idle' | 'measuring' | 'running' | 'paused' | 'done';

export type { Checkup };

export interface TrainingSnapshot {
  readonly phase: Phase;
  readonly recipe: string | null;
  readonly step: number;
  readonly totalSteps: number;
  /** Loss per step; null for a skipped step (nothing masked). */
  readonly losses: readonly (number | null)[];
  readonly lrs: readonly number[];
  readonly stepsPerSec: number;
  readonly checkups: readonly Checkup[];
  /** Seconds a step, measured on this device before a run; null until measured. */
  readonly secPerStep: number | null;
  readonly message: string | null;
  /** Plain words on what the model learned, once the run ends. */
  readonly summary: string | null;
  /** A run saved before the page was closed, reloaded or its worker failed, ready to resume. */
  readonly interrupted: { readonly recipe: string; readonly step: number; readonly totalSteps: number } | null;
  /** Where training runs: the backend and whether in a worker or on the page; null until it starts. */
  readonly backend: { readonly name: string; readonly where: 'worker' | 'page' } | null;
  /** What went wrong on the way and how the run recovered (a lost GPU, a worker that would not start). */
  readonly notice: string | null;
  /** The run the controls describe: the charts draw its frame before it starts, so starting redraws nothing. */
  readonly plan: { readonly recipe: string; readonly totalSteps: number };
}

/** The recipe the Training section offers first: the quickest, in wall time, to reach the best possible. */
export const DEFAULT_RECIPE = 'fast';

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

export interface LiveTrainingOptions extends Pick<ControllerOptions, 'connect' | 'backends' | 'nextFrame' | 'timers'> {
  readonly storage: RunStorage;
  /** Make the finished run's weights the lesson's model. */
  readonly handOver: (end: RunEnd, label: string) => Promise<void>;
}

interface Extras {
  readonly done: boolean;
  readonly lrs: readonly number[];
  readonly secPerStep: number | null;
  readonly summary: string | null;
  readonly interrupted: TrainingSnapshot['interrupted'];
  readonly plan: TrainingSnapshot['plan'];
  /** A word of ours that outranks the run's own (a bad saved run, a failed hand-over). */
  readonly message: string | null;
}

export class LiveTraining {
  private readonly run: TrainingController;
  private extras: Extras = {
    done: false,
    lrs: [],
    secPerStep: null,
    summary: null,
    interrupted: null,
    message: null,
    plan: { recipe: DEFAULT_RECIPE, totalSteps: RECIPES[DEFAULT_RECIPE].steps },
  };
  private snapshot: TrainingSnapshot;
  private readonly listeners = new Set<() => void>();
  private checkedSaved = false;
  /** The latest save point in memory too: when the browser would not store it, this copy still resumes. */
  private memorySave: SavePoint | null = null;

  constructor(private readonly options: LiveTrainingOptions) {
    this.run = new TrainingController({
      connect: options.connect,
      backends: options.backends,
      nextFrame: options.nextFrame,
      timers: options.timers,
      onSave: (save) => this.save(save),
      onEnd: (end) => void this.finish(end),
      onInterrupted: (save, why) => this.interrupted(save, why),
    });
    this.snapshot = this.compose();
    this.run.subscribe(() => this.refresh());
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TrainingSnapshot => this.snapshot;

  private compose(): TrainingSnapshot {
    const r: RunSnapshot = this.run.getSnapshot();
    const e = this.extras;
    const phase: Phase = r.phase === 'idle' ? (e.done ? 'done' : 'idle') : r.phase === 'starting' ? 'running' : r.phase;
    return {
      phase,
      recipe: r.spec?.recipe ?? null,
      step: r.step,
      totalSteps: r.spec?.totalSteps ?? 0,
      losses: r.losses,
      lrs: e.lrs,
      stepsPerSec: r.stepsPerSec,
      checkups: r.checkups,
      secPerStep: e.secPerStep,
      message: e.message ?? r.message,
      summary: e.summary,
      interrupted: e.interrupted,
      backend: r.backend,
      notice: r.notice,
      plan: e.plan,
    };
  }

  private refresh(): void {
    this.snapshot = this.compose();
    for (const fn of this.listeners) fn();
  }

  private patch(extras: Partial<Extras>): void {
    this.extras = { ...this.extras, ...extras };
    this.refresh();
  }

  private busy(): boolean {
    return this.run.busy();
  }

  /** The controls now describe this run (not started yet). */
  planRun(recipe: string, totalSteps: number): void {
    const { plan } = this.extras;
    if (plan.recipe !== recipe || plan.totalSteps !== totalSteps) this.patch({ plan: { recipe, totalSteps } });
  }

  /** Time a few steps on this device, so the learner knows what a run will cost before starting it. */
  async measure(recipe: string): Promise<void> {
    if (this.busy()) return;
    this.patch({ message: null });
    try {
      this.patch({ secPerStep: await this.run.measure(recipe) });
    } catch (e) {
      this.patch({ message: `Could not time a step: ${errorMessage(e)}` });
    }
  }

  async start(recipe: string, steps: number, seed: number): Promise<void> {
    if (this.busy()) return;
    const wrong = stepsProblem(steps);
    if (wrong) return this.patch({ message: wrong });
    let lrs: number[];
    try {
      lrs = learningRates(getRecipe(recipe).schedule, steps);
    } catch (e) {
      return this.patch({ message: `Training could not start: ${errorMessage(e)}` });
    }
    this.forgetSave();
    this.patch({ done: false, summary: null, message: null, interrupted: null, lrs });
    await this.run.start({ recipe, totalSteps: steps, seed });
  }

  /** Look once for a run saved before a reload, and offer it. */
  async checkSaved(): Promise<void> {
    if (this.checkedSaved || this.busy()) return;
    this.checkedSaved = true;
    const found = await this.loadSave();
    if ('save' in found) {
      const { spec, state } = found.save;
      this.patch({ interrupted: { recipe: spec.recipe, step: state.trainer.step, totalSteps: spec.totalSteps } });
    } else if (found.problem) this.patch({ message: found.problem });
  }

  discardSaved(): void {
    this.forgetSave();
    this.patch({ interrupted: null, message: null });
  }

  /** Carry on a saved run exactly where its last save left it. */
  async resumeSaved(): Promise<void> {
    if (this.busy()) return;
    const found = this.memorySave ? { save: this.memorySave } : await this.loadSave();
    if (!('save' in found)) {
      this.forgetSave();
      return this.patch({ interrupted: null, message: found.problem ?? 'Could not resume the saved run: it is gone.' });
    }
    const { spec, state } = found.save;
    this.patch({
      done: false,
      summary: null,
      message: null,
      interrupted: null,
      lrs: learningRates(getRecipe(spec.recipe).schedule, spec.totalSteps),
    });
    await this.run.start(spec, found.save, `Resumed from the save at step ${state.trainer.step}.`);
  }

  pause(): void {
    this.run.pause();
  }

  resume(): Promise<void> {
    return this.run.resume();
  }

  /** Stop for good: the weights so far become the current model. */
  stop(): void {
    this.run.stop();
  }

  /** The stored save, checked; a damaged one is removed and explained, never used. */
  private async loadSave(): Promise<{ save: SavePoint } | { problem: string | null }> {
    let raw: unknown;
    try {
      raw = await this.options.storage.load();
    } catch (e) {
      return { problem: `A saved run could not be read (${errorMessage(e)}).` };
    }
    if (raw === undefined || raw === null) return { problem: null };
    const parsed = parseSavedRun(raw);
    if ('problem' in parsed) {
      void this.options.storage.clear().catch(() => undefined);
      return { problem: `A saved run was found but could not be resumed: ${parsed.problem.replace(/\.$/, '')}. It was discarded.` };
    }
    const run = parsed.run;
    const spec: RunSpec = { recipe: run.recipe, totalSteps: run.totalSteps, seed: run.seed };
    return { save: { spec, state: { trainer: run.trainer, weights: [...run.weights] }, losses: run.losses, checkups: run.checkups } };
  }

  private forgetSave(): void {
    this.memorySave = null;
    void this.options.storage.clear().catch(() => undefined);
  }

  private save(save: SavePoint): Promise<void> {
    this.memorySave = save;
    const record: SavedRun = {
      version: 1,
      recipe: save.spec.recipe,
      totalSteps: save.spec.totalSteps,
      seed: save.spec.seed,
      trainer: save.state.trainer,
      weights: new Map(save.state.weights),
      losses: [...save.losses],
      checkups: [...save.checkups],
      savedAt: Date.now(),
    };
    return this.options.storage.save(record).then(() => undefined);
  }

  private interrupted(save: SavePoint | null, why: string): void {
    if (save) this.memorySave = save;
    const kept = save ?? this.memorySave;
    const interrupted = kept
      ? { recipe: kept.spec.recipe, step: kept.state.trainer.step, totalSteps: kept.spec.totalSteps }
      : this.extras.interrupted;
    this.patch({ interrupted, message: kept ? `${why} The save at step ${kept.state.trainer.step} is kept: resume it below.` : why });
  }

  /** Hand the weights over (if it trained at all) and say what it learned. */
  private async finish(end: RunEnd): Promise<void> {
    this.forgetSave();
    const { spec, weights, step, message } = end;
    if (!weights || step === 0) return this.patch({ done: false, message });
    try {
      await this.options.handOver(end, `trained here: ${step} steps of the ${spec.recipe} recipe`);
      this.patch({ done: true, message: null, interrupted: null, summary: summarize(end.checkups.at(-1), spec.recipe) });
    } catch (e) {
      this.patch({ done: false, message: `${message} But the trained weights could not be loaded: ${errorMessage(e)}` });
    }
  }
}
