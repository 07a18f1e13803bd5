/**
 * Training recipes: everything about *how* the model is trained, none of
 * *what* it is. The architecture and parameter count never change, so any
 * recipe's weights load in the notebook and vice versa.
 */
import type { LossWeighting } from './objective.ts';
import { TORCH_ADAMW, type AdamWConfig, type ScheduleConfig } from './optim.ts';

export interface Recipe {
  readonly name: string;
  readonly description: string;
  readonly steps: number;
  readonly batchSize: number;
  readonly schedule: ScheduleConfig;
  readonly optimizer: AdamWConfig;
  readonly dropout: number;
  /** Per-sequence masking ratio t ~ U(tMin, tMax). */
  readonly tMin: number;
  readonly tMax: number;
  /** Spread the batch's t evenly over [tMin, tMax) (one random offset), instead of i.i.d. draws. */
  readonly stratifiedT: boolean;
  readonly loss: LossWeighting;
  /** Std of the token embedding's initial values (PyTorch: 1). */
  readonly embedInitStd: number;
  /** Feed t = 0 to the time MLP: the masked fraction is visible in x_t anyway. */
  readonly ignoreTime: boolean;
}

/** The seed notebook's recipe, exactly: it plateaus near 38% accuracy at every t. */
export const NOTEBOOK: Recipe = Object.freeze({
  name: 'notebook',
  description: "The seed notebook's recipe: AdamW 3e-4, cosine over 3000 steps, dropout 0.1, pooled masked mean.",
  steps: 3000,
  batchSize: 64,
  schedule: Object.freeze({ lr: 3e-4, warmupSteps: 0, kind: 'cosine', minLr: 0 }),
  optimizer: TORCH_ADAMW,
  dropout: 0.1,
  tMin: 0.02,
  tMax: 1,
  stratifiedT: false,
  loss: 'masked-mean',
  embedInitStd: 1,
  ignoreTime: false,
});

/**
 * A recipe that learns the patterns. Same model, trained differently:
 *  - token embeddings start at std 0.03 instead of 1, so the sinusoidal
 *    positions (norm ~5.7) are not drowned by token vectors (norm ~8 at std 1):
 *    attention can find "same position mod p" from the start;
 *  - no dropout (a 156k-parameter model on endless fresh data cannot overfit);
 *  - a higher peak learning rate, 2e-3, with 100 warm-up steps, cosine to 0.
 * It learns the patterns (100% at low t where the notebook's recipe stays at
 * 38%), but not reliably all the way: in PyTorch one seed in four came within
 * 2 points of the best possible at every t <= 0.8 (by step 3500); the others,
 * and this engine's own seed-42 run, stall on a second plateau 9-12 points
 * short at t = 0.7-0.83, where period 3 is the weak spot. Still open work.
 */
export const LEARNS: Recipe = Object.freeze({
  ...NOTEBOOK,
  name: 'learns',
  description: 'Small token-embedding init (std 0.03), no dropout, AdamW 2e-3 with 100 warm-up steps, cosine over 5000 steps.',
  steps: 5000,
  schedule: Object.freeze({ lr: 2e-3, warmupSteps: 100, kind: 'cosine', minLr: 0 }),
  dropout: 0,
  embedInitStd: 0.03,
});

export const RECIPES: Readonly<Record<string, Recipe>> = Object.freeze({ notebook: NOTEBOOK, learns: LEARNS });

export function getRecipe(name: string): Recipe {
  const r = RECIPES[name];
  if (!r) throw new RangeError(`unknown recipe "${name}"; choose one of: ${Object.keys(RECIPES).join(', ')}`);
  return r;
}
