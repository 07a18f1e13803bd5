/**
 * Names of the fused kernels some backends have (today: wasm, ours), and the
 * one test callers use to choose between a fused kernel and the plain tfjs
 * ops that compute the same thing on every other backend.
 */
import * as tf from '@tensorflow/tfjs-core';

export const FUSED = Object.freeze({
  /** A whole AdamW step with clipping over every parameter: kernels/wasm-adamw.ts. */
  adamW: 'UnmaskAdamW',
  /** A dense layer, x W + b then ReLU if asked, and its gradient: kernels/wasm-dense.ts. */
  dense: 'UnmaskDense',
  denseRelu: 'UnmaskDenseRelu',
  denseGrad: 'UnmaskDenseGrad',
  /** Layer norm over the last axis, and its gradient: kernels/wasm-layer-norm.ts. */
  layerNorm: 'UnmaskLayerNorm',
  layerNormGrad: 'UnmaskLayerNormGrad',
  /** Multi-head attention's core, without and with dropout of the weights, and its gradient: kernels/wasm-attention.ts. */
  attention: 'UnmaskAttention',
  attentionDropout: 'UnmaskAttentionDropout',
  attentionGrad: 'UnmaskAttentionGrad',
  /** The weighted cross-entropy of ops.ts, and its gradient: kernels/wasm-cross-entropy.ts. */
  crossEntropy: 'UnmaskCrossEntropy',
  crossEntropyGrad: 'UnmaskCrossEntropyGrad',
  /** Dropout's multiply, alone and into a residual sum: kernels/wasm-dropout.ts. */
  dropout: 'UnmaskDropout',
  residualDropout: 'UnmaskResidualDropout',
  /** Dropout's mask from an Rng's stream: kernels/wasm-dropout-mask.ts. */
  dropoutMask: 'UnmaskDropoutMask',
});

/** True when the active backend has the fused kernel `name`. */
export function hasFused(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}
