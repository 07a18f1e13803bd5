/**
 * Model <-> safetensors bytes, PyTorch-compatible both ways. Loading is
 * all-or-nothing: the file is fully checked before any weight changes.
 */
import type { DiffusionLM } from './model.ts';
import { decodeSafetensors, readWeights, writeWeights } from './weights.ts';

/** Serialise the model's weights (PyTorch names and layout) with string metadata. */
export async function saveWeights(model: DiffusionLM, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  return writeWeights(await model.stateDict(), model.config, metadata);
}

/**
 * Load a weights file into the model and return its metadata. Throws
 * WeightsError, naming the problem, and leaves the model untouched if the
 * file is not a valid checkpoint for this model.
 */
export function loadWeights(model: DiffusionLM, bytes: Uint8Array): Record<string, string> {
  const weights = readWeights(bytes, model.config);
  model.loadStateDict(weights);
  return decodeSafetensors(bytes).metadata;
}
