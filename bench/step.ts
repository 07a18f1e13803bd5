/** Quick probe: median ms per training step on one Node backend (used by bench/train.ts). */
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../src/cli/node.ts';
import { DEFAULT_DATA, DEFAULT_MODEL } from '../src/core/config.ts';
import { DiffusionLM } from '../src/core/model.ts';
import { AdamW } from '../src/core/optim.ts';
import { getRecipe } from '../src/core/recipes.ts';
import { Rng } from '../src/core/rng.ts';
import { sampleBatch, trainStep } from '../src/core/training.ts';

export interface StepTiming {
  backend: string;
  recipe: string;
  medianMs: number;
  warmupMs: number;
  tensorsLeaked: number;
}

export async function timeSteps(backend: string, recipeName: string, steps: number, warmup = 3): Promise<StepTiming> {
  await useNodeBackend(backend);
  const recipe = getRecipe(recipeName);
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0), { embedStd: recipe.embedInitStd });
  const opt = new AdamW(model.variables(), recipe.optimizer);
  const rng = new Rng(1);
  const before = tf.memory().numTensors;
  const times: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const batch = sampleBatch(rng, recipe, DEFAULT_DATA);
    await trainStep(model, opt, batch, 1e-4, recipe, rng);
    times.push(performance.now() - t0);
  }
  const leaked = tf.memory().numTensors - before;
  opt.dispose();
  model.dispose();
  const timed = times.slice(warmup).sort((a, b) => a - b);
  return { backend, recipe: recipeName, medianMs: timed[Math.floor(timed.length / 2)], warmupMs: times[0], tensorsLeaked: leaked };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [backend = 'wasm', recipe = 'notebook', steps = '10'] = process.argv.slice(2);
  console.log(JSON.stringify(await timeSteps(backend, recipe, Number(steps))));
}
