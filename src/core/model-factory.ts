/**
 * Every model is made here: a fresh one to train from a recipe and a seed, or
 * one loaded from weights with the options its checkpoint recorded. One seed
 * convention for everything that trains (the CLI, the page, the benchmarks):
 * the model's initial weights come from `seed`, the data, masks and dropout
 * from `seed + 1`, so "seed 42" is the same run wherever it is trained, and
 * the two streams never share draws.
 */
import { DEFAULT_MODEL, type DataConfig, type ModelConfig } from './config.ts';
import { DiffusionLM } from './model.ts';
import type { ModelOptions } from './model-options.ts';
import { initOptions, type Recipe } from './recipes.ts';
import { Rng } from './rng.ts';
import { Trainer } from './training.ts';

export { NOTEBOOK_MODEL_OPTIONS, optionsFromMetadata, optionsMetadata, type ModelOptions } from './model-options.ts';

/** The seeds of a run's two streams: the initial weights, and everything drawn while training. */
export function runSeeds(seed: number): { readonly model: number; readonly data: number } {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new RangeError(`seed must be a whole number from 0 to 4294967295, got ${seed}`);
  return { model: seed, data: (seed + 1) >>> 0 };
}

/** The options a recipe's models are built with. */
export function modelOptions(recipe: Recipe): ModelOptions {
  return { timeInput: recipe.timeInput };
}

/** A freshly initialised model for training `recipe` from `seed`. */
export function freshModel(recipe: Recipe, seed: number, config: ModelConfig = DEFAULT_MODEL): DiffusionLM {
  return new DiffusionLM(config, new Rng(runSeeds(seed).model), initOptions(recipe));
}

/** The trainer for `model` under `recipe`, drawing its batches from the run's data stream. */
export function trainerFor(model: DiffusionLM, recipe: Recipe, seed: number, steps: number, data?: DataConfig): Trainer {
  return new Trainer(model, recipe, { seed: runSeeds(seed).data, steps, data });
}

/** A model holding `weights` (PyTorch layout, by state_dict name); throws, leaving nothing behind, if they do not fit. */
export function loadedModel(weights: ReadonlyMap<string, Float32Array>, options: ModelOptions, config: ModelConfig = DEFAULT_MODEL): DiffusionLM {
  // The init is overwritten at once: its seed does not matter.
  const model = new DiffusionLM(config, new Rng(0), { timeInput: options.timeInput });
  try {
    model.loadStateDict(weights);
    return model;
  } catch (e) {
    model.dispose();
    throw e;
  }
}
