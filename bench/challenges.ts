/**
 * The lesson's precomputed challenge curves: the same recipe trained with each
 * time input (learned MLP, fixed sinusoids, none), from the same seed, on the
 * engine in Node. Writes public/challenges/time-input.json, which the
 * "beyond" section draws at once, before any training in the browser.
 *
 *   npx tsx bench/challenges.ts [--steps 800] [--seed 42] [--recipe learns] [--seqs 300] [--checkup-every 50] [--out FILE]
 *
 * The shipped files: time-input.json is --steps 3000 --seed 42 --checkup-every 100
 * (about 45 minutes on one core here), time-input-seed7.json the same with
 * --seed 7 --out public/challenges/time-input-seed7.json, as a second draw.
 *
 * (It lives in bench/ because that folder is type-checked and linted with the
 * rest; it is a long measurement, not a test.)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { useNodeBackend } from '../src/cli/node.ts';
import { evaluate, type Evaluation } from '../src/core/metrics.ts';
import { TIME_INPUTS, type TimeInput } from '../src/core/model.ts';
import { freshModel, trainerFor } from '../src/core/model-factory.ts';
import { getRecipe, withOverrides } from '../src/core/recipes.ts';
import { CHALLENGE_RATIOS, type TimeInputCurves, type VariantCurves } from '../src/lesson/challenge-data.ts';
import { CHECK_T } from '../src/worker/protocol.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '800' },
    seed: { type: 'string', default: '42' },
    recipe: { type: 'string', default: 'learns' },
    seqs: { type: 'string', default: '300' },
    'checkup-every': { type: 'string', default: '50' },
    out: { type: 'string' },
  },
});
const SHIPPED = fileURLToPath(new URL('../public/challenges/time-input.json', import.meta.url));
const outFile = values.out ?? SHIPPED;
const steps = Number(values.steps);
const seed = Number(values.seed);
const seqs = Number(values.seqs);
const checkupEvery = Number(values['checkup-every']);
for (const [name, v] of [
  ['steps', steps],
  ['seed', seed],
  ['seqs', seqs],
  ['checkup-every', checkupEvery],
] as const) {
  if (!Number.isInteger(v) || v < 1) throw new RangeError(`--${name} must be a positive integer, got ${v}`);
}

const backend = await useNodeBackend('wasm');
const base = getRecipe(values.recipe!);

const round = (x: number, digits = 4) => Number(x.toFixed(digits));

async function trainVariant(timeInput: TimeInput): Promise<VariantCurves> {
  const recipe = withOverrides(base, { timeInput });
  const before = tf.memory().numTensors;
  // Same seed for every variant: same initial weights (the time MLP just sits out) and the same batches.
  const model = freshModel(recipe, seed);
  const trainer = trainerFor(model, recipe, seed, steps);
  const losses: (number | null)[] = [];
  const checkups: VariantCurves['checkups'][number][] = [];
  let seconds = 0;
  while (trainer.step < steps) {
    const started = performance.now();
    const result = await trainer.run({ untilStep: Math.min(steps, trainer.step + checkupEvery) }, (r) =>
      losses.push(r.skipped ? null : round(r.loss)),
    );
    seconds += (performance.now() - started) / 1000;
    if (result.reason === 'non-finite') throw new Error(`${timeInput}: ${result.message}`);
    // The live runs' check-up (same ratios, sequences and seed), so the two are comparable.
    const c = await evaluate(model, { ratios: CHECK_T, seqsPerRatio: 64, chunk: 64 * CHECK_T.length, seed: 7, elbo: false });
    checkups.push({ step: trainer.step, accuracy: c.ratios.map((r) => round(r.accuracy)) });
    console.error(
      `  ${timeInput}: step ${trainer.step}/${steps}, loss ${losses.at(-1)}, accuracy ${checkups.at(-1)!.accuracy.join(' ')} at t = ${CHECK_T.join(' ')}`,
    );
  }
  const e: Evaluation = await evaluate(model, { ratios: CHALLENGE_RATIOS, seqsPerRatio: seqs, seed: 1234 });
  trainer.dispose();
  model.dispose();
  if (tf.memory().numTensors !== before) throw new Error(`${timeInput}: ${tf.memory().numTensors - before} tensors leaked`);
  return {
    timeInput,
    seconds: round(seconds, 1),
    losses,
    checkups,
    ratios: e.ratios.map((r) => ({ t: round(r.t), accuracy: round(r.accuracy), bestPossible: round(r.bestPossible), meanLoss: round(r.meanLoss) })),
    meanLoss: round(e.meanLoss),
    elboBitsPerToken: round(e.elboBitsPerToken),
  };
}

const variants: VariantCurves[] = [];
for (const timeInput of TIME_INPUTS) {
  console.error(`training ${base.name} with time input "${timeInput}" for ${steps} steps on ${backend.name} ...`);
  const v = await trainVariant(timeInput);
  const at = (t: number) => v.ratios.find((r) => Math.abs(r.t - t) < 1e-6)!.accuracy;
  console.error(`  ${v.seconds} s; accuracy ${at(0.1)} / ${at(0.5)} / ${at(0.8)} at t = 0.1 / 0.5 / 0.8; ELBO ${v.elboBitsPerToken} bits/token`);
  variants.push(v);
}

const out: TimeInputCurves = {
  command:
    `npx tsx bench/challenges.ts --steps ${steps} --seed ${seed} --recipe ${base.name} --seqs ${seqs} --checkup-every ${checkupEvery}` +
    (values.out ? ` --out ${relative(process.cwd(), outFile)}` : ''),
  recipe: base.name,
  steps,
  seed,
  batchSize: base.batchSize,
  backend: backend.name,
  evalSeqsPerRatio: seqs,
  evalSeed: 1234,
  checkT: CHECK_T,
  checkupEvery,
  variants,
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(out) + '\n');
console.error(`wrote ${outFile}`);
