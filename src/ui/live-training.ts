/**
 * Live training on the page's backend. The loop yields to the page every step
 * (the engine's Trainer does), so the lesson stays responsive; the loss history
 * is plain numbers, and the trained model goes to the model store when the run
 * ends or is stopped, so every later figure uses it.
 */
import type { Recipe } from '../core/recipes.ts';
import { models, startEngine } from './engine.ts';

export interface TrainingSnapshot {
  readonly running: boolean;
  readonly recipe: string | null;
  readonly step: number;
  readonly totalSteps: number;
  readonly losses: readonly number[];
  readonly stepsPerSec: number;
  readonly message: string | null;
}

const IDLE: TrainingSnapshot = { running: false, recipe: null, step: 0, totalSteps: 0, losses: [], stepsPerSec: 0, message: null };

/** Most steps one live run may take: 5000 is the learning recipe's full length. */
export const MAX_LIVE_STEPS = 5000;

class LiveTraining {
  private snapshot = IDLE;
  private controller: AbortController | null = null;
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
    // Per-step updates: at most one render a frame.
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.notify();
    });
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  async start(recipeName: string, steps: number, seed: number): Promise<void> {
    if (this.snapshot.running) return;
    if (!Number.isInteger(steps) || steps < 1 || steps > MAX_LIVE_STEPS) {
      this.publish({ message: `Steps must be a whole number from 1 to ${MAX_LIVE_STEPS}.` });
      return;
    }
    const controller = new AbortController();
    this.controller = controller;
    this.publish({ ...IDLE, running: true, recipe: recipeName, totalSteps: steps, message: 'Starting…' });
    let model: import('../core/model.ts').DiffusionLM | null = null;
    try {
      await startEngine();
      const [{ DiffusionLM }, { Trainer }, { getRecipe }, { DEFAULT_MODEL }, { Rng }] = await Promise.all([
        import('../core/model.ts'),
        import('../core/training.ts'),
        import('../core/recipes.ts'),
        import('../core/config.ts'),
        import('../core/rng.ts'),
      ]);
      const recipe: Recipe = getRecipe(recipeName);
      model = new DiffusionLM(DEFAULT_MODEL, new Rng(seed), { embedStd: recipe.embedInitStd });
      const trainer = new Trainer(model, recipe, { steps, seed });
      const losses: number[] = [];
      let result;
      try {
        result = await trainer.run({ signal: controller.signal }, (r) => {
          if (!r.skipped) losses.push(r.loss);
          this.publish({ step: r.step, losses, stepsPerSec: r.stepsPerSec, message: null }, false);
        });
      } finally {
        trainer.dispose();
      }
      if (trainer.step === 0) {
        model.dispose();
        this.publish({ running: false, message: result.message });
        return;
      }
      models.replace(model, `trained here: ${trainer.step} steps of the ${recipeName} recipe (seed ${seed})`);
      model = null;
      this.publish({ running: false, losses: [...losses], message: result.message });
    } catch (e) {
      model?.dispose();
      this.publish({ running: false, message: `Training failed: ${e instanceof Error ? e.message : String(e)}` });
    } finally {
      this.controller = null;
    }
  }

  stop(): void {
    this.controller?.abort();
  }
}

export const liveTraining = new LiveTraining();
