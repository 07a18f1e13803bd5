/**
 * Live training on the page's backend. The engine's Trainer yields to the page
 * every step, so the lesson stays responsive; everything published here is
 * plain numbers (never tensors), at most one update a frame. The run can be
 * paused and resumed; when it ends or is stopped, the trained model goes to
 * the model store, so every later figure uses it.
 */
import type { DiffusionLM } from '../core/model.ts';
import type { Recipe } from '../core/recipes.ts';
import type { Trainer } from '../core/training.ts';
import { models, startEngine } from './engine.ts';
import { clearRun, loadRun, saveRun } from './saved-run.ts';

export type Phase = 'idle' | 'measuring' | 'running' | 'paused' | 'done';

/** Accuracy at a few ratios, measured during the run. */
export interface Checkup {
  readonly step: number;
  readonly t: readonly number[];
  readonly accuracy: readonly number[];
  readonly best: readonly number[];
}

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
}

const IDLE: TrainingSnapshot = {
  phase: 'idle', recipe: null, step: 0, totalSteps: 0, losses: [], lrs: [], stepsPerSec: 0, checkups: [], secPerStep: null, message: null, summary: null, interrupted: null,
};

/** Most steps one live run may take: 5000 is the learning recipe's full length. */
export const MAX_LIVE_STEPS = 5000;
/** Ratios of the accuracy check-ups: few and cheap, so they barely slow training. */
const CHECK_T = [0.1, 0.3, 0.5, 0.7, 0.9];
const CHECK_SEQS = 64;

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

class LiveTraining {
  private snapshot = IDLE;
  private seed = 0;
  private checkedSaved = false;
  private controller: AbortController | null = null;
  private trainer: Trainer | null = null;
  private model: DiffusionLM | null = null;
  private readonly listeners = new Set<() => void>();
  private pending = false;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): TrainingSnapshot => this.snapshot;

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

  private async engine() {
    await startEngine();
    const [{ DiffusionLM }, { Trainer }, { getRecipe }, { DEFAULT_MODEL }, { Rng }, metrics, { learningRate }] = await Promise.all([
      import('../core/model.ts'),
      import('../core/training.ts'),
      import('../core/recipes.ts'),
      import('../core/config.ts'),
      import('../core/rng.ts'),
      import('../core/metrics.ts'),
      import('../core/optim.ts'),
    ]);
    const fresh = (recipe: Recipe, seed: number) => new DiffusionLM(DEFAULT_MODEL, new Rng(seed), { embedStd: recipe.embedInitStd });
    return { Trainer, getRecipe, fresh, evaluate: metrics.evaluate, learningRate };
  }

  private validSteps(steps: number): boolean {
    if (Number.isInteger(steps) && steps >= 1 && steps <= MAX_LIVE_STEPS) return true;
    this.publish({ message: `Steps must be a whole number from 1 to ${MAX_LIVE_STEPS}.` });
    return false;
  }

  /** Time a few steps on a scratch model (the first compiles shaders and is not counted). */
  async measure(recipeName: string): Promise<void> {
    if (this.snapshot.phase === 'running' || this.snapshot.phase === 'measuring') return;
    const before = this.snapshot.phase;
    this.publish({ phase: 'measuring', message: 'Timing a few steps on this device…' });
    try {
      const { Trainer, getRecipe, fresh } = await this.engine();
      const recipe = getRecipe(recipeName);
      const model = fresh(recipe, 1);
      const trainer = new Trainer(model, recipe, { steps: 4, seed: 1 });
      const times: number[] = [];
      try {
        await trainer.run({}, (r) => times.push(1 / r.stepsPerSec));
      } finally {
        trainer.dispose();
        model.dispose();
      }
      const timed = times.slice(1);
      this.publish({ phase: before, secPerStep: timed.reduce((a, b) => a + b, 0) / timed.length, message: null });
    } catch (e) {
      this.publish({ phase: before, message: `Could not time a step: ${e instanceof Error ? e.message : String(e)}` });
    }
  }

  async start(recipeName: string, steps: number, seed: number): Promise<void> {
    if (this.snapshot.phase === 'running' || this.snapshot.phase === 'measuring' || !this.validSteps(steps)) return;
    this.discardPaused();
    void clearRun().catch(() => undefined);
    this.seed = seed;
    this.publish({ ...IDLE, secPerStep: this.snapshot.secPerStep, phase: 'running', recipe: recipeName, totalSteps: steps, message: 'Starting…' });
    try {
      const { Trainer, getRecipe, fresh, learningRate } = await this.engine();
      const recipe = getRecipe(recipeName);
      this.model = fresh(recipe, seed);
      this.trainer = new Trainer(this.model, recipe, { steps, seed });
      const lrs = Array.from({ length: steps }, (_, i) => learningRate(recipe.schedule, i, steps));
      this.publish({ lrs });
    } catch (e) {
      this.discardPaused();
      this.publish({ phase: 'idle', message: `Training could not start: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    await this.loop();
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
    if (this.snapshot.phase === 'running' || this.snapshot.phase === 'measuring') return;
    try {
      const run = await loadRun();
      if (!run) throw new Error('the saved run is gone or unreadable');
      const { Trainer, getRecipe, fresh, learningRate } = await this.engine();
      const recipe = getRecipe(run.recipe);
      this.discardPaused();
      this.model = fresh(recipe, run.seed);
      this.model.loadStateDict(run.weights);
      this.trainer = new Trainer(this.model, recipe, { steps: run.totalSteps, seed: run.seed });
      this.trainer.setState(run.trainer);
      this.seed = run.seed;
      const lrs = Array.from({ length: run.totalSteps }, (_, i) => learningRate(recipe.schedule, i, run.totalSteps));
      this.publish({
        ...IDLE, secPerStep: this.snapshot.secPerStep, phase: 'running', recipe: run.recipe, totalSteps: run.totalSteps, step: run.trainer.step,
        losses: run.losses, checkups: run.checkups, lrs, message: `Resumed from the save at step ${run.trainer.step}.`,
      });
    } catch (e) {
      this.discardPaused();
      this.publish({ phase: 'idle', interrupted: null, message: `Could not resume the saved run: ${e instanceof Error ? e.message : String(e)}` });
      void clearRun().catch(() => undefined);
      return;
    }
    await this.loop();
  }

  /** Save everything needed to carry on (best effort: a full disk only costs the save). */
  private async save(losses: number[], checkups: Checkup[]): Promise<void> {
    const trainer = this.trainer;
    const model = this.model;
    if (!trainer || !model) return;
    try {
      await saveRun({
        version: 1, recipe: this.snapshot.recipe ?? '', totalSteps: trainer.totalSteps, seed: this.seed,
        trainer: await trainer.getState(), weights: await model.stateDict(), losses: [...losses], checkups: [...checkups], savedAt: Date.now(),
      });
    } catch (e) {
      console.warn('Could not save the training run:', e);
    }
  }

  pause(): void {
    if (this.snapshot.phase === 'running') this.controller?.abort();
  }

  async resume(): Promise<void> {
    if (this.snapshot.phase !== 'paused' || !this.trainer) return;
    this.publish({ phase: 'running', message: null });
    await this.loop();
  }

  /** Stop for good: the weights so far become the current model. */
  stop(): void {
    if (this.snapshot.phase === 'running') {
      this.stopping = true;
      this.controller?.abort();
    } else if (this.snapshot.phase === 'paused') void this.finish(`Stopped after step ${this.trainer?.step ?? 0}.`);
  }

  private stopping = false;

  private async loop(): Promise<void> {
    const trainer = this.trainer!;
    const model = this.model!;
    const { evaluate } = await this.engine();
    const controller = new AbortController();
    this.controller = controller;
    const losses = [...this.snapshot.losses];
    const checkups = [...this.snapshot.checkups];
    const every = Math.max(50, Math.round(trainer.totalSteps / 10));
    const checkup = async () => {
      const e = await evaluate(model, { ratios: CHECK_T, seqsPerRatio: CHECK_SEQS, chunk: CHECK_SEQS * CHECK_T.length, seed: 7, elbo: false });
      checkups.push({ step: trainer.step, t: CHECK_T, accuracy: e.ratios.map((r) => r.accuracy), best: e.ratios.map((r) => r.bestPossible) });
      this.publish({ checkups: [...checkups] });
    };
    try {
      while (trainer.step < trainer.totalSteps && !controller.signal.aborted) {
        const until = Math.min(trainer.totalSteps, (Math.floor(trainer.step / every) + 1) * every);
        const result = await trainer.run({ signal: controller.signal, untilStep: until }, (r) => {
          if (!r.skipped) losses.push(r.loss);
          this.publish({ step: r.step, losses, stepsPerSec: r.stepsPerSec, message: null }, false);
        });
        if (result.reason === 'non-finite') return this.finish(result.message);
        if (result.reason === 'aborted' && controller.signal.aborted) break;
        await checkup();
        if (trainer.step < trainer.totalSteps) await this.save(losses, checkups);
      }
      this.publish({ losses: [...losses] });
      if (controller.signal.aborted && !this.stopping) {
        await this.save(losses, checkups);
        this.publish({ phase: 'paused', message: `Paused after step ${trainer.step} of ${trainer.totalSteps}.` });
        return;
      }
      if (checkups.at(-1)?.step !== trainer.step && trainer.step > 0) await checkup();
      await this.finish(trainer.step >= trainer.totalSteps ? `Completed ${trainer.totalSteps} steps.` : `Stopped after step ${trainer.step}.`);
    } catch (e) {
      this.discardPaused();
      this.publish({ phase: 'idle', message: `Training failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.stopping = false;
      this.controller = null;
    }
  }

  /** Hand the model over (if it trained at all) and say what it learned. */
  private async finish(message: string): Promise<void> {
    void clearRun().catch(() => undefined);
    const trainer = this.trainer;
    const model = this.model;
    this.trainer = null;
    this.model = null;
    trainer?.dispose();
    const recipe = this.snapshot.recipe ?? '';
    if (model && trainer && trainer.step > 0) {
      models.replace(model, `trained here: ${trainer.step} steps of the ${recipe} recipe`);
      this.publish({ phase: 'done', message, interrupted: null, summary: summarize(this.snapshot.checkups.at(-1), recipe) });
    } else {
      model?.dispose();
      this.publish({ phase: 'idle', message });
    }
  }

  private discardPaused(): void {
    this.trainer?.dispose();
    this.model?.dispose();
    this.trainer = null;
    this.model = null;
  }
}

export const liveTraining = new LiveTraining();
