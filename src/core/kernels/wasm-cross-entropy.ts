/**
 * The weighted cross-entropy of ops.ts as one kernel forward and one backward
 * for tfjs' wasm backend, in JavaScript on views of wasm memory.
 *
 * In tfjs ops it is about fifteen small kernels over the [N, V] logits (a log
 * softmax's max, subtraction, exp, sum and log, two products, a sum, a
 * negation; backward an exp, a subtraction and three products). The logits are
 * only 2048 x 16 here, so plain loops in double precision cost less than the
 * launches, and are more exact: each row's log-sum-exp is worked out in
 * float64 (again in the backward pass, rather than kept).
 *
 * Kernels: `UnmaskCrossEntropy` {logits [N, V], target [N, V], weights [N]}
 * -> the loss, sum_i w_i * -sum_v target_iv log softmax(logits_i)_v;
 * `UnmaskCrossEntropyGrad` {dy, logits, target, weights} -> dlogits =
 * dy * w_i * (softmax(logits_i) - target_i).
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED } from './fused.ts';
import type { WasmBackend } from './wasm-backend.ts';

type Args = Parameters<tf.KernelFunc>[0];
type Inputs = Record<'logits' | 'target' | 'weights', tf.TensorInfo> & { dy?: tf.TensorInfo };

/** log sum_v exp(z[at + v]) for v < V, in float64. */
function logSumExp(z: Float32Array, at: number, V: number): number {
  let max = -Infinity;
  for (let v = 0; v < V; v++) max = Math.max(max, z[at + v]);
  if (max === -Infinity || max === Infinity || Number.isNaN(max)) return max;
  let sum = 0;
  for (let v = 0; v < V; v++) sum += Math.exp(z[at + v] - max);
  return max + Math.log(sum);
}

function views(backend: WasmBackend, { logits, target, weights }: Inputs) {
  const [N, V] = logits.shape;
  const view = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  return { N, V, z: view(logits), y: view(target), w: view(weights) };
}

function forward({ inputs, backend: b }: Args): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const out = backend.makeOutput([], 'float32');
  // Views after makeOutput: allocating may grow wasm memory and detach older ones.
  const { N, V, z, y, w } = views(backend, inputs as Inputs);
  let loss = 0;
  for (let i = 0, at = 0; i < N; i++, at += V) {
    // Every term, weighted 0 or not, as the tfjs ops do: a non-finite logit anywhere shows in the loss.
    const lse = logSumExp(z, at, V);
    let nll = 0;
    for (let v = 0; v < V; v++) nll += y[at + v] * (lse - z[at + v]);
    loss += w[i] * nll;
  }
  (backend.typedArrayFromHeap(out) as Float32Array)[0] = loss;
  return out;
}

function backward({ inputs, backend: b }: Args): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const { logits, dy } = inputs as Inputs;
  const dz = backend.makeOutput(logits.shape, 'float32');
  const { N, V, z, y, w } = views(backend, inputs as Inputs);
  const g = (backend.typedArrayFromHeap(dy!) as Float32Array)[0];
  const out = backend.typedArrayFromHeap(dz) as Float32Array;
  for (let i = 0, at = 0; i < N; i++, at += V) {
    const scale = g * w[i];
    const lse = logSumExp(z, at, V);
    for (let v = 0; v < V; v++) out[at + v] = scale * (Math.exp(z[at + v] - lse) - y[at + v]);
  }
  return dz;
}

/** Add the cross-entropy kernels and their gradient to the wasm backend. */
export function installWasmCrossEntropy(): string {
  if (!tf.findBackend('wasm')) return 'cross-entropy in tfjs ops (the wasm backend is not registered)';
  for (const [kernelName, kernelFunc] of [
    [FUSED.crossEntropy, forward],
    [FUSED.crossEntropyGrad, backward],
  ] as const) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc: kernelFunc as tf.KernelFunc });
  }
  tf.registerGradient({
    kernelName: FUSED.crossEntropy,
    inputsToSave: ['logits', 'target', 'weights'],
    gradFunc: (dy, [logits, target, weights]) => {
      const dz = tf.engine().runKernel(FUSED.crossEntropyGrad, { dy: dy as tf.Tensor, logits, target, weights }) as tf.Tensor;
      return { logits: () => dz };
    },
  });
  return 'one-pass cross-entropy';
}
