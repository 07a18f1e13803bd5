/**
 * The few differentiable building blocks the model needs, each with a
 * hand-written gradient: autodiff of layer norm and cross-entropy launches many
 * more kernels than the closed forms below, and a dense layer's bias gradient
 * is cheaper as a matmul than as tfjs' Sum. Transposed products are asked for
 * with matMul's flags, never with tf.transpose: every backend reads a
 * transposed operand in place (on wasm, through kernels/wasm-batch-matmul.ts),
 * where a transpose would copy it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED, hasFused } from './kernels/fused.ts';
import { denseFits } from './kernels/wasm-dense.ts';
import { layerNormFits } from './kernels/wasm-layer-norm.ts';
import { attentionFits } from './kernels/wasm-attention.ts';
import { dropoutFits } from './kernels/wasm-dropout.ts';

type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[];
type OpBody = (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc };

/** tf.customGrad with the inputs as an array (its own signature mixes them with `save`). */
function customOp(body: OpBody): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad(((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const save = args.pop() as tf.GradSaveFunc;
    return body(args as tf.Tensor[], save);
  }) as Parameters<typeof tf.customGrad>[0]);
}

/**
 * Column sums of y [N, k] as a [1, N] x [N, k] matmul: wasm's Sum over axis 0
 * transposes first and is ~20x slower than this.
 */
function columnSum(y: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, y.shape[0]]), y), [y.shape[1]]);
}

const denseOp = customOp(([x, w, b], save) => {
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    gradFunc: (dy, [xs, ws]) => [
      tf.matMul(dy as tf.Tensor2D, ws as tf.Tensor2D, false, true), // dx [N, in] = dy W^T
      tf.matMul(xs as tf.Tensor2D, dy as tf.Tensor2D, true, false), //  dW [in, out] = x^T dy
      columnSum(dy as tf.Tensor2D), //                                  db [out]
    ],
  };
});

export type Activation = 'linear' | 'relu';

/** y = x W + b, then the activation, for x [N, in], W [in, out] (PyTorch's weight, transposed), b [out]. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: Activation = 'linear'): tf.Tensor2D {
  if (hasFused(FUSED.dense) && denseFits(w.shape[0], w.shape[1])) {
    // One kernel forward and one backward (wasm): bias and ReLU inside the product.
    return tf.engine().runKernel(activation === 'relu' ? FUSED.denseRelu : FUSED.dense, { x, w, b }) as tf.Tensor2D;
  }
  const y = denseOp(x, w, b) as tf.Tensor2D;
  return activation === 'relu' ? tf.relu(y) : y;
}

/**
 * Embedding lookup as a one-hot matmul: `oneHot` [N, V] (a constant) times the
 * table [V, d]. tf.gather has no gradient on wasm (no UnsortedSegmentSum).
 */
export function embed(oneHot: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  // Tensors a gradient needs go through save(): closures would see them freed by tidy.
  const op = customOp(([e], save) => {
    save([oneHot]);
    return {
      value: tf.matMul(oneHot, e as tf.Tensor2D),
      gradFunc: (dy, [oh]) => [tf.matMul(oh as tf.Tensor2D, dy as tf.Tensor2D, true, false)], // onehot^T dy
    };
  });
  return op(table) as tf.Tensor2D;
}

const layerNormOp = (eps: number) =>
  customOp(([x, g, b], save) => {
    const xc = tf.sub(x, tf.mean(x, -1, true));
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps)); // [N, 1]
    const xhat = tf.mul(xc, rstd);
    save([xhat, rstd, g]);
    return {
      value: tf.add(tf.mul(xhat, g), b),
      gradFunc: (dy, [xh, rs, gs]) => {
        const dxhat = tf.mul(dy, gs);
        const centred = tf.sub(dxhat, tf.mean(dxhat, -1, true));
        const dx = tf.mul(rs, tf.sub(centred, tf.mul(xh, tf.mean(tf.mul(dxhat, xh), -1, true))));
        return [dx, columnSum(tf.mul(dy, xh) as tf.Tensor2D), columnSum(dy as tf.Tensor2D)];
      },
    };
  });
const layerNormOps = new Map<number, ReturnType<typeof layerNormOp>>();

/** LayerNorm over the last axis of x [N, d], with PyTorch's biased variance. */
export function layerNorm(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): tf.Tensor2D {
  if (hasFused(FUSED.layerNorm) && layerNormFits(x.shape[1])) {
    // One kernel forward and one backward (wasm).
    return tf.engine().runKernel(FUSED.layerNorm, { x, gamma, beta }, { eps }) as tf.Tensor2D;
  }
  let op = layerNormOps.get(eps);
  if (!op) layerNormOps.set(eps, (op = layerNormOp(eps)));
  return op(x, gamma, beta) as tf.Tensor2D;
}

/** Inverted dropout with its mask: x * keep, keep 0 or 1/(1-p). */
export function dropped<T extends tf.Tensor>(x: T, keep: tf.Tensor): T {
  if (hasFused(FUSED.dropout) && dropoutFits(x.size)) return tf.engine().runKernel(FUSED.dropout, { x, keep }) as T; // one pass, saves only the mask
  return tf.mul(x, keep) as T;
}

/** A residual sum with dropout on what is added: h + x * keep. */
export function addDropped<T extends tf.Tensor>(h: T, x: T, keep: tf.Tensor): T {
  if (hasFused(FUSED.residualDropout) && dropoutFits(x.size)) return tf.engine().runKernel(FUSED.residualDropout, { h, x, keep }) as T;
  return tf.add(h, tf.mul(x, keep)) as T;
}

export interface AttendOptions {
  /** Dropout's multipliers for the attention weights [H*B, L, L] (head-major): 0 or 1/(1-p). */
  readonly keep?: tf.Tensor3D | null;
  /** Let position i attend only to j <= i (the GPT contrast the lesson shows). */
  readonly causal?: boolean;
  /** Receives the attention weights [H*B, L, L] (before dropout), kept past any tidy: the caller disposes them. */
  readonly weights?: tf.Tensor3D[];
}

/**
 * Multi-head self-attention's core for qkv [B*L, 3d] (PyTorch's packed q, k,
 * v; H heads of dh = d/H): softmax(q k^T / sqrt(dh)) v for each head of each
 * sequence, with dropout on the weights, and the heads merged back into
 * [B*L, d] as PyTorch concatenates them.
 */
export function attend(qkv: tf.Tensor2D, B: number, H: number, opts: AttendOptions = {}): tf.Tensor2D {
  const N = qkv.shape[0],
    L = N / B,
    d = qkv.shape[1] / 3,
    dh = d / H;
  if (hasFused(FUSED.attention) && !opts.causal && !opts.weights && attentionFits(L, dh)) {
    // Every head in one kernel forward and one backward (wasm).
    const attrs = { batch: B, heads: H };
    return (
      opts.keep
        ? tf.engine().runKernel(FUSED.attentionDropout, { qkv, keep: opts.keep }, attrs)
        : tf.engine().runKernel(FUSED.attention, { qkv }, attrs)
    ) as tf.Tensor2D;
  }
  // [B, L, 3H, dh] -> [3H, B, L, dh] -> q, k, v each [H*B, L, dh]
  const heads = tf.reshape(tf.transpose(tf.reshape(qkv, [B, L, 3 * H, dh]), [2, 0, 1, 3]), [3, H * B, L, dh]);
  const [q, k, v] = tf.unstack(heads) as tf.Tensor3D[];
  let scores = tf.matMul(tf.mul(q, 1 / Math.sqrt(dh)), k, false, true); // [H*B, L, L]
  if (opts.causal) scores = tf.add(scores, causalBias(L));
  let attn = tf.softmax(scores);
  if (opts.weights) opts.weights.push(tf.keep(attn as tf.Tensor3D));
  if (opts.keep) attn = tf.mul(attn, opts.keep);
  const ctx = tf.matMul(attn, v); // [H*B, L, dh]
  // [H, B, L, dh] -> [B, L, H, dh] -> [N, d]: head h fills dims h*dh..(h+1)*dh.
  return tf.reshape(tf.transpose(tf.reshape(ctx, [H, B, L, dh]), [1, 2, 0, 3]), [N, d]) as tf.Tensor2D;
}

/** 0 on and below the diagonal, -1e9 above: position i sees only j <= i. */
function causalBias(L: number): tf.Tensor2D {
  const bias = new Float32Array(L * L);
  for (let i = 0; i < L; i++) for (let j = i + 1; j < L; j++) bias[i * L + j] = -1e9;
  return tf.tensor2d(bias, [L, L]);
}

/**
 * Weighted cross-entropy, sum_i w_i * -log softmax(logits_i)[target_i], for
 * logits [N, V]. `targetOneHot` [N, V] and `weights` [N] are constants: the
 * objective chooses the weights (1/#masked at masked positions for the
 * notebook's mean, 0 elsewhere).
 */
export function weightedCrossEntropy(logits: tf.Tensor2D, targetOneHot: tf.Tensor2D, weights: tf.Tensor1D): tf.Scalar {
  if (hasFused(FUSED.crossEntropy)) {
    // One kernel each way (wasm), in float64 inside.
    return tf.engine().runKernel(FUSED.crossEntropy, { logits, target: targetOneHot, weights }) as tf.Scalar;
  }
  const w = tf.expandDims(weights, 1); // [N, 1]
  const op = customOp(([z], save) => {
    const logp = tf.logSoftmax(z);
    save([logp, targetOneHot, w]);
    return {
      value: tf.neg(tf.sum(tf.mul(tf.mul(logp, targetOneHot), w))),
      gradFunc: (dy, [lp, y, ws]) => [tf.mul(tf.mul(tf.sub(tf.exp(lp), y), ws), dy)],
    };
  });
  return op(logits) as tf.Scalar;
}
