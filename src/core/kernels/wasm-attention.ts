/**
 * Multi-head self-attention's core, softmax(q k^T / sqrt(dh)) v for every head
 * of every sequence with the weights' dropout, as one wasm kernel forward and
 * one backward (attention.wat), for tfjs' wasm backend.
 *
 * In tfjs ops (ops.ts) it is a transpose and split of q, k, v, a scaling, two
 * batched products (one transposing k first), a softmax, a dropout multiply
 * and a transpose to merge the heads, and backward more than twice that. The
 * kernel reads q, k, v where the in-projection wrote them and writes the heads
 * merged; backward it works the weights out again rather than keeping them.
 *
 * Kernels: `UnmaskAttention` {qkv [N, 3d]} and `UnmaskAttentionDropout` {qkv,
 * keep [H*B, L, L]} -> ctx [N, d], attrs {batch, heads}; their gradient
 * `UnmaskAttentionGrad` {dy, qkv, keep?} -> dqkv. Sequence length and head size
 * must be whole SIMD lanes (attentionFits).
 */
import * as tf from '@tensorflow/tfjs-core';
import { WASM_BYTES, WASM_BYTES_PLAIN } from './attention.wasm.ts';
import { FUSED } from './fused.ts';
import { memoryOffset, registerWasmKernel, WasmModule, type WasmBackend } from './wasm-backend.ts';

interface Module {
  forward(qkv: number, keep: number, ctx: number, scratch: number, B: number, L: number, H: number, dh: number, scale: number): void;
  backward(qkv: number, keep: number, dctx: number, dqkv: number, scratch: number, B: number, L: number, H: number, dh: number, scale: number): void;
}

export interface AttentionAttrs {
  /** Sequences B; qkv holds B*L positions. */
  readonly batch: number;
  readonly heads: number;
}

/** True when the fused kernels take sequences of `L` positions and heads of `dh` dims. */
export function attentionFits(L: number, dh: number): boolean {
  return L > 0 && dh > 0 && L % 4 === 0 && dh % 4 === 0;
}

const module = new WasmModule<Module>({ bytes: WASM_BYTES, plain: WASM_BYTES_PLAIN });

type Args = Parameters<tf.KernelFunc>[0];

/** B, L, H, dh and the softmax's scale 1/sqrt(dh) for qkv [B*L, 3*H*dh]. */
function sizes(qkv: tf.TensorInfo, { batch, heads }: AttentionAttrs) {
  const [N, width] = qkv.shape;
  const dh = width / 3 / heads;
  return { B: batch, L: N / batch, H: heads, dh, scale: 1 / Math.sqrt(dh) };
}

/** Run `f` with a scratch buffer of `floats` floats in wasm memory. */
function withScratch<T>(backend: WasmBackend, floats: number, f: (ptr: number) => T): T {
  const scratch = backend.makeOutput([floats], 'float32');
  try {
    return f(memoryOffset(backend, scratch));
  } finally {
    backend.disposeData(scratch.dataId);
  }
}

function forward(k: Module, { inputs, attrs, backend: b }: Args): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const { qkv, keep } = inputs as { qkv: tf.TensorInfo; keep?: tf.TensorInfo };
  const { B, L, H, dh, scale } = sizes(qkv, attrs as unknown as AttentionAttrs);
  const ctx = backend.makeOutput([B * L, H * dh], 'float32');
  withScratch(backend, 2 * dh * L + 3 * L * L, (scratch) =>
    k.forward(memoryOffset(backend, qkv), keep ? memoryOffset(backend, keep) : 0, memoryOffset(backend, ctx), scratch, B, L, H, dh, scale),
  );
  return ctx;
}

function backward(k: Module, { inputs, attrs, backend: b }: Args): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const { dy, qkv, keep } = inputs as { dy: tf.TensorInfo; qkv: tf.TensorInfo; keep?: tf.TensorInfo };
  const { B, L, H, dh, scale } = sizes(qkv, attrs as unknown as AttentionAttrs);
  const dqkv = backend.makeOutput(qkv.shape, 'float32');
  const at = (t: tf.TensorInfo) => memoryOffset(backend, t);
  withScratch(backend, 2 * dh * L + 3 * L * L, (scratch) => k.backward(at(qkv), keep ? at(keep) : 0, at(dy), at(dqkv), scratch, B, L, H, dh, scale));
  return dqkv;
}

/** Add the fused attention kernels and their gradients to the wasm backend. */
export function installWasmAttention(): string {
  const failed =
    registerWasmKernel(FUSED.attention, module, forward) ??
    registerWasmKernel(FUSED.attentionDropout, module, forward) ??
    registerWasmKernel(FUSED.attentionGrad, module, backward);
  if (failed !== null) return `attention in tfjs ops (${failed})`;
  // Two forward kernels because tfjs saves inputs by name: with dropout, keep too.
  for (const [kernelName, inputsToSave] of [
    [FUSED.attention, ['qkv']],
    [FUSED.attentionDropout, ['qkv', 'keep']],
  ] as const) {
    tf.registerGradient({
      kernelName,
      inputsToSave: [...inputsToSave],
      gradFunc: (dy, [qkv, keep], attrs) => {
        const inputs: tf.NamedTensorMap = keep ? { dy: dy as tf.Tensor, qkv, keep } : { dy: dy as tf.Tensor, qkv };
        const dqkv = tf.engine().runKernel(FUSED.attentionGrad, inputs, attrs) as tf.Tensor;
        return { qkv: () => dqkv };
      },
    });
  }
  return 'one-pass attention';
}
