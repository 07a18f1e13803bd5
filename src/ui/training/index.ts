/** Section 8's live run, wired to the training worker, IndexedDB and the lesson's model store. */
import { modelOptions } from '../../core/model-factory.ts';
import { getRecipe, withOverrides } from '../../core/recipes.ts';
import { models, trainingBackends } from '../models/index.ts';
import { LiveTraining } from './live-training.ts';
import { indexedDbRuns } from './saved-run.ts';
import { connect } from './training-client.ts';

export const liveTraining = new LiveTraining({
  connect,
  backends: trainingBackends,
  storage: indexedDbRuns,
  handOver: async ({ spec, weights }, label) => {
    if (!weights) throw new Error('the run left no weights');
    // The options the run trained with (its time input, say), so the model computes what it learned.
    models.replace(new Map(weights), modelOptions(withOverrides(getRecipe(spec.recipe), spec.overrides)), label);
  },
});

export { DEFAULT_RECIPE, summarize, type Checkup, type Phase, type TrainingSnapshot } from './live-training.ts';
export { MAX_LIVE_STEPS, stepsProblem } from './steps.ts';
