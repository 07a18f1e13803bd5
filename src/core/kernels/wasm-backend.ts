/**
 * What our kernels use of tfjs-backend-wasm's BackendWasm, and how a kernel
 * module of ours joins it: each .wat module imports the backend's own memory,
 * so it reads and writes tensors where they lie, without copies.
 */
import * as tf from '@tensorflow/tfjs-core';
import { errorMessage } from '../error-message.ts';

/** The parts of tfjs-backend-wasm's BackendWasm our kernels use. */
export interface WasmBackend {
  wasm: { asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: object): boolean;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  incRef(dataId: object): void;
}

/** Byte offset of a tensor's data in wasm memory. */
export function memoryOffset(backend: WasmBackend, t: tf.TensorInfo): number {
  return backend.dataIdMap.get(t.dataId)!.memoryOffset;
}

/**
 * Which build of our modules runs: with relaxed SIMD's fused multiply-add, or
 * the plain-SIMD twin `npm run kernels` writes for engines without it.
 */
export type SimdVariant = 'fused multiply-add' | 'plain SIMD';

/** A module's two builds; `plain` is absent where the module has nothing relaxed. */
export interface ModuleBytes {
  readonly bytes: Uint8Array;
  readonly plain?: Uint8Array;
}

/** One of our modules, compiled against the wasm backend's memory. */
export class WasmModule<T> {
  exports: T | null = null;

  constructor(readonly build: ModuleBytes) {
    modules.push(this as WasmModule<unknown>);
  }

  /** Compile against `backend`'s memory; throws where that cannot work (no SIMD, shared memory). */
  start(backend: WasmBackend): T {
    const memory = backend.wasm.asm?.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new Error('this tfjs wasm build does not expose its memory');
    const bytes = variant === 'plain SIMD' && this.build.plain ? this.build.plain : this.build.bytes;
    // Small enough to compile synchronously even on a page's main thread.
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), { env: { memory } });
    return (this.exports = instance.exports as unknown as T);
  }
}

const modules: Array<WasmModule<unknown>> = [];

/** A module with relaxed SIMD, to ask the engine whether it has it. */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 61, 1, 59, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 133, 2, 11,
]); // (module (func (result v128) (f32x4.relaxed_madd (v128.const 0) (v128.const 0) (v128.const 0))))

/** The build this engine can run: fused multiply-add where relaxed SIMD validates. */
export function bestSimdVariant(): SimdVariant {
  return WebAssembly.validate(RELAXED_PROBE as BufferSource) ? 'fused multiply-add' : 'plain SIMD';
}

let variant: SimdVariant = 'plain SIMD';

export function simdVariant(): SimdVariant {
  return variant;
}

/**
 * Choose the build of every module, and recompile those already running on
 * the wasm backend (tests run both). Returns the build that was in use.
 */
export function useSimdVariant(next: SimdVariant): SimdVariant {
  const was = variant;
  variant = next;
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  if (backend) for (const m of modules) if (m.exports) m.start(backend);
  return was;
}

/**
 * Add a kernel tfjs does not have to the wasm backend, on a module of ours
 * (started again on each fresh backend). Returns null when it is in place,
 * else why not.
 */
export function registerWasmKernel<T>(
  kernelName: string,
  module: WasmModule<T>,
  kernelFunc: (module: T, args: Parameters<tf.KernelFunc>[0]) => ReturnType<tf.KernelFunc>,
): string | null {
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  if (!backend) return 'the wasm backend is not registered';
  try {
    module.start(backend);
  } catch (e) {
    return errorMessage(e);
  }
  if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    setupFunc: (b) => void module.start(b as unknown as WasmBackend),
    kernelFunc: (args) => kernelFunc(module.exports!, args),
  });
  return null;
}

/** Decide the build once, before the first module starts. */
export function chooseSimdVariant(): SimdVariant {
  variant = bestSimdVariant();
  return variant;
}
