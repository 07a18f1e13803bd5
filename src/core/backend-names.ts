/** The TensorFlow.js backends the lesson knows, by name: plain data, so the page can list them without loading tfjs. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Fastest first on typical hardware: GPU compute, GPU graphics, SIMD wasm, plain JS. The lesson measures rather than trusts this order. */
export const BACKEND_PREFERENCE: readonly BackendName[] = Object.freeze(['webgpu', 'webgl', 'wasm', 'cpu']);
