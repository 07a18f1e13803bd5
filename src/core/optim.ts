/**
 * PyTorch's AdamW, CosineAnnealingLR and clip_grad_norm_, which tfjs lacks.
 *
 * A step is staged, checked, then committed: if the loss, the gradient norm
 * or any new weight is NaN or infinite, nothing changes and the model keeps
 * its last good weights.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED, hasFused } from './kernels/fused.ts';
import type { AdamWStepAttrs } from './kernels/wasm-adamw.ts';

export interface AdamWConfig {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Max global L2 norm of the gradient (clip_grad_norm_); null for no clipping. */
  readonly clipNorm: number | null;
}

export const TORCH_ADAMW: AdamWConfig = Object.freeze({ beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, clipNorm: 1.0 });

/**
 * An update computed but not yet applied: the new moments and weights, plus
 * the scalars that decide whether to apply it. Tensors here are owned by the
 * optimizer until `commit` or `discard`.
 */
export type StagedUpdate = {
  /** [loss or 0, global grad norm before clipping, 1 if every new value is finite]. */
  readonly check: tf.Tensor1D;
  readonly m: tf.Tensor[];
  readonly v: tf.Tensor[];
  readonly params: tf.Tensor[];
};

export interface AdamWState {
  readonly step: number;
  readonly m: Float32Array;
  readonly v: Float32Array;
}

/**
 * AdamW over a list of variables, PyTorch's update order and bias correction.
 *
 * Moments live per variable: on wasm, slicing a flat buffer back into 43
 * variables costs ~30 ms a step (each slice copies its whole source), while 43
 * small update chains cost ~10 ms. The global norm is still taken on one
 * concatenated vector (a cheap op).
 */
export class AdamW {
  private readonly vars: tf.Variable[];
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];
  /** Parameter count rounded up to whole NORM_BLOCKs. */
  private readonly padded: number;
  /** Optimizer steps applied (PyTorch's per-parameter `step`, shared here). */
  step = 0;

  constructor(
    vars: tf.Variable[],
    readonly config: AdamWConfig = TORCH_ADAMW,
  ) {
    this.vars = vars;
    const n = vars.reduce((a, x) => a + x.size, 0);
    this.padded = Math.ceil(n / NORM_BLOCK) * NORM_BLOCK;
    this.m = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
    this.v = tf.tidy(() => vars.map((x) => tf.variable(tf.zerosLike(x), false)));
  }

  /**
   * Compute one step from gradients aligned with the variables, without
   * applying it. `loss` joins the finiteness check.
   */
  stage(grads: tf.Tensor[], lr: number, loss?: tf.Scalar): StagedUpdate {
    if (grads.length !== this.vars.length) throw new Error(`expected ${this.vars.length} gradients, got ${grads.length}`);
    const { beta1, beta2, eps, weightDecay, clipNorm } = this.config;
    const t = this.step + 1;
    const bc1 = 1 - beta1 ** t;
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    if (hasFused(FUSED.adamW)) {
      // The same step in one kernel (wasm): a dozen launches a parameter cost more than its arithmetic.
      const inputs: tf.NamedTensorMap = loss ? { loss } : {};
      grads.forEach((g, i) => Object.assign(inputs, { [`g${i}`]: g, [`p${i}`]: this.vars[i], [`m${i}`]: this.m[i], [`v${i}`]: this.v[i] }));
      const attrs: AdamWStepAttrs = { count: grads.length, lr, beta1, beta2, eps, weightDecay, clipNorm: clipNorm ?? -1, bc1, bc2Sqrt };
      const [check, ...rest] = tf.engine().runKernel(FUSED.adamW, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const n = grads.length;
      return { check: check as tf.Tensor1D, params: rest.slice(0, n), m: rest.slice(n, 2 * n), v: rest.slice(2 * n) };
    }
    return tf.tidy(() => {
      const gradNorm = blockNorm(tf.concat(grads.map((g) => tf.reshape(g, [-1]))), this.padded);
      // clip_grad_norm_: scale by min(1, max_norm / (norm + 1e-6)).
      const coef = clipNorm === null ? tf.scalar(1) : tf.minimum(1, tf.div(clipNorm, tf.add(gradNorm, 1e-6)));
      const m: tf.Tensor[] = [],
        v: tf.Tensor[] = [],
        params: tf.Tensor[] = [];
      grads.forEach((grad, i) => {
        const g = tf.mul(grad, coef);
        m.push(tf.add(tf.mul(this.m[i], beta1), tf.mul(g, 1 - beta1)));
        v.push(tf.add(tf.mul(this.v[i], beta2), tf.mul(tf.square(g), 1 - beta2)));
        const denom = tf.add(tf.div(tf.sqrt(v[i]), bc2Sqrt), eps);
        params.push(tf.sub(tf.mul(this.vars[i], 1 - lr * weightDecay), tf.mul(tf.div(m[i], denom), lr / bc1)));
      });
      const finite = tf.all(tf.isFinite(tf.concat(params.map((p) => tf.reshape(p, [-1])))));
      const lossValue = loss ?? tf.scalar(0);
      const ok = tf.logicalAnd(finite, tf.logicalAnd(tf.isFinite(gradNorm), tf.isFinite(lossValue)));
      return { check: tf.stack([lossValue, gradNorm, tf.cast(ok, 'float32')]) as tf.Tensor1D, m, v, params };
    });
  }

  /** Apply a staged update and count the step. */
  commit(u: StagedUpdate): void {
    this.vars.forEach((x, i) => {
      x.assign(u.params[i]);
      this.m[i].assign(u.m[i]);
      this.v[i].assign(u.v[i]);
    });
    this.step++;
    this.discard(u);
  }

  /** Drop a staged update: the model keeps its current weights. */
  discard(u: StagedUpdate): void {
    tf.dispose([u.check, ...u.m, ...u.v, ...u.params]);
  }

  async getState(): Promise<AdamWState> {
    const flat = async (xs: tf.Variable[]) => {
      const t = tf.tidy(() => tf.concat(xs.map((x) => tf.reshape(x, [-1])))); // the reshapes are views to free too
      try {
        return (await t.data()) as Float32Array;
      } finally {
        t.dispose();
      }
    };
    return { step: this.step, m: await flat(this.m), v: await flat(this.v) };
  }

  setState(state: AdamWState): void {
    const n = this.m.reduce((a, x) => a + x.size, 0);
    if (state.m.length !== n || state.v.length !== n) {
      throw new Error(`optimizer state has ${state.m.length} values, expected ${n}`);
    }
    tf.tidy(() => {
      let offset = 0;
      this.m.forEach((x, i) => {
        x.assign(tf.tensor(state.m.subarray(offset, offset + x.size), x.shape));
        this.v[i].assign(tf.tensor(state.v.subarray(offset, offset + x.size), x.shape));
        offset += x.size;
      });
    });
    this.step = state.step;
  }

  dispose(): void {
    tf.dispose([...this.m, ...this.v]);
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
  /**
   * 'cosine' is PyTorch's CosineAnnealingLR(T_max = total steps, eta_min = 0).
   * 'constant-cosine' holds lr, then follows a cosine to minLr over the last
   * `decayFraction` of the steps after warm-up ("warm-up, stable, decay"):
   * the model keeps learning at full rate until the end is near, and the
   * final descent anneals the step-to-step noise away.
   */
  readonly kind: 'cosine' | 'linear' | 'constant' | 'constant-cosine';
  readonly minLr: number;
  /** 'constant-cosine' only: the share of the post-warm-up steps spent decaying, in (0, 1]; 1 is 'cosine'. */
  readonly decayFraction?: number;
}

/** The whole schedule: the learning rate of every optimizer step of a `total`-step run. */
export function learningRates(s: ScheduleConfig, total: number): number[] {
  return Array.from({ length: total }, (_, step) => learningRate(s, step, total));
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
    case 'constant-cosine': {
      const f = s.decayFraction ?? 1;
      if (!(f > 0 && f <= 1)) throw new RangeError(`decayFraction must be in (0, 1], got ${f}`);
      const q = Math.max(0, (progress - (1 - f)) / f);
      return s.minLr + ((s.lr - s.minLr) * (1 + Math.cos(Math.PI * q))) / 2;
    }
  }
}
