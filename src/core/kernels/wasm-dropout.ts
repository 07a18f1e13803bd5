/**
 * Dropout's multiply for tfjs' wasm backend (dropout.wat): x * keep, and
 * h + x * keep for the residual sums it feeds, one kernel each.
 *
 * With tfjs' Mul and Add, each dropout in the residual stream is two launches
 * and two passes forward, and Mul saves both its inputs for its gradient
 * (two copies through clone); these save only the mask, which is all their
 * gradients need: d(x) = dy * keep, d(h) = dy.
 *
 * Kernels: `UnmaskDropout` {x, keep} -> x * keep; `UnmaskResidualDropout`
 * {h, x, keep} -> h + x * keep. Same shapes, float32, sizes a multiple of 4
 * (dropoutFits).
 */
import * as tf from '@tensorflow/tfjs-core';
import { WASM_BYTES } from './dropout.wasm.ts';
import { FUSED } from './fused.ts';
import { memoryOffset, registerWasmKernel, WasmModule, type WasmBackend } from './wasm-backend.ts';

interface Module {
  apply(x: number, keep: number, out: number, n: number): void;
  addApplied(h: number, x: number, keep: number, out: number, n: number): void;
}

/** True when the kernels take tensors of `size` values. */
export function dropoutFits(size: number): boolean {
  return size % 4 === 0;
}

const module = new WasmModule<Module>({ bytes: WASM_BYTES });

type Args = Parameters<tf.KernelFunc>[0];

function apply(k: Module, { inputs, backend: b }: Args): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const { x, keep } = inputs as Record<'x' | 'keep', tf.TensorInfo>;
  const out = backend.makeOutput(x.shape, 'float32');
  k.apply(memoryOffset(backend, x), memoryOffset(backend, keep), memoryOffset(backend, out), tf.util.sizeFromShape(x.shape));
  return out;
}

function addApplied(k: Module, { inputs, backend: b }: Args): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const { h, x, keep } = inputs as Record<'h' | 'x' | 'keep', tf.TensorInfo>;
  const out = backend.makeOutput(h.shape, 'float32');
  const at = (t: tf.TensorInfo) => memoryOffset(backend, t);
  k.addApplied(at(h), at(x), at(keep), at(out), tf.util.sizeFromShape(h.shape));
  return out;
}

/** Add the dropout kernels and their gradients to the wasm backend. */
export function installWasmDropout(): string {
  const failed = registerWasmKernel(FUSED.dropout, module, apply) ?? registerWasmKernel(FUSED.residualDropout, module, addApplied);
  if (failed !== null) return `dropout in tfjs ops (${failed})`;
  tf.registerGradient({
    kernelName: FUSED.dropout,
    inputsToSave: ['keep'],
    gradFunc: (dy, [keep]) => ({ x: () => tf.mul(dy as tf.Tensor, keep) }),
  });
  tf.registerGradient({
    kernelName: FUSED.residualDropout,
    inputsToSave: ['keep'],
    // d(h) is dy itself, given as a reshape (a new tensor on the same memory), as tfjs' Add gradient does.
    gradFunc: (dy, [keep]) => {
      const g = dy as tf.Tensor;
      return { h: () => tf.reshape(g, g.shape), x: () => tf.mul(g, keep) };
    },
  });
  return 'one-pass dropout';
}
