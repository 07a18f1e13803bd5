/**
 * `unmask`: train, evaluate and query the lesson's model from a terminal,
 * on the same engine the browser lesson runs.
 */
import { accessSync, constants, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readCheckpoint, saveWeights } from '../core/checkpoint.ts';
import { ConfigError, DEFAULT_DATA, DEFAULT_MODEL } from '../core/config.ts';
import { errorMessage } from '../core/error-message.ts';
import { MAX_SEED } from '../core/seed.ts';
import { freshModel, loadedModel, trainerFor } from '../core/model-factory.ts';
import { evaluate, type Evaluation } from '../core/metrics.ts';
import { predictMasked } from '../core/predict.ts';
import { isPerfectlyPeriodic, minimalPeriod, periodicDefect, sampleQuality, type SampleQuality } from '../core/periodicity.ts';
import type { DiffusionLM } from '../core/model.ts';
import { getRecipe, RECIPES, type Recipe } from '../core/recipes.ts';
import { Rng } from '../core/rng.ts';
import { sample, SAMPLERS, TIME_GRIDS } from '../core/sampling.ts';
import { WeightsError } from '../core/weights.ts';
import { useNodeBackend } from './node.ts';
import { ProgressBar } from './progress.ts';

const USAGE = `unmask: the masked-diffusion lesson's engine on the command line

  unmask train   [--steps N] [--seed S] [--preset ${Object.keys(RECIPES).join('|')}] [--backend wasm|cpu] [--out FILE.safetensors]
  unmask eval    --weights FILE [--seqs N] [--seed S] [--json] [--backend wasm|cpu]
  unmask predict --weights FILE --tokens "3 0 5 ..." --t T [--top-k K] [--json] [--backend wasm|cpu]
  unmask sample  --weights FILE [--sampler ${SAMPLERS.join('|')}] [--steps N] [--temperature T] [--grid ${TIME_GRIDS.join('|')}]
                 [--batch B] [--seed S] [--show N] [--json] [--backend wasm|cpu]

Token 0 is [MASK]. Weights are safetensors with PyTorch's names: they load in the notebook too.`;

/** A mistake in how the command was called: printed with the usage, exit code 2. */
class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: Options): Values {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false })
      .values as Values;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function intArg(name: string, raw: unknown, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(
      max === Number.MAX_SAFE_INTEGER
        ? `--${name} must be an integer >= ${min}, got "${raw}"`
        : `--${name} must be an integer from ${min} to ${max}, got "${raw}"`,
    );
  }
  return n;
}

/** The model's weights are under 1 MB: a file much larger than that is not one, and is not read whole. */
export const MAX_WEIGHTS_BYTES = 64 * 1024 * 1024;

function numberArg(name: string, raw: unknown, lo: number, hi: number): number {
  const n = Number(raw);
  if (raw === undefined || raw === '' || !Number.isFinite(n) || n < lo || n > hi) {
    throw new UsageError(`--${name} must be a number in [${lo}, ${hi}], got "${raw ?? ''}"`);
  }
  return n;
}

function readWeightsFile(path: string): Uint8Array {
  try {
    const { size } = statSync(path);
    if (size > MAX_WEIGHTS_BYTES)
      throw new UsageError(`${path} is ${(size / 2 ** 20).toFixed(0)} MB; this model's weights are under 1 MB, so it is not a weights file for it`);
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}`);
  }
}

/** A model with the weights from `path`, built with the options its file records, and whether it was trained without the time input. */
function loadModel(path: string): { model: DiffusionLM; ignoreTime: boolean } {
  const { weights, options, metadata } = readCheckpoint(readWeightsFile(path));
  return { model: loadedModel(weights, options), ignoreTime: metadata.ignore_time === 'true' };
}

/**
 * Where a finished run goes: checked before training starts (its folder
 * exists and can be written), so a typo does not cost the whole run.
 */
function checkOutPath(out: string): void {
  const dir = dirname(resolve(out));
  try {
    if (!statSync(dir).isDirectory()) throw new UsageError(`--out ${out}: ${dir} is not a folder`);
    accessSync(dir, constants.W_OK);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(
      `--out ${out}: ${code === 'ENOENT' ? `the folder ${dir} does not exist` : `cannot write in ${dir} (${code ?? errorMessage(e)})`}`,
    );
  }
}

/** Write the trained weights; if that fails now (a full disk, a folder gone), keep them in the temp folder instead and say where. */
function writeTrained(out: string, bytes: Uint8Array): string {
  try {
    writeFileSync(out, bytes);
    return out;
  } catch (e) {
    const rescue = join(tmpdir(), `unmask-rescued-${Date.now()}-${basename(out)}`);
    writeFileSync(rescue, bytes);
    console.error(`could not write ${out} (${(e as NodeJS.ErrnoException).code ?? errorMessage(e)}): the weights were saved to ${rescue} instead`);
    return rescue;
  }
}

async function trainCommand(args: string[]): Promise<number> {
  const v = parse(args, {
    steps: { type: 'string' },
    seed: { type: 'string' },
    preset: { type: 'string' },
    backend: { type: 'string' },
    out: { type: 'string' },
  });
  if (v.help) return help();
  let recipe: Recipe;
  try {
    recipe = getRecipe((v.preset as string | undefined) ?? 'notebook');
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const steps = intArg('steps', v.steps, recipe.steps);
  const seed = intArg('seed', v.seed, 42, 0, MAX_SEED);
  const out = (v.out as string | undefined) ?? `unmask-${recipe.name}.safetensors`;
  checkOutPath(out);
  const backend = await useNodeBackend(v.backend as string | undefined);
  console.error(`training "${recipe.name}" for ${steps} steps, seed ${seed}, on ${backend.name}`);

  // The trainer applies the recipe's dropout; the model config stays the notebook's.
  const model = freshModel(recipe, seed);
  const trainer = trainerFor(model, recipe, seed, steps);
  const abort = new AbortController();
  // Ctrl-C (or a polite kill) finishes the current step, then saves.
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const bar = new ProgressBar(steps);
  let window: number[] = [];
  try {
    const result = await trainer.run({ signal: abort.signal }, (r) => {
      if (!r.skipped) window.push(r.loss);
      bar.update(r.step, `loss ${r.loss.toFixed(4)}`, r.step === steps);
      if (r.step % 500 === 0 || r.step === steps) {
        const mean = window.reduce((a, b) => a + b, 0) / Math.max(1, window.length);
        bar.finish();
        console.log(
          `step ${r.step}/${steps} | loss ${mean.toFixed(4)} (mean of last ${window.length}) | lr ${r.lr.toExponential(2)} | grad norm ${r.gradNorm.toFixed(3)}`,
        );
        window = [];
      }
    });
    bar.finish();
    const bytes = await saveWeights(model, {
      recipe: recipe.name,
      seed: String(seed),
      steps: String(result.step),
      total_steps: String(steps),
      ignore_time: String(recipe.ignoreTime),
      made_by: 'unmask train',
    });
    const saved = writeTrained(out, bytes);
    console.error(`${result.message} Saved ${result.step} steps of training to ${saved}`);
    return result.reason === 'completed' ? 0 : result.reason === 'aborted' ? 130 : 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    trainer.dispose();
    model.dispose();
  }
}

async function evalCommand(args: string[]): Promise<number> {
  const v = parse(args, {
    weights: { type: 'string' },
    seqs: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean' },
    backend: { type: 'string' },
  });
  if (v.help) return help();
  if (!v.weights) throw new UsageError('eval needs --weights FILE');
  const seqs = intArg('seqs', v.seqs, 500);
  const seed = intArg('seed', v.seed, 1234, 0, MAX_SEED);
  await useNodeBackend(v.backend as string | undefined);
  const { model, ignoreTime } = loadModel(v.weights as string);
  try {
    const result = await evaluate(model, { seqsPerRatio: seqs, seed, ignoreTime });
    console.log(v.json ? JSON.stringify(roundEval(result)) : evalTable(result, seqs));
    return 0;
  } finally {
    model.dispose();
  }
}

function roundEval(e: Evaluation): Evaluation {
  const r = (x: number, d = 4) => Number(x.toFixed(d));
  return {
    ratios: e.ratios.map((x) => ({
      t: r(x.t),
      accuracy: r(x.accuracy),
      bestPossible: r(x.bestPossible),
      maskedTokens: x.maskedTokens,
      meanLoss: r(x.meanLoss),
    })),
    meanLoss: r(e.meanLoss),
    elboBitsPerToken: r(e.elboBitsPerToken),
  };
}

function evalTable(e: Evaluation, seqs: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
  const lines = [`accuracy at masked positions, ${seqs} sequences per ratio`, '     t  accuracy  best possible   gap   masked  loss'];
  for (const r of e.ratios) {
    lines.push(
      `${r.t.toFixed(3).padStart(6)}  ${pct(r.accuracy)}   ${pct(r.bestPossible)}     ${(100 * (r.bestPossible - r.accuracy)).toFixed(1).padStart(5)}  ${String(r.maskedTokens).padStart(6)}  ${r.meanLoss.toFixed(3)}`,
    );
  }
  // Pooled over these 15 fixed ratios, which leave out t < 0.1 and t > 0.95: not comparable with the training loss,
  // whose t ~ U(0.02, 1) includes the nearly unpredictable t close to 1 (a perfect model's training loss is about 0.52).
  lines.push(
    `loss per masked token, pooled over these ${e.ratios.length} ratios: ${e.meanLoss.toFixed(4)} nats (not the training loss, whose t runs from 0.02 to 1)`,
  );
  lines.push(`ELBO ${e.elboBitsPerToken.toFixed(3)} bits/token (the data's entropy is 0.415)`);
  return lines.join('\n');
}

async function predictCommand(args: string[]): Promise<number> {
  const v = parse(args, {
    weights: { type: 'string' },
    tokens: { type: 'string' },
    t: { type: 'string' },
    'top-k': { type: 'string' },
    json: { type: 'boolean' },
    backend: { type: 'string' },
  });
  if (v.help) return help();
  if (!v.weights) throw new UsageError('predict needs --weights FILE');
  if (!v.tokens) throw new UsageError('predict needs --tokens "3 0 5 ..." (0 marks a [MASK])');
  const t = numberArg('t', v.t, 0, 1);
  const V = DEFAULT_MODEL.vocabSize;
  // Split on commas and spaces, but an empty field ("3 0 5," or "3,,5") is a mistake, not a [MASK].
  const fields = (v.tokens as string).trim().split(/\s*,\s*|\s+/);
  const tokens = fields.map((s, i) => {
    if (s === '') throw new UsageError(`--tokens has an empty field at position ${i + 1}: write 0 for a [MASK]`);
    const n = Number(s);
    if (!/^\d+$/.test(s) || n >= V) throw new UsageError(`--tokens must be integers in 0..${V - 1}, got "${s}"`);
    return n;
  });
  if (tokens.length > DEFAULT_MODEL.maxLen)
    throw new UsageError(`--tokens has ${tokens.length} tokens; the model takes at most ${DEFAULT_MODEL.maxLen}`);
  const topK = intArg('top-k', v['top-k'], 3);
  if (topK > V) throw new UsageError(`--top-k must be at most the vocabulary size ${V}`);
  await useNodeBackend(v.backend as string | undefined);
  const { model, ignoreTime } = loadModel(v.weights as string);
  try {
    const predictions = (await predictMasked(model, tokens, t, topK, { ignoreTime })).map((p) => ({
      position: p.position,
      top: p.top.map((x) => ({ token: x.token, prob: Number(x.prob.toFixed(6)) })),
    }));
    if (v.json) console.log(JSON.stringify(predictions));
    else if (predictions.length === 0) console.log('no [MASK] (token 0) in --tokens: nothing to predict');
    else
      for (const p of predictions)
        console.log(`position ${String(p.position).padStart(3)}: ${p.top.map((x) => `${x.token} (${x.prob.toFixed(3)})`).join(', ')}`);
    return 0;
  } finally {
    model.dispose();
  }
}

async function sampleCommand(args: string[]): Promise<number> {
  const v = parse(args, {
    weights: { type: 'string' },
    sampler: { type: 'string' },
    steps: { type: 'string' },
    temperature: { type: 'string' },
    grid: { type: 'string' },
    batch: { type: 'string' },
    seed: { type: 'string' },
    show: { type: 'string' },
    json: { type: 'boolean' },
    backend: { type: 'string' },
  });
  if (v.help) return help();
  if (!v.weights) throw new UsageError('sample needs --weights FILE');
  const sampler = choiceArg('sampler', v.sampler, SAMPLERS, 'ancestral');
  const grid = choiceArg('grid', v.grid, TIME_GRIDS, 'uniform');
  const steps = intArg('steps', v.steps, 32);
  const batch = intArg('batch', v.batch, 32);
  const seed = intArg('seed', v.seed, 0, 0, MAX_SEED);
  const show = intArg('show', v.show, batch, 0);
  const temperature = v.temperature === undefined ? 1 : Number(v.temperature);
  if (v.temperature === '' || !Number.isFinite(temperature) || temperature < 0) {
    throw new UsageError(`--temperature must be a finite number >= 0 (0 = greedy), got "${v.temperature}"`);
  }
  await useNodeBackend(v.backend as string | undefined);
  const { model, ignoreTime } = loadModel(v.weights as string);
  try {
    const L = DEFAULT_DATA.seqLen;
    const result = await sample(model, new Rng(seed), { sampler, grid, steps, temperature, batch, seqLen: L, ignoreTime, keepTrajectory: false });
    const quality = sampleQuality(result.tokens);
    const sequences = Array.from({ length: batch }, (_, b) => Array.from(result.tokens.subarray(b * L, (b + 1) * L)));
    if (v.json) {
      console.log(JSON.stringify({ sampler, steps, grid, temperature, seed, sequences, quality: roundQuality(quality) }));
    } else {
      console.log(`${sampler} sampler, ${steps} steps, ${grid} grid, temperature ${temperature}, seed ${seed}: ${batch} sequences`);
      for (const seq of sequences.slice(0, show)) {
        const mark = isPerfectlyPeriodic(seq) ? `periodic, period ${minimalPeriod(seq)}` : `not periodic (${periodicDefect(seq)} tokens off)`;
        console.log(`${seq.map((x) => String(x).padStart(2)).join(' ')}   ${mark}`);
      }
      if (show < batch) console.log(`(${batch - show} more not shown)`);
      console.log(qualityTable(quality));
    }
    return 0;
  } finally {
    model.dispose();
  }
}

function choiceArg<T extends string>(name: string, raw: unknown, choices: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  if (!choices.includes(raw as T)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${raw}"`);
  return raw as T;
}

function roundQuality(q: SampleQuality) {
  const r = (x: number) => Number(x.toFixed(4));
  return {
    periodicFraction: r(q.periodicFraction),
    periodFractions: q.periodFractions.map(r),
    longerFraction: r(q.periods.longer / q.sequences),
    dataPeriodFractions: q.dataPeriodFractions.map(r),
    distinct: q.distinct,
    meanDefect: r(q.meanDefect),
  };
}

function qualityTable(q: SampleQuality): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(7);
  const n = q.sequences;
  const periodic = Math.round(q.periodicFraction * n);
  const header = q.periodFractions.map((_, k) => String(k + 1).padStart(7)).join('') + `${'longer'.padStart(8)}`;
  return [
    `perfectly periodic: ${periodic}/${n} (${(100 * q.periodicFraction).toFixed(1)}%)`,
    `minimal period ${header}`,
    `samples        ${q.periodFractions.map(pct).join('')} ${pct(q.periods.longer / n)}`,
    `data (exact)   ${q.dataPeriodFractions.map(pct).join('')} ${pct(0)}`,
    `distinct samples: ${q.distinct}/${n}; mean tokens off the nearest data sequence: ${q.meanDefect.toFixed(2)}`,
  ].join('\n');
}

function help(): number {
  console.log(USAGE);
  return 0;
}

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  train: trainCommand,
  eval: evalCommand,
  predict: predictCommand,
  sample: sampleCommand,
};

/** Run the CLI; returns the exit code. Errors become one clear line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return help();
  const run = COMMANDS[command];
  try {
    if (!run) throw new UsageError(`unknown command "${command}"`);
    return await run(rest);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`unmask: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof WeightsError || e instanceof RangeError || e instanceof ConfigError) {
      console.error(`unmask: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
