/**
 * Dropout masks drawn in wasm (dropout-mask.wat) from the same generator
 * stream as Rng.keepMask, straight into the mask tensor's memory, for tfjs'
 * wasm backend.
 *
 * Kernel `UnmaskDropoutMask`, no inputs, attrs {shape, rate, state: the Rng's
 * four words} -> [mask float32 shape: 0 or 1/(1-rate), state int32 [4]: the
 * generator's state after the draws]. keepMaskTensor runs it and moves the
 * Rng on, or draws in JavaScript on backends without it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.ts';
import { WASM_BYTES } from './dropout-mask.wasm.ts';
import { FUSED, hasFused } from './fused.ts';
import { memoryOffset, registerWasmKernel, WasmModule, type WasmBackend } from './wasm-backend.ts';

interface Module {
  keepMask(out: number, n: number, cut: number, kept: number, state: number): void;
}

interface MaskAttrs {
  readonly shape: number[];
  readonly rate: number;
  readonly state: number[];
}

const module = new WasmModule<Module>({ bytes: WASM_BYTES });

function drawMask(k: Module, { attrs, backend: b }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const backend = b as unknown as WasmBackend;
  const { shape, rate, state } = attrs as unknown as MaskAttrs;
  const mask = backend.makeOutput(shape, 'float32');
  const words = backend.makeOutput([4], 'int32');
  backend.typedArrayFromHeap(words).set(state.map((v) => v | 0));
  // As Rng.keepMask: keep where the draw is at least rate * 2^32; rate 1 keeps nothing.
  const cut = Math.max(0, Math.ceil(rate * 4294967296));
  const kept = cut >= 4294967296 ? 0 : 1 / (1 - rate);
  k.keepMask(memoryOffset(backend, mask), tf.util.sizeFromShape(shape), Math.min(cut, 4294967295) | 0, kept, memoryOffset(backend, words));
  return [mask, words];
}

/** Add the mask kernel to the wasm backend. */
export function installWasmDropoutMask(): string {
  const failed = registerWasmKernel(FUSED.dropoutMask, module, drawMask);
  return failed === null ? 'dropout masks drawn in wasm' : `dropout masks drawn in JavaScript (${failed})`;
}

/**
 * Inverted dropout's multipliers for a tensor of `shape`: 0, or 1/(1-rate)
 * where kept, from `rng`'s next draws (one a value, as Rng.keepMask). The
 * caller owns the tensor.
 */
export function keepMaskTensor(shape: number[], rate: number, rng: Rng): tf.Tensor {
  if (!hasFused(FUSED.dropoutMask)) return tf.tensor(rng.keepMask(new Float32Array(tf.util.sizeFromShape(shape)), rate, 1 / (1 - rate)), shape);
  const [mask, state] = tf
    .engine()
    .runKernel(FUSED.dropoutMask, {}, { shape, rate, state: rng.getState() } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  rng.setState(Array.from(state.dataSync()));
  state.dispose();
  return mask;
}
