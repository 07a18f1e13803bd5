/**
 * The lesson's numbers in one place. Defaults are the notebook's; every other
 * module takes a `ModelConfig` / `DataConfig` rather than reading constants.
 */

export interface DataConfig {
  /** Token ids are 0..vocabSize-1; id 0 is [MASK], so real tokens are 1..vocabSize-1. */
  readonly vocabSize: number;
  readonly seqLen: number;
  /** Pattern lengths are drawn uniformly from minPeriod..maxPeriod (inclusive). */
  readonly minPeriod: number;
  readonly maxPeriod: number;
}

export interface ModelConfig {
  readonly vocabSize: number;
  readonly dModel: number;
  readonly nHeads: number;
  readonly nLayers: number;
  readonly dFF: number;
  /** Rows of the sinusoidal table (PyTorch buffer `pos_enc.pe` is [1, maxLen, dModel]). */
  readonly maxLen: number;
  readonly dropout: number;
  readonly layerNormEps: number;
}

/** [MASK] is token 0, as in the notebook. */
export const MASK_ID = 0;

export const DEFAULT_DATA: DataConfig = Object.freeze({
  vocabSize: 16,
  seqLen: 32,
  minPeriod: 2,
  maxPeriod: 4,
});

export const DEFAULT_MODEL: ModelConfig = Object.freeze({
  vocabSize: 16,
  dModel: 64,
  nHeads: 4,
  nLayers: 3,
  dFF: 256,
  maxLen: 512,
  dropout: 0.1,
  layerNormEps: 1e-5,
});

/** Thrown for any invalid setting; the message names the setting and the rule. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

function requireInt(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer in [${min}, ${max}], got ${value}`);
  }
}

export function validateDataConfig(c: DataConfig): DataConfig {
  requireInt('vocabSize', c.vocabSize, 2, 1 << 16);
  requireInt('seqLen', c.seqLen, 1, 1 << 16);
  requireInt('minPeriod', c.minPeriod, 1, c.seqLen);
  requireInt('maxPeriod', c.maxPeriod, c.minPeriod, c.seqLen);
  return c;
}

export function validateModelConfig(c: ModelConfig): ModelConfig {
  requireInt('vocabSize', c.vocabSize, 2, 1 << 16);
  requireInt('dModel', c.dModel, 2, 1 << 14);
  if (c.dModel % 2 !== 0) throw new ConfigError(`dModel must be even for sinusoidal positions, got ${c.dModel}`);
  requireInt('nHeads', c.nHeads, 1, c.dModel);
  if (c.dModel % c.nHeads !== 0) {
    throw new ConfigError(`dModel (${c.dModel}) must be divisible by nHeads (${c.nHeads})`);
  }
  requireInt('nLayers', c.nLayers, 1, 64);
  requireInt('dFF', c.dFF, 1, 1 << 16);
  requireInt('maxLen', c.maxLen, 1, 1 << 16);
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new ConfigError(`dropout must be in [0, 1), got ${c.dropout}`);
  if (!(c.layerNormEps > 0)) throw new ConfigError(`layerNormEps must be > 0, got ${c.layerNormEps}`);
  return c;
}

/** Make a data config from partial overrides, validated. */
export function dataConfig(overrides: Partial<DataConfig> = {}): DataConfig {
  return Object.freeze(validateDataConfig({ ...DEFAULT_DATA, ...overrides }));
}

/** Make a model config from partial overrides, validated. */
export function modelConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return Object.freeze(validateModelConfig({ ...DEFAULT_MODEL, ...overrides }));
}
