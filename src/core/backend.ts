/**
 * Start the first of a list of TensorFlow.js backends that actually starts,
 * and say why the others were passed over. Entry points register backends by
 * importing them (the browser all four, Node cpu and wasm); which order to try
 * them in is measured elsewhere (worker/backend-probe.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_PREFERENCE } from './backend-names.ts';
import { installWasmKernels } from './kernels/install.ts';

export { BACKEND_PREFERENCE, type BackendName } from './backend-names.ts';

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
