/**
 * Pick the fastest TensorFlow.js backend that actually starts, and say why.
 * Entry points register backends by importing them (the browser all four,
 * Node cpu and wasm); this module only chooses among the registered ones.
 */
import * as tf from '@tensorflow/tfjs-core';
import { installWasmKernels } from './kernels/install.ts';

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Fastest first: GPU compute, GPU graphics, SIMD wasm, plain JS. */
export const BACKEND_PREFERENCE: readonly BackendName[] = Object.freeze(['webgpu', 'webgl', 'wasm', 'cpu']);

/** The backends a `?backend=a,b` query asks for (used to test fallbacks), or all of them, fastest first. */
export function requestedBackends(search: string): string[] {
  const wanted = new URLSearchParams(search).get('backend');
  return wanted ? wanted.split(',').filter(Boolean) : [...BACKEND_PREFERENCE];
}

export interface BackendAttempt {
  readonly name: string;
  readonly ok: boolean;
  readonly reason?: string;
}

export interface BackendChoice {
  readonly name: string;
  /** Kernels of our own in use on this backend, in words (wasm only), else absent. */
  readonly kernels?: string;
  /** Every backend tried, in order, with why it was passed over. */
  readonly attempts: readonly BackendAttempt[];
}

export class BackendError extends Error {
  override name = 'BackendError';
}

/** Try each candidate in order; the first that initialises wins. */
export async function selectBackend(candidates: readonly string[] = BACKEND_PREFERENCE): Promise<BackendChoice> {
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    if (!tf.findBackendFactory(name)) {
      attempts.push({ name, ok: false, reason: 'not available in this build' });
      continue;
    }
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        attempts.push({ name, ok: true });
        return name === 'wasm' ? { name, attempts, kernels: installWasmKernels() } : { name, attempts };
      }
      attempts.push({ name, ok: false, reason: 'failed to initialise (no device or no support)' });
    } catch (e) {
      attempts.push({ name, ok: false, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  const tried = attempts.map((a) => `${a.name}: ${a.reason}`).join('; ');
  throw new BackendError(`no TensorFlow.js backend could start (${tried})`);
}

/** One line for learners: what this backend means for training time. */
export function describeBackend(name: string): string {
  switch (name) {
    case 'webgpu':
      return 'WebGPU: your GPU through its compute API, the fastest way to train here.';
    case 'webgl':
      return 'WebGL: your GPU through the graphics API, fast enough to train live.';
    case 'wasm':
      return 'WebAssembly on the CPU: works everywhere, but training runs several times slower than on a GPU.';
    case 'cpu':
      return 'Plain JavaScript on the CPU: the slowest choice, kept as a last resort; expect seconds per training step.';
    default:
      return `${name}: an unrecognised backend.`;
  }
}
