/**
 * A bare training loop: the engine's Trainer on a fresh model, nothing else (no
 * check-ups, saves or messages to a page). Times `steps` steps after `warm`
 * untimed ones, which compile the shaders.
 */
import { errorMessage } from '../../src/core/error-message.ts';
import { freshModel, trainerFor } from '../../src/core/model-factory.ts';
import { getRecipe } from '../../src/core/recipes.ts';
import { startBackend } from '../../src/worker/tfjs-browser.ts';

export interface BareRequest {
  readonly backend: string;
  /** The recipe the lesson's run uses, so both loops step the same batch. */
  readonly recipe: string;
  readonly warm: number;
  readonly steps: number;
}

export interface BareResult {
  readonly backend: string;
  /** Our kernels in use on wasm, in words (which SIMD build among them). */
  readonly kernels?: string;
  readonly msPerStep: number;
}

self.onmessage = async (e: MessageEvent<BareRequest>) => {
  const { backend, recipe: recipeName, warm, steps } = e.data;
  try {
    const choice = await startBackend([backend]);
    const recipe = getRecipe(recipeName);
    const model = freshModel(recipe, 42); // as the lesson builds it (session.ts)
    const trainer = trainerFor(model, recipe, 42, warm + steps + 1);
    await trainer.run({ untilStep: warm });
    const t0 = performance.now();
    await trainer.run({ untilStep: warm + steps });
    const msPerStep = (performance.now() - t0) / steps;
    trainer.dispose();
    model.dispose();
    self.postMessage({ backend: choice.name, kernels: choice.kernels, msPerStep } satisfies BareResult);
  } catch (err) {
    self.postMessage({ error: errorMessage(err) });
  }
};
