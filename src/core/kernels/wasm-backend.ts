/**
 * What our kernels use of tfjs-backend-wasm's BackendWasm, and how a kernel
 * module of ours joins it: each .wat module imports the backend's own memory,
 * so it reads and writes tensors where they lie, without copies.
 */
import * as tf from '@tensorflow/tfjs-core';

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

/** Compile one of our modules against the backend's memory; throws where that cannot work (no SIMD, shared memory). */
export function instantiate<T>(bytes: Uint8Array, backend: WasmBackend): T {
  const memory = backend.wasm.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('this tfjs wasm build does not expose its memory');
  // Small enough to compile synchronously even on a page's main thread.
  const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes as BufferSource), { env: { memory } });
  return instance.exports as unknown as T;
}

/**
 * Add a kernel tfjs does not have to the wasm backend, on a module of ours
 * compiled against that backend's memory (again for each fresh backend).
 * Returns null when it is in place, else why not.
 */
export function registerWasmKernel<T>(kernelName: string, bytes: Uint8Array, kernelFunc: (module: T, args: Parameters<tf.KernelFunc>[0]) => ReturnType<tf.KernelFunc>): string | null {
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  if (!backend) return 'the wasm backend is not registered';
  let module: T;
  try {
    module = instantiate<T>(bytes, backend);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    setupFunc: (b) => void (module = instantiate<T>(bytes, b as unknown as WasmBackend)),
    kernelFunc: (args) => kernelFunc(module, args),
  });
  return null;
}
