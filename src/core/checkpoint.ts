/**
 * Model <-> safetensors bytes, PyTorch-compatible both ways. Loading is
 * all-or-nothing: the file is fully checked before any weight changes. Every
 * file records the options a load needs (its time input), so a model saved
 * from one variant does not come back as another.
 */
import { DEFAULT_MODEL, type ModelConfig } from './config.ts';
import { errorMessage } from './error-message.ts';
import type { DiffusionLM } from './model.ts';
import { optionsFromMetadata, optionsMetadata, type ModelOptions } from './model-options.ts';
import { decodeSafetensors, readWeights, WeightsError, writeWeights } from './weights.ts';

export interface Checkpoint {
  /** PyTorch-layout weights by state_dict name. */
  readonly weights: Map<string, Float32Array>;
  readonly options: ModelOptions;
  readonly metadata: Record<string, string>;
}

/** Read and check a weights file without touching any model (pure: no tfjs). Throws WeightsError naming the problem. */
export function readCheckpoint(bytes: Uint8Array, config: ModelConfig = DEFAULT_MODEL): Checkpoint {
  const weights = readWeights(bytes, config);
  const metadata = decodeSafetensors(bytes).metadata;
  try {
    return { weights, options: optionsFromMetadata(metadata), metadata };
  } catch (e) {
    throw new WeightsError(`weights file metadata: ${errorMessage(e)}`);
  }
}

/** A weights file for `weights` that records `options` beside the caller's metadata. */
export function writeCheckpoint(
  weights: ReadonlyMap<string, Float32Array>,
  options: ModelOptions,
  metadata: Record<string, string> = {},
  config: ModelConfig = DEFAULT_MODEL,
): Uint8Array {
  return writeWeights(weights, config, { ...metadata, ...optionsMetadata(options) });
}

/** Serialise the model's weights (PyTorch names and layout) with string metadata and its options. */
export async function saveWeights(model: DiffusionLM, metadata: Record<string, string> = {}): Promise<Uint8Array> {
  return writeCheckpoint(await model.stateDict(), { timeInput: model.timeInput }, metadata, model.config);
}

/**
 * Load a weights file into the model and return its metadata. Throws
 * WeightsError, naming the problem, and leaves the model untouched if the
 * file is not a valid checkpoint for this model, or was saved from a model
 * with another time input.
 */
export function loadWeights(model: DiffusionLM, bytes: Uint8Array): Record<string, string> {
  const { weights, options, metadata } = readCheckpoint(bytes, model.config);
  if (options.timeInput !== model.timeInput) {
    throw new WeightsError(`weights file was saved from a model with time input "${options.timeInput}", this one has "${model.timeInput}"`);
  }
  model.loadStateDict(weights);
  return metadata;
}
