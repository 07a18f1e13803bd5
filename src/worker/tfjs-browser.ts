/**
 * Browser entry for TensorFlow.js, for the page and its workers: register all
 * four backends and the gradients, point wasm at its bundled binaries, then
 * pick the best backend.
 */
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-webgpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-cpu';
import { env } from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_PREFERENCE, selectBackend, type BackendChoice } from '../core/backend.ts';

// The threaded wasm build starts its workers from a blob of the bundled script,
// which breaks once minified ("e is not defined"); and measured here, two
// threads lose to one on a busy 2-core machine anyway. Single-threaded SIMD it is.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

/** Start the first of `candidates` that works here (page or worker, fastest first), and say why others were passed over. */
export function startBackend(candidates: readonly string[] = BACKEND_PREFERENCE): Promise<BackendChoice> {
  return selectBackend(candidates);
}
