/**
 * Confirm a recipe found by bench/recipe-search (PyTorch) in this engine, before it
 * becomes a named recipe: train it from fresh seeds exactly as `unmask train` would
 * (model-factory.ts), score each model as `unmask eval` does (1000 sequences a ratio,
 * seed 1234), and say whether every ratio t <= 0.8 is within 2 points of the best
 * possible on the same sequences. Each run is appended to
 * bench/recipe-search/results/engine-confirm.jsonl, with its recipe, seed, wall time
 * and the machine's load, so the record holds every confirmation tried.
 *
 *   npx tsx bench/recipe-confirm.ts --name NAME --recipe '{"steps":2000,...}' [--base curriculum] [--seeds 1,2,3,4] [--keep DIR]
 *
 * --keep DIR saves each seed's weights as DIR/NAME-seedS.safetensors, so they can be scored again.
 *
 * --recipe holds the fields that differ from --base, as plain JSON; an unknown field is
 * refused. The search's `curr` (steps) becomes tCurriculum (a share of the run's steps),
 * `const_decay` becomes schedule.kind 'constant-cosine' with its decayFraction.
 * (A long measurement, not a test: about 3 minutes a seed at 2000 steps on an idle core.)
 */
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../src/cli/node.ts';
import { saveWeights } from '../src/core/checkpoint.ts';
import { evaluate } from '../src/core/metrics.ts';
import { freshModel, trainerFor } from '../src/core/model-factory.ts';
import { getRecipe, type Recipe } from '../src/core/recipes.ts';
import { CRITERION_RATIOS, T_MAX, TARGET_POINTS } from './learned.ts';

const EVAL = { seqsPerRatio: 1000, seed: 1234, ratios: [...CRITERION_RATIOS] } as const;

const { values } = parseArgs({
  options: {
    name: { type: 'string' },
    recipe: { type: 'string', default: '{}' },
    base: { type: 'string', default: 'curriculum' },
    seeds: { type: 'string', default: '1,2,3,4' },
    out: { type: 'string' },
    keep: { type: 'string' },
  },
});
if (!values.name) throw new RangeError('--name is required: it names the candidate in the record');
const base = getRecipe(values.base!);
const changes = JSON.parse(values.recipe!) as Record<string, unknown>;
for (const key of Object.keys(changes)) if (!(key in base)) throw new RangeError(`--recipe: "${key}" is not a recipe field`);
const recipe: Recipe = Object.freeze({ ...base, ...changes, name: values.name }) as Recipe;
const seeds = values.seeds!.split(',').map(Number);
if (seeds.some((s) => !Number.isInteger(s) || s < 0)) throw new RangeError(`--seeds must be whole numbers, got ${values.seeds}`);
const outFile = values.out ?? fileURLToPath(new URL('./recipe-search/results/engine-confirm.jsonl', import.meta.url));

const backend = await useNodeBackend('wasm');
let onTarget = 0;
for (const seed of seeds) {
  const before = tf.memory().numTensors;
  const loadBefore = loadavg()[0];
  const model = freshModel(recipe, seed);
  const trainer = trainerFor(model, recipe, seed, recipe.steps);
  const started = performance.now();
  const result = await trainer.run({ untilStep: recipe.steps }, () => {});
  const seconds = (performance.now() - started) / 1000;
  const scored = await evaluate(model, { ...EVAL, elbo: false });
  if (values.keep) {
    mkdirSync(values.keep, { recursive: true });
    writeFileSync(join(values.keep, `${recipe.name}-seed${seed}.safetensors`), await saveWeights(model, { recipe: recipe.name, seed: String(seed) }));
  }
  trainer.dispose();
  model.dispose();
  if (tf.memory().numTensors !== before) throw new Error(`${tf.memory().numTensors - before} tensors leaked`);
  const gaps = scored.ratios.filter((r) => r.t <= T_MAX + 1e-9).map((r) => ({ t: r.t, gap: 100 * (r.accuracy - r.bestPossible) }));
  const worst = gaps.reduce((a, b) => (b.gap < a.gap ? b : a));
  const hit = result.reason !== 'non-finite' && worst.gap >= -TARGET_POINTS;
  onTarget += hit ? 1 : 0;
  const record = {
    name: recipe.name,
    base: base.name,
    changes,
    seed,
    steps: recipe.steps,
    backend: backend.name,
    seconds: Number(seconds.toFixed(1)),
    msPerStep: Number(((1000 * seconds) / recipe.steps).toFixed(1)),
    load: [Number(loadBefore.toFixed(1)), Number(loadavg()[0].toFixed(1))],
    eval: EVAL,
    gaps: gaps.map((g) => ({ t: Number(g.t.toFixed(3)), gap: Number(g.gap.toFixed(2)) })),
    worst: { t: Number(worst.t.toFixed(3)), gap: Number(worst.gap.toFixed(2)) },
    onTarget: hit,
    ended: result.reason,
  };
  appendFileSync(outFile, JSON.stringify(record) + '\n');
  console.log(
    `${recipe.name} seed ${seed}: ${seconds.toFixed(0)} s (${record.msPerStep} ms a step, load ${record.load.join(' → ')}); ` +
      `worst gap ${worst.gap.toFixed(1)} points at t = ${worst.t.toFixed(3)}: ${hit ? 'on target' : 'short'}`,
  );
}
console.log(`${recipe.name}: ${onTarget} of ${seeds.length} seeds within ${TARGET_POINTS} points of the best possible at every t <= ${T_MAX}`);
