/**
 * PyTorch's AdamW, CosineAnnealingLR and clip_grad_norm_, which tfjs lacks.
 *
 * The optimizer keeps every variable's moments in one flat buffer and updates
 * all parameters with one chain of kernels: about 10 launches a step instead
 * of ~700 for 43 variables one by one, which matters most where each launch
 * has a fixed cost (WebGL, WebGPU, JS-to-wasm calls).
 */
import * as tf from '@tensorflow/tfjs-core';

export interface AdamWConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Max global L2 norm of the gradient (clip_grad_norm_); null for no clipping. */
  readonly clipNorm: number | null;
}

export const TORCH_ADAMW: AdamWConfig = Object.freeze({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, clipNorm: 1.0 });

export interface StepResult {
  /** Global gradient norm before clipping, a scalar the caller owns. */
  readonly gradNorm: tf.Scalar;
  /** 1 when the update was applied, 0 when it was refused as non-finite. */
  readonly applied: tf.Scalar;
}

export interface AdamWState {
  readonly step: number;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

export class AdamW {
  private readonly vars: tf.Variable[];
  private readonly sizes: number[];
  private readonly m: tf.Variable;
  private readonly v: tf.Variable;
  /** Parameter count rounded up to whole NORM_BLOCKs. */
  private readonly padded: number;
  /** Optimizer steps taken (PyTorch's per-parameter `step`, shared here). */
  step = 0;

  constructor(vars: tf.Variable[], readonly config: AdamWConfig = TORCH_ADAMW) {
    this.vars = vars;
    this.sizes = vars.map((x) => x.size);
    const n = this.sizes.reduce((a, b) => a + b, 0);
    this.padded = Math.ceil(n / NORM_BLOCK) * NORM_BLOCK;
    [this.m, this.v] = tf.tidy(() => [tf.variable(tf.zeros([n]), false), tf.variable(tf.zeros([n]), false)]);
  }

  /**
   * One step from gradients aligned with the variables. `guard` (a scalar,
   * e.g. the loss) joins the finiteness check: if it, the gradient norm or
   * any new weight is NaN or infinite, nothing changes and `applied` is 0,
   * so the model keeps its last good weights.
   */
  apply(grads: tf.Tensor[], lr: number, guard?: tf.Scalar): StepResult {
    if (grads.length !== this.vars.length) throw new Error(`expected ${this.vars.length} gradients, got ${grads.length}`);
    const { beta1, beta2, eps, weightDecay, clipNorm } = this.config;
    const t = this.step + 1;
    const bc1 = 1 - beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    const result = tf.tidy(() => {
      let g = tf.concat(grads.map((x) => tf.reshape(x, [-1]))); // [P]
      const gradNorm = blockNorm(g, this.padded);
      if (clipNorm !== null) {
        // clip_grad_norm_: scale by min(1, max_norm / (norm + 1e-6)).
        g = tf.mul(g, tf.minimum(1, tf.div(clipNorm, tf.add(gradNorm, 1e-6))));
      }
      const p = tf.concat(this.vars.map((x) => tf.reshape(x, [-1])));
      const m = tf.add(tf.mul(this.m, beta1), tf.mul(g, 1 - beta1));
      const v = tf.add(tf.mul(this.v, beta2), tf.mul(tf.square(g), 1 - beta2));
      const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), eps);
      const pNew = tf.sub(tf.mul(p, 1 - lr * weightDecay), tf.mul(tf.div(m, denom), lr / bc1));
      let ok = tf.logicalAnd(tf.isFinite(gradNorm), tf.all(tf.isFinite(pNew)));
      if (guard) ok = tf.logicalAnd(ok, tf.isFinite(guard));
      const keep = (next: tf.Tensor, prev: tf.Tensor) => tf.where(ok, next, prev);
      this.m.assign(keep(m, this.m) as tf.Tensor1D);
      this.v.assign(keep(v, this.v) as tf.Tensor1D);
      const parts = tf.split(keep(pNew, p), this.sizes);
      this.vars.forEach((x, i) => x.assign(tf.reshape(parts[i], x.shape)));
      return { gradNorm: gradNorm as tf.Scalar, applied: tf.cast(ok, 'float32') as tf.Scalar };
    });
    // Counting a refused step too keeps the bias correction in line with PyTorch's
    // count of optimizer.step() calls; the trainer stops on the first refusal anyway.
    this.step = t;
    return result;
  }

  async getState(): Promise<AdamWState> {
    return { step: this.step, m: (await this.m.data()) as Float32Array, v: (await this.v.data()) as Float32Array };
  }

  setState(state: AdamWState): void {
    if (state.m.length !== this.m.size || state.v.length !== this.v.size) {
      throw new Error(`optimizer state has ${state.m.length} values, expected ${this.m.size}`);
    }
    tf.tidy(() => {
      this.m.assign(tf.tensor1d(state.m));
      this.v.assign(tf.tensor1d(state.v));
    });
    this.step = state.step;
  }

  dispose(): void {
    this.m.dispose();
    this.v.dispose();
  }
}

/** Elements summed per block when taking the global gradient norm. */
const NORM_BLOCK = 512;

/**
 * L2 norm of a flat vector, summed in blocks then across blocks. A single
 * float32 running sum over 156k squares drifts by ~1e-5 relative on the cpu
 * and wasm backends; two short sums keep it near 1e-7, like PyTorch's.
 */
function blockNorm(g: tf.Tensor, padded: number): tf.Scalar {
  const sq = tf.square(g);
  const full = padded > g.size ? tf.concat([sq, tf.zeros([padded - g.size])]) : sq;
  return tf.sqrt(tf.sum(tf.sum(tf.reshape(full, [padded / NORM_BLOCK, NORM_BLOCK]), 1))) as tf.Scalar;
}

export interface ScheduleConfig {
  readonly lr: number;
  /** Steps of linear warm-up from 0 before the schedule (0 for none, as in the notebook). */
  readonly warmupSteps: number;
  /** 'cosine' is PyTorch's CosineAnnealingLR(T_max = total steps, eta_min = 0). */
  readonly kind: 'cosine' | 'linear' | 'constant';
  readonly minLr: number;
}

/** Learning rate for optimizer step `step` (0-based) of `total`. */
export function learningRate(s: ScheduleConfig, step: number, total: number): number {
  if (step < s.warmupSteps) return (s.lr * (step + 1)) / s.warmupSteps;
  const span = Math.max(1, total - s.warmupSteps);
  const progress = Math.min(1, (step - s.warmupSteps) / span);
  switch (s.kind) {
    case 'constant':
      return s.lr;
    case 'linear':
      return s.minLr + (s.lr - s.minLr) * (1 - progress);
    case 'cosine':
      return s.minLr + ((s.lr - s.minLr) * (1 + Math.cos(Math.PI * progress))) / 2;
  }
}
