/** Node set-up for the engine: register the backends Node can run and pick one. */
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { enableProdMode } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { selectBackend, type BackendChoice } from '../core/backend.ts';
import { bestSimdVariant } from '../core/kernels/wasm-backend.ts';

// Gradients: tfjs-core's ESM registration file uses directory imports that
// Node's own ESM loader refuses; the CommonJS @tensorflow/tfjs registers the
// same gradients into tfjs' global registry.
createRequire(import.meta.url)('@tensorflow/tfjs');
// Production mode: no debug checks, and no banner urging tfjs-node (whose
// native download is not an option for this project).
enableProdMode();
// Relaxed SIMD gives our wasm matrix products a fused multiply-add (1.3x faster
// here). Chromium and Node 22 have it on; Node 20 has it behind this flag, which
// counts for every module compiled after it, so before the wasm backend starts.
if (bestSimdVariant() === 'plain SIMD') setFlagsFromString('--experimental-wasm-relaxed-simd');

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;

/** Use `name` if given (it must start), else the best of wasm then cpu. */
export async function useNodeBackend(name?: string): Promise<BackendChoice> {
  if (name !== undefined && !(NODE_BACKENDS as readonly string[]).includes(name)) {
    throw new RangeError(`--backend must be one of ${NODE_BACKENDS.join(', ')} in Node, got "${name}"`);
  }
  return selectBackend(name ? [name] : NODE_BACKENDS);
}
