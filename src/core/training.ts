/**
 * The training loop: sample patterns, pick t per sequence, mask, predict the
 * masked tokens, step AdamW. Async so a page or worker stays responsive,
 * cancellable with an AbortSignal, and resumable from a saved state.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_DATA, type DataConfig } from './config.ts';
import { generatePatterns } from './data.ts';
import { maskArrays } from './masking.ts';
import type { DiffusionLM } from './model.ts';
import { lossWeights } from './objective.ts';
import { weightedCrossEntropy } from './ops.ts';
import { AdamW, learningRate, type AdamWState } from './optim.ts';
import type { Recipe } from './recipes.ts';
import { Rng } from './rng.ts';

/** One training batch, all plain arrays (uploaded once per step). */
export interface Batch {
  readonly x0: Int32Array; //      [B*L]
  readonly xt: Int32Array; //      [B*L]
  readonly t: Float32Array; //     [B]
  readonly weights: Float32Array; // [B*L], the objective's per-position weights
  readonly maskedCount: number;
}

export interface StepReport {
  /** 1-based loop step (a skipped batch still counts, as in the notebook). */
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly lr: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** Steps per second over the last readback window. */
  readonly stepsPerSec: number;
  /** True when the batch had no masked token and was skipped. */
  readonly skipped: boolean;
}

export type StopReason = 'completed' | 'aborted' | 'non-finite';

export interface TrainResult {
  readonly reason: StopReason;
  /** Human-readable account of why training stopped. */
  readonly message: string;
  /** Loop steps done (the step to resume from). */
  readonly step: number;
}

export interface TrainerState {
  readonly step: number;
  readonly rng: [number, number, number, number];
  readonly optimizer: AdamWState;
}

export interface TrainOptions {
  readonly seed?: number;
  /** Total loop steps; defaults to the recipe's. The schedule spans this many. */
  readonly steps?: number;
  readonly data?: DataConfig;
  readonly signal?: AbortSignal;
  /** Read losses back every N steps (1 on CPU/wasm; more on GPUs, where a readback stalls). */
  readonly syncEvery?: number;
}

/** Draw one batch under a recipe: data, t, mask and loss weights. */
export function sampleBatch(rng: Rng, recipe: Recipe, data: DataConfig): Batch {
  const B = recipe.batchSize;
  const { x0 } = generatePatterns(rng, B, data);
  const t = new Float32Array(B);
  const offset = rng.next();
  for (let b = 0; b < B; b++) {
    const u = recipe.stratifiedT ? (b + offset) / B : rng.next();
    t[b] = recipe.tMin + (recipe.tMax - recipe.tMin) * u;
  }
  const { xt, mask, maskedCount } = maskArrays(x0, t, rng);
  return { x0, xt, t, weights: lossWeights(recipe.loss, { mask, t, maskedCount }), maskedCount };
}

/**
 * Loss and gradients for one batch, then one AdamW step. Returns scalars the
 * caller owns: the loss, the pre-clip gradient norm, and whether the update
 * was applied (0 when anything was non-finite).
 */
export function trainStep(model: DiffusionLM, opt: AdamW, batch: Batch, lr: number, recipe: Recipe, rng: Rng): tf.Tensor1D {
  const { vocabSize: V } = model.config;
  const B = batch.t.length;
  const L = batch.xt.length / B;
  return tf.tidy(() => {
    const xt = tf.tensor2d(batch.xt, [B, L], 'int32');
    const t = tf.tensor2d(batch.t, [B, 1]);
    const target = tf.cast(tf.oneHot(tf.tensor1d(batch.x0, 'int32'), V), 'float32') as tf.Tensor2D;
    const weights = tf.tensor1d(batch.weights);
    const vars = model.variables();
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(xt, t, { training: true, rng, dropout: recipe.dropout, ignoreTime: recipe.ignoreTime });
      return weightedCrossEntropy(tf.reshape(logits, [B * L, V]) as tf.Tensor2D, target, weights);
    }, vars);
    const { gradNorm, applied } = opt.apply(vars.map((v) => grads[v.name]), lr, value);
    return tf.stack([value, gradNorm, applied]) as tf.Tensor1D;
  });
}

export class Trainer {
  readonly model: DiffusionLM;
  readonly recipe: Recipe;
  readonly totalSteps: number;
  readonly data: DataConfig;
  private readonly rng: Rng;
  private readonly opt: AdamW;
  /** Loop steps done so far. */
  step = 0;

  constructor(model: DiffusionLM, recipe: Recipe, options: TrainOptions = {}) {
    this.model = model;
    this.recipe = recipe;
    this.totalSteps = options.steps ?? recipe.steps;
    if (!Number.isInteger(this.totalSteps) || this.totalSteps < 1) {
      throw new RangeError(`steps must be a positive integer, got ${this.totalSteps}`);
    }
    this.data = options.data ?? DEFAULT_DATA;
    this.rng = new Rng(options.seed ?? 42);
    this.opt = new AdamW(model.variables(), recipe.optimizer);
  }

  /** Learning rate of the next optimizer step. */
  currentLr(): number {
    return learningRate(this.recipe.schedule, this.opt.step, this.totalSteps);
  }

  /**
   * Train until `totalSteps` (or `untilStep`), reporting every step. Stops on
   * abort, or at the first non-finite loss or update, keeping the last good
   * weights.
   */
  async run(options: { signal?: AbortSignal; syncEvery?: number; untilStep?: number } = {}, onProgress?: (r: StepReport) => void): Promise<TrainResult> {
    const syncEvery = Math.max(1, options.syncEvery ?? 1);
    const until = Math.min(options.untilStep ?? this.totalSteps, this.totalSteps);
    let pending: Array<{ step: number; lr: number; out: tf.Tensor1D | null }> = [];
    let windowStart = performance.now();

    const flush = async (): Promise<TrainResult | null> => {
      const live = pending.filter((p) => p.out);
      const values = live.length ? await readAll(live.map((p) => p.out!)) : [];
      const now = performance.now();
      const stepsPerSec = (pending.length * 1000) / Math.max(1e-9, now - windowStart);
      windowStart = now;
      let k = 0;
      for (const p of pending) {
        const [loss, gradNorm, applied] = p.out ? values[k++] : [Number.NaN, Number.NaN, 1];
        onProgress?.({ step: p.step, totalSteps: this.totalSteps, loss, lr: p.lr, gradNorm, stepsPerSec, skipped: !p.out });
        if (p.out && (applied !== 1 || !Number.isFinite(loss))) {
          pending = [];
          this.step = p.step - 1;
          return {
            reason: 'non-finite',
            step: this.step,
            message: `Stopped at step ${p.step}: the loss was ${loss} and the gradient norm ${gradNorm}. The update was not applied, so the model keeps the weights from step ${this.step}. Try a lower learning rate.`,
          };
        }
      }
      pending = [];
      return null;
    };

    while (this.step < until) {
      if (options.signal?.aborted) {
        const stop = await flush();
        return stop ?? { reason: 'aborted', step: this.step, message: `Stopped by request after step ${this.step}.` };
      }
      const batch = sampleBatch(this.rng, this.recipe, this.data);
      this.step++;
      if (batch.maskedCount === 0) {
        // Nothing to predict: the notebook skips the optimizer and the scheduler.
        pending.push({ step: this.step, lr: this.currentLr(), out: null });
      } else {
        const lr = this.currentLr();
        pending.push({ step: this.step, lr, out: trainStep(this.model, this.opt, batch, lr, this.recipe, this.rng) });
      }
      if (pending.length >= syncEvery || this.step === until) {
        const stop = await flush();
        if (stop) return stop;
      }
    }
    const done = this.step >= this.totalSteps;
    return {
      reason: done ? 'completed' : 'aborted',
      step: this.step,
      message: done ? `Completed ${this.totalSteps} steps.` : `Paused after step ${this.step} of ${this.totalSteps}.`,
    };
  }

  /** Everything needed to resume exactly: loop step, data stream, optimizer moments. */
  async getState(): Promise<TrainerState> {
    return { step: this.step, rng: this.rng.getState(), optimizer: await this.opt.getState() };
  }

  setState(state: TrainerState): void {
    this.opt.setState(state.optimizer);
    this.rng.setState(state.rng);
    this.step = state.step;
  }

  dispose(): void {
    this.opt.dispose();
  }
}

/** Read several small tensors in one round trip, then free them. */
async function readAll(outs: tf.Tensor1D[]): Promise<number[][]> {
  const stacked = tf.stack(outs);
  try {
    const flat = await stacked.data();
    return outs.map((o, i) => Array.from(flat.subarray(i * o.size, (i + 1) * o.size)));
  } finally {
    stacked.dispose();
    for (const o of outs) o.dispose();
  }
}

/** Convenience: train a model under a recipe from scratch. */
export async function train(model: DiffusionLM, recipe: Recipe, options: TrainOptions = {}, onProgress?: (r: StepReport) => void): Promise<TrainResult> {
  const trainer = new Trainer(model, recipe, options);
  try {
    return await trainer.run({ signal: options.signal, syncEvery: options.syncEvery }, onProgress);
  } finally {
    trainer.dispose();
  }
}
