/**
 * The three recipes' training curves, precomputed: the loss at every step and an
 * accuracy check-up every few hundred steps, trained exactly as `unmask train
 * --preset NAME --seed 42` would (one seed convention, model-factory.ts). Each
 * run also records how far its final weights are from the shipped checkpoint of
 * that recipe: the engine's fused kernels round differently from the ops that
 * trained the shipped files, and over thousands of steps that grows into a
 * different run of the same recipe and seed, not a copy of it.
 * Section 8 draws them first, so a learner on a slow machine sees the plateau
 * without training. Writes public/measured/recipe-curves.json.
 *
 *   npx tsx bench/recipe-curves.ts [--recipes notebook,learns,curriculum,fast] [--seed 42] [--checkup-every 100] [--out FILE] [--merge]
 *
 * --merge trains only the named recipes and keeps the file's other runs (same seed and
 * check-ups), so adding a recipe does not retrain the others.
 *
 * (A long measurement, not a test: about an hour on one busy core.)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../src/cli/node.ts';
import { evaluate } from '../src/core/metrics.ts';
import type { DiffusionLM } from '../src/core/model.ts';
import { freshModel, trainerFor } from '../src/core/model-factory.ts';
import { getRecipe, RECIPES } from '../src/core/recipes.ts';
import { readWeights } from '../src/core/weights.ts';
import { CHECK_T } from '../src/worker/protocol.ts';
import type { RecipeCurve, RecipeCurves } from '../src/lesson/measured-types.ts';

const { values } = parseArgs({
  options: {
    recipes: { type: 'string', default: 'notebook,learns,curriculum,fast' },
    merge: { type: 'boolean', default: false },
    seed: { type: 'string', default: '42' },
    'checkup-every': { type: 'string', default: '100' },
    out: { type: 'string' },
  },
});
const outFile = values.out ?? fileURLToPath(new URL('../public/measured/recipe-curves.json', import.meta.url));
const seed = Number(values.seed);
const checkupEvery = Number(values['checkup-every']);
if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`--seed must be a whole number, got ${values.seed}`);
if (!Number.isInteger(checkupEvery) || checkupEvery < 1)
  throw new RangeError(`--checkup-every must be a positive integer, got ${values['checkup-every']}`);

const backend = await useNodeBackend('wasm');
const round = (x: number, digits: number) => Number(x.toFixed(digits));

/** Largest |difference| between the model's weights and a shipped checkpoint's, or null if there is none. */
async function differenceFromShipped(model: DiffusionLM, file: string): Promise<number | null> {
  if (!existsSync(file)) return null;
  const shipped = readWeights(new Uint8Array(readFileSync(file)), model.config);
  const mine = await model.stateDict();
  let worst = 0;
  for (const [name, w] of shipped) {
    const m = mine.get(name)!;
    for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i] - m[i]));
  }
  return worst;
}

async function trainRecipe(name: string): Promise<RecipeCurve> {
  const recipe = getRecipe(name);
  const before = tf.memory().numTensors;
  // Exactly `unmask train --preset NAME --seed S`: one seed convention (model-factory.ts).
  const model = freshModel(recipe, seed);
  const trainer = trainerFor(model, recipe, seed, recipe.steps);
  const losses: (number | null)[] = [];
  const checkups: RecipeCurve['checkups'][number][] = [];
  const checkup = async () => {
    // The live runs' check-up (same ratios, sequences and seed), so a live run can be drawn beside these.
    const c = await evaluate(model, { ratios: [...CHECK_T], seqsPerRatio: 64, chunk: 64 * CHECK_T.length, seed: 7, elbo: false });
    checkups.push({ step: trainer.step, accuracy: c.ratios.map((r) => round(r.accuracy, 4)) });
  };
  await checkup();
  let seconds = 0;
  while (trainer.step < recipe.steps) {
    const started = performance.now();
    const result = await trainer.run({ untilStep: Math.min(recipe.steps, trainer.step + checkupEvery) }, (r) =>
      losses.push(r.skipped ? null : round(r.loss, 4)),
    );
    seconds += (performance.now() - started) / 1000;
    if (result.reason === 'non-finite') throw new Error(`${name}: ${result.message}`);
    await checkup();
    console.error(
      `  ${name}: step ${trainer.step}/${recipe.steps}, loss ${losses.at(-1)}, accuracy ${checkups.at(-1)!.accuracy.join(' ')} at t = ${CHECK_T.join(' ')}`,
    );
  }
  const shippedFile = fileURLToPath(new URL(`../public/pretrained/${name}-${recipe.steps}.safetensors`, import.meta.url));
  const difference = await differenceFromShipped(model, shippedFile);
  trainer.dispose();
  model.dispose();
  if (tf.memory().numTensors !== before) throw new Error(`${name}: ${tf.memory().numTensors - before} tensors leaked`);
  return {
    recipe: name,
    steps: recipe.steps,
    batchSize: recipe.batchSize,
    seconds: round(seconds, 1),
    losses,
    checkups,
    shipped: `${name}-${recipe.steps}.safetensors`,
    maxDifferenceFromShipped: difference,
  };
}

const command = `npx tsx bench/recipe-curves.ts --recipes ${values.recipes} --seed ${seed} --checkup-every ${checkupEvery}`;
const kept: RecipeCurve[] = [];
let commands = [command];
if (values.merge && existsSync(outFile)) {
  const old = JSON.parse(readFileSync(outFile, 'utf8')) as RecipeCurves;
  if (old.seed !== seed || old.checkupEvery !== checkupEvery || old.checkupSeqs !== 64 || old.checkT.join() !== CHECK_T.join())
    throw new RangeError(`--merge: ${outFile} was made with other settings (seed ${old.seed}, check-up every ${old.checkupEvery})`);
  const named = new Set(values.recipes!.split(','));
  kept.push(...old.recipes.filter((r) => !named.has(r.recipe)));
  commands = [old.command, command + ' --merge'];
}
const trained: RecipeCurve[] = [];
for (const name of values.recipes!.split(',')) {
  console.error(`training ${name} (seed ${seed}) on ${backend.name} ...`);
  trained.push(await trainRecipe(name));
  const r = trained.at(-1)!;
  console.error(`  ${r.seconds} s; largest difference from the shipped checkpoint: ${r.maxDifferenceFromShipped}`);
}
// In the order of the lesson's recipes, whichever run made them.
const order = Object.keys(RECIPES);
const recipes = [...kept, ...trained].sort((a, b) => order.indexOf(a.recipe) - order.indexOf(b.recipe));
const out: RecipeCurves = {
  command: commands.join('; then '),
  seed,
  backend: backend.name,
  checkT: [...CHECK_T],
  checkupSeqs: 64,
  checkupEvery,
  recipes,
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(out) + '\n');
console.error(`wrote ${outFile}`);
