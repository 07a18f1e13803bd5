/**
 * Quick probe: median ms per training step on one Node backend (used by bench/train.ts).
 *
 *   tsx bench/step.ts [BACKEND] [RECIPE] [STEPS] [--profile]
 *
 * --profile prints tfjs' profile of the steps instead, kernel by kernel: launches a
 * step and their time (a customGrad op's time includes the kernels inside it).
 */
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
  /** Median CPU time a step (user + system): steadier than wall time on a busy machine. */
  cpuMs?: number;
  /** The fastest step: the least disturbed by other work, for comparing versions on a busy machine. */
  minMs?: number;
  warmupMs: number;
  tensorsLeaked: number;
}

export async function timeSteps(backend: string, recipeName: string, steps: number, warmup = 3, batchSize?: number): Promise<StepTiming> {
  await useNodeBackend(backend);
  const recipe = { ...getRecipe(recipeName), ...(batchSize ? { batchSize } : {}) };
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0), { embedStd: recipe.embedInitStd });
  const opt = new AdamW(model.variables(), recipe.optimizer);
  const rng = new Rng(1);
  const before = tf.memory().numTensors;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const batch = sampleBatch(rng, recipe, DEFAULT_DATA);
    await trainStep(model, opt, batch, 1e-4, recipe, rng);
    const c = process.cpuUsage(c0);
    times.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const leaked = tf.memory().numTensors - before;
  opt.dispose();
  model.dispose();
  const median = (xs: number[]) => xs.slice(warmup).sort((a, b) => a - b)[Math.floor((xs.length - warmup) / 2)];
  return {
    backend,
    recipe: recipeName,
    medianMs: median(times),
    cpuMs: median(cpu),
    minMs: Math.min(...times.slice(warmup)),
    warmupMs: times[0],
    tensorsLeaked: leaked,
  };
}

/** Per kernel name: launches a step and ms a step, over `steps` profiled steps after warm-up. */
export async function profileSteps(
  backend: string,
  recipeName: string,
  steps: number,
  warmup = 3,
): Promise<Array<{ kernel: string; launches: number; ms: number }>> {
  await useNodeBackend(backend);
  const recipe = getRecipe(recipeName);
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0), { embedStd: recipe.embedInitStd });
  const opt = new AdamW(model.variables(), recipe.optimizer);
  const rng = new Rng(1);
  const step = () => trainStep(model, opt, sampleBatch(rng, recipe, DEFAULT_DATA), 1e-4, recipe, rng);
  for (let i = 0; i < warmup; i++) await step();
  const byName = new Map<string, { launches: number; ms: number }>();
  for (let i = 0; i < steps; i++) {
    const info = await tf.profile(async () => void (await step()));
    for (const k of info.kernels) {
      const e = byName.get(k.name) ?? { launches: 0, ms: 0 };
      e.launches += 1 / steps;
      e.ms += (k.kernelTimeMs as number) / steps;
      byName.set(k.name, e);
    }
  }
  opt.dispose();
  model.dispose();
  return [...byName].map(([kernel, e]) => ({ kernel, ...e })).sort((a, b) => b.ms - a.ms);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const [backend = 'wasm', recipe = 'notebook', steps = '10', batch] = args;
  if (process.argv.includes('--profile')) {
    const rows = await profileSteps(backend, recipe, Number(steps));
    for (const r of rows) console.log(`${r.kernel.padEnd(28)} ${r.launches.toFixed(0).padStart(5)} ${r.ms.toFixed(2).padStart(8)} ms`);
    console.log(
      `${'all'.padEnd(28)} ${rows
        .reduce((a, r) => a + r.launches, 0)
        .toFixed(0)
        .padStart(5)} launches a step`,
    );
  } else {
    console.log(JSON.stringify(await timeSteps(backend, recipe, Number(steps), 3, batch ? Number(batch) : undefined)));
  }
}
