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
import { NOTEBOOK, type Recipe } from './recipes.ts';
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
  /** Steps per second, from this step's wall time. */
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

/**
 * Where clean sequences x0 come from: `batch` rows of `data.seqLen` tokens,
 * flat [batch * seqLen]. The lesson's patterns by default; src/words draws
 * real words through the same loop.
 */
export type CleanSource = (rng: Rng, batch: number) => Int32Array;

export interface TrainOptions {
  /** How to train; the notebook's recipe by default. */
  readonly recipe?: Recipe;
  readonly seed?: number;
  /** Total loop steps; defaults to the recipe's. The schedule spans this many. */
  readonly steps?: number;
  readonly data?: DataConfig;
  /** Defaults to the patterns of `data`. */
  readonly source?: CleanSource;
  readonly signal?: AbortSignal;
}

/** The upper bound of t at loop step `step` (0-based) of `totalSteps`: tMax, or lower early in a curriculum. */
export function tUpper(recipe: Recipe, step: number, totalSteps: number): number {
  const K = Math.round(recipe.tCurriculum * totalSteps);
  const c0 = recipe.tCurriculumStart;
  const frac = K > 0 ? Math.min(1, c0 + ((1 - c0) * step) / K) : 1;
  return recipe.tMin + (recipe.tMax - recipe.tMin) * frac;
}

/** Draw one batch under a recipe at loop step `step` of `totalSteps`: data, t, mask and loss weights. */
export function sampleBatch(
  rng: Rng,
  recipe: Recipe,
  data: DataConfig,
  step = Number.POSITIVE_INFINITY,
  totalSteps = recipe.steps,
  source?: CleanSource,
): Batch {
  const B = recipe.batchSize;
  const x0 = source ? source(rng, B) : generatePatterns(rng, B, data).x0;
  if (x0.length !== B * data.seqLen) throw new RangeError(`the data source gave ${x0.length} tokens for ${B} sequences of ${data.seqLen}`);
  const t = new Float32Array(B);
  const offset = rng.next();
  const hi = tUpper(recipe, step, totalSteps);
  for (let b = 0; b < B; b++) {
    const u = recipe.stratifiedT ? (b + offset) / B : rng.next();
    t[b] = recipe.tMin + (hi - recipe.tMin) * (recipe.tWarp === 1 ? u : u ** recipe.tWarp);
  }
  const { xt, mask, maskedCount } = maskArrays(x0, t, rng);
  return { x0, xt, t, weights: lossWeights(recipe.loss, { mask, t, maskedCount }), maskedCount };
}

export interface StepOutcome {
  readonly loss: number;
  /** Global gradient norm before clipping. */
  readonly gradNorm: number;
  /** False when the loss, the norm or an updated weight was not finite: nothing changed. */
  readonly applied: boolean;
}

/**
 * Loss and gradients for one batch, then one AdamW step, applied only if
 * everything is finite. One readback a step, which also gives the progress.
 */
export async function trainStep(model: DiffusionLM, opt: AdamW, batch: Batch, lr: number, recipe: Recipe, rng: Rng): Promise<StepOutcome> {
  const { vocabSize: V } = model.config;
  const B = batch.t.length;
  const L = batch.xt.length / B;
  const staged = tf.tidy(() => {
    const xt = tf.tensor2d(batch.xt, [B, L], 'int32');
    const t = tf.tensor2d(batch.t, [B, 1]);
    const target = tf.cast(tf.oneHot(tf.tensor1d(batch.x0, 'int32'), V), 'float32') as tf.Tensor2D;
    const weights = tf.tensor1d(batch.weights);
    const vars = model.variables();
    const { value, grads } = tf.variableGrads(() => {
      const logits = model.forward(xt, t, { training: true, rng, dropout: recipe.dropout, ignoreTime: recipe.ignoreTime });
      return weightedCrossEntropy(tf.reshape(logits, [B * L, V]) as tf.Tensor2D, target, weights);
    }, vars);
    return opt.stage(
      vars.map((v) => grads[v.name]),
      lr,
      value,
    );
  });
  const [loss, gradNorm, ok] = await staged.check.data();
  const applied = ok === 1;
  if (applied) opt.commit(staged);
  else opt.discard(staged);
  return { loss, gradNorm, applied };
}

export class Trainer {
  readonly model: DiffusionLM;
  readonly recipe: Recipe;
  readonly totalSteps: number;
  readonly data: DataConfig;
  private readonly source: CleanSource | undefined;
  private readonly rng: Rng;
  private readonly opt: AdamW;
  /** Loop steps done so far. */
  step = 0;

  constructor(model: DiffusionLM, recipe: Recipe, options: TrainOptions = {}) {
    if (!tf.getGradient('Reshape')) {
      // tfjs-core ships its gradients separately; each entry point registers them.
      throw new Error(
        "TensorFlow.js gradients are not registered: import '@tensorflow/tfjs-core/dist/register_all_gradients' (bundlers) or require '@tensorflow/tfjs' (Node) in the entry point",
      );
    }
    this.model = model;
    this.recipe = recipe;
    this.totalSteps = options.steps ?? recipe.steps;
    if (!Number.isInteger(this.totalSteps) || this.totalSteps < 1) {
      throw new RangeError(`steps must be a positive integer, got ${this.totalSteps}`);
    }
    this.data = options.data ?? DEFAULT_DATA;
    this.source = options.source;
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
  async run(options: { signal?: AbortSignal; untilStep?: number } = {}, onProgress?: (r: StepReport) => void): Promise<TrainResult> {
    const until = Math.min(options.untilStep ?? this.totalSteps, this.totalSteps);
    let last = performance.now();
    while (this.step < until) {
      // On cpu/wasm a readback resolves as a microtask, so without this the
      // loop would never let timers, signals (Ctrl-C) or the page run.
      await yieldToEventLoop();
      if (options.signal?.aborted) return { reason: 'aborted', step: this.step, message: `Stopped by request after step ${this.step}.` };
      const batch = sampleBatch(this.rng, this.recipe, this.data, this.step, this.totalSteps, this.source);
      const lr = this.currentLr();
      // No masked token: nothing to predict, and the notebook skips the optimizer and scheduler.
      const outcome = batch.maskedCount === 0 ? null : await trainStep(this.model, this.opt, batch, lr, this.recipe, this.rng);
      const now = performance.now();
      const stepsPerSec = 1000 / Math.max(1e-6, now - last);
      last = now;
      const report = { step: this.step + 1, totalSteps: this.totalSteps, lr, stepsPerSec, skipped: outcome === null };
      onProgress?.({ ...report, loss: outcome?.loss ?? Number.NaN, gradNorm: outcome?.gradNorm ?? Number.NaN });
      if (outcome && !outcome.applied) {
        return {
          reason: 'non-finite',
          step: this.step,
          message: `Stopped at step ${this.step + 1}: the loss was ${outcome.loss} and the gradient norm ${outcome.gradNorm}, or an updated weight overflowed. The update was not applied, so the model keeps its weights from step ${this.step}. Try a lower learning rate.`,
        };
      }
      this.step++;
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

/** Let queued tasks run: setImmediate in Node, a MessageChannel tick in browsers and workers. */
function yieldToEventLoop(): Promise<void> {
  if (typeof setImmediate === 'function') return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** Train a model from scratch under `options.recipe` (the notebook's by default). */
export async function train(model: DiffusionLM, options: TrainOptions = {}, onProgress?: (r: StepReport) => void): Promise<TrainResult> {
  const trainer = new Trainer(model, options.recipe ?? NOTEBOOK, options);
  try {
    return await trainer.run({ signal: options.signal }, onProgress);
  } finally {
    trainer.dispose();
  }
}
