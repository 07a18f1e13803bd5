/** The page's one exercise runner, and the lesson's model as the runner takes it. */
import { DEFAULT_MODEL } from '../../core/config.ts';
import { ExerciseRunner, type ModelSource } from '../../exercises/runner.ts';
import type { ModelPayload } from '../models/compute-client.ts';

export const exerciseRunner = new ExerciseRunner();

/** The store's weights are read-only and only ever cloned on the way to a worker: no copy needed. */
export function exerciseModel(model: ModelPayload): ModelSource {
  return { version: model.version, vocabSize: DEFAULT_MODEL.vocabSize, options: model.options, weights: async () => new Map(model.weights) };
}
