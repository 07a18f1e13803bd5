/**
 * Layer norm as one wasm kernel forward and one backward (layer-norm.wat), for
 * tfjs' wasm backend. In tfjs ops (ops.ts) it is nine kernels forward and
 * about fifteen backward, six times a step, plus customGrad's copies.
 *
 * Kernels: `UnmaskLayerNorm` {x [N, d], gamma [d], beta [d]} -> y [N, d] and
 * `UnmaskLayerNormGrad` {dy, x, gamma} -> [dx, dgamma, dbeta], both with attrs
 * {eps}. The backward pass works each row's mean and deviation out again from
 * x rather than keeping them: one more pass over a row it reads anyway. d must
 * be a whole number of SIMD lanes (layerNormFits); ops.ts uses tfjs ops otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WASM_BYTES } from './layer-norm.wasm.ts';
import { FUSED } from './fused.ts';
import { memoryOffset, registerWasmKernel, WasmModule, type WasmBackend } from './wasm-backend.ts';

interface Module {
  forward(x: number, gamma: number, beta: number, y: number, rows: number, d: number, eps: number): void;
  backward(dy: number, x: number, gamma: number, dx: number, dgamma: number, dbeta: number, rows: number, d: number, eps: number): void;
}

/** True when the fused kernels take a layer norm over `d` features. */
export function layerNormFits(d: number): boolean {
  return d > 0 && d % 4 === 0;
}

type Args = Parameters<tf.KernelFunc>[0];

const module = new WasmModule<Module>({ bytes: WASM_BYTES });

function forward(k: Module, { inputs, attrs, backend: b }: Args): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const [N, d] = x.shape;
  const y = backend.makeOutput([N, d], 'float32');
  const at = (t: tf.TensorInfo) => memoryOffset(backend, t);
  k.forward(at(x), at(gamma), at(beta), at(y), N, d, (attrs as unknown as { eps: number }).eps);
  return y;
}

function backward(k: Module, { inputs, attrs, backend: b }: Args): tf.TensorInfo[] {
  const backend = b as unknown as WasmBackend;
  const { dy, x, gamma } = inputs as Record<'dy' | 'x' | 'gamma', tf.TensorInfo>;
  const [N, d] = x.shape;
  const [dx, dgamma, dbeta] = [backend.makeOutput([N, d], 'float32'), backend.makeOutput([d], 'float32'), backend.makeOutput([d], 'float32')];
  const at = (t: tf.TensorInfo) => memoryOffset(backend, t);
  k.backward(at(dy), at(x), at(gamma), at(dx), at(dgamma), at(dbeta), N, d, (attrs as unknown as { eps: number }).eps);
  return [dx, dgamma, dbeta];
}

/** Add the fused layer norm kernels and their gradient to the wasm backend. */
export function installWasmLayerNorm(): string {
  const failed = registerWasmKernel(FUSED.layerNorm, module, forward) ?? registerWasmKernel(FUSED.layerNormGrad, module, backward);
  if (failed !== null) return `layer norm in tfjs ops (${failed})`;
  tf.registerGradient({
    kernelName: FUSED.layerNorm,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dy, [x, gamma], attrs) => {
      const [dx, dgamma, dbeta] = tf.engine().runKernel(FUSED.layerNormGrad, { dy: dy as tf.Tensor, x, gamma }, attrs) as tf.Tensor[];
      return { x: () => dx, gamma: () => dgamma, beta: () => dbeta };
    },
  });
  return 'one-pass layer norm';
}
