/**
 * Every number the lesson quotes from a measurement, and where it comes from.
 *
 * The prose (src/lesson/content/*.md) and the narration scripts never write a
 * measured number by hand: they write `{{value KEY FORMAT}}`, and the build
 * (prose) or `npm run narration` (scripts, before speaking them) puts in the
 * value read from the data file named here, in the format asked for
 * (number-format.ts). A new checkpoint, a re-run benchmark or a new eval is
 * then one data-file change: the page follows at the next build, and the
 * narration test fails until the audio is rendered again from the new numbers.
 * Exact values (computed from the data's definition, not measured) come from
 * the engine's own formulas, so they cannot drift from the code either.
 *
 * Plain TypeScript over parsed JSON: the build reads the files with fs, the
 * tests do the same.
 */
import { exactBestPossibleAccuracy, pairRevealConflict } from '../core/bayes.ts';
import { DEFAULT_DATA, DEFAULT_MODEL } from '../core/config.ts';
import { binomialPmf, linspace } from '../core/numeric.ts';
import { sinusoidalTable } from '../core/params.ts';
import { dataPeriodDistribution, meanInverseDistinctTokens } from '../core/periodicity.ts';
import { conflictInput, CONFLICT_EXAMPLE } from './examples.ts';
import { formatNumber, isFormat } from './number-format.ts';
import type { LossFloor, RecipeCurves, SamplingMeasurements, SamplingSetting, StallAblation } from './measured-types.ts';
import { errorMessage } from '../core/error-message.ts';

/** Parsed JSON of a repository file, by its path from the repository root. */
export type Read = (path: string) => unknown;

export interface Quantity {
  /** Data files the value is read from (none: computed exactly from the engine's formulas). */
  readonly files: readonly string[];
  /** What it is, for the reader of this file and for error messages. */
  readonly about: string;
  value(read: Read): number;
}

interface EvalFile {
  readonly ratios: readonly { t: number; accuracy: number; bestPossible: number; meanLoss: number }[];
  readonly meanLoss: number;
  readonly elboBitsPerToken: number;
}

/** The shipped checkpoints, by role: a new default recipe or checkpoint is a change here and in its eval file. */
export const CHECKPOINTS = Object.freeze({ notebook: 'notebook-3000', learns: 'learns-5000', curriculum: 'curriculum-6500', fast: 'fast-5000' });
type Role = keyof typeof CHECKPOINTS;

const evalFile = (role: Role) => `public/pretrained/${CHECKPOINTS[role]}.eval.json`;
const SAMPLING = 'public/measured/sampling.json';
const CURVES = 'public/measured/recipe-curves.json';
const FLOOR = 'public/measured/loss-floor.json';
const SEARCH = 'public/measured/recipe-search.json';
const SEEDS = 'public/measured/curriculum-seeds.json';
/** The fast recipe from fresh seeds in this engine (bench/recipe-confirm.ts, copied by a test from its record). */
const FAST_SEEDS = 'public/measured/fast-seeds.json';
/** Time-to-learn: the Training section's default run, timed as a learner would (npm run bench:learn). */
const TIME_TO_LEARN = 'public/measured/time-to-learn.json';
const STEP_TIMES = 'public/measured/step-times.json';
const ABLATION = 'public/measured/stall-ablation.json';
/** The shipped word model's training record (npm run bench:words). */
const WORDS = 'public/pretrained/words-3000.train.json';

function ablationGroup(read: Read, group: string): StallAblation['groups'][number] {
  const g = (read(ABLATION) as StallAblation).groups.find((x) => x.group === group);
  if (!g) throw new RangeError(`${ABLATION} has no group ${group}`);
  return g;
}

interface StepTimes {
  readonly runs: readonly { readonly backend: string; readonly recipe: string; readonly lessonMsPerStep: number }[];
}

/**
 * Milliseconds a step of `recipe`'s run in the Training section, WASM in Chromium (npm run
 * bench:browser): timed over one period between check-ups, so it includes what the run does
 * besides stepping (a check-up, save points) in the share a whole run has.
 */
function wasmMs(read: Read, recipe: string): number {
  const run = (read(STEP_TIMES) as StepTimes).runs.find((r) => r.backend === 'wasm' && r.recipe === recipe);
  if (!run) throw new RangeError(`${STEP_TIMES} has no wasm run of the ${recipe} recipe: run npm run bench:browser with --recipe ${recipe}`);
  return run.lessonMsPerStep;
}

interface FastSeeds {
  /** worstGapPoints: how far short of the best possible at the worst ratio t <= 0.8, points (positive: short). */
  readonly seeds: readonly { readonly seed: number; readonly worstGapPoints: number; readonly onTarget: boolean }[];
}
interface TimeToLearn {
  readonly lesson: { readonly wallS: number; readonly msPerStep: number; readonly worst: number };
  readonly node: { readonly wallS: number };
}

/** A checkpoint's training steps, from its name (notebook-3000: 3000). */
const stepsOf = (role: Role) => Number(CHECKPOINTS[role].split('-').pop());
const TIME_INPUT = ['public/challenges/time-input.json', 'public/challenges/time-input-seed7.json'];

interface SearchFile {
  readonly variants: readonly { variant: string; seeds: number; onTarget: number; meanWorstGap: number; meanAccuracy: Record<string, number> }[];
}

/** The recipe search's variants the lesson quotes, by the name it quotes them under. */
const SEARCH_VARIANTS = {
  learns: 'learns',
  elbo: 'elbo',
  notime: 'notime',
  warp: 'twarp0.5',
  curriculum: 'curr2k',
  curriculumWarp: 'curr2k-twarp0.5',
} as const;

function searchVariant(read: Read, id: keyof typeof SEARCH_VARIANTS) {
  const v = (read(SEARCH) as SearchFile).variants.find((x) => x.variant === SEARCH_VARIANTS[id]);
  if (!v) throw new RangeError(`${SEARCH} has no variant ${SEARCH_VARIANTS[id]}`);
  return v;
}

function searchQuantities(): Record<string, Quantity> {
  const out: Record<string, Quantity> = {};
  for (const id of Object.keys(SEARCH_VARIANTS) as (keyof typeof SEARCH_VARIANTS)[]) {
    const about = `recipe search, ${SEARCH_VARIANTS[id]}`;
    out[`search.${id}.seeds`] = { files: [SEARCH], about: `${about}: seeds run`, value: (r) => searchVariant(r, id).seeds };
    out[`search.${id}.onTarget`] = {
      files: [SEARCH],
      about: `${about}: seeds within 2 points at every t <= 0.8`,
      value: (r) => searchVariant(r, id).onTarget,
    };
    out[`search.${id}.worstGap`] = {
      files: [SEARCH],
      about: `${about}: seed-mean worst gap (a share, negative)`,
      value: (r) => -searchVariant(r, id).meanWorstGap,
    };
    for (const t of ['0.7', '0.8']) {
      out[`search.${id}.acc.t${t.replace('.', '')}`] = {
        files: [SEARCH],
        about: `${about}: seed-mean accuracy at t = ${t}`,
        value: (r) => searchVariant(r, id).meanAccuracy[t],
      };
    }
  }
  return out;
}

/** Accuracy at t of one time input's precomputed run (0: the main file, 1: the second seed). */
function timeInputAt(read: Read, file: 0 | 1, timeInput: string, t: number): number {
  const d = read(TIME_INPUT[file]) as { variants: { timeInput: string; ratios: { t: number; accuracy: number }[] }[] };
  const r = d.variants.find((v) => v.timeInput === timeInput)?.ratios.find((x) => Math.abs(x.t - t) < 1e-6);
  if (!r) throw new RangeError(`${TIME_INPUT[file]} has no ${timeInput} run at t = ${t}`);
  return r.accuracy;
}

function evalOf(read: Read, role: Role): EvalFile {
  return read(evalFile(role)) as EvalFile;
}

/** The eval row at ratio t (the eval grid is 0.1 + k·0.85/14, quoted to 3 decimals). */
function evalAt(read: Read, role: Role, t: number) {
  const row = evalOf(read, role).ratios.find((r) => Math.abs(r.t - t) < 5e-4);
  if (!row) throw new RangeError(`${evalFile(role)} has no ratio ${t}`);
  return row;
}

/** Largest gap (best possible on the same sequences minus the model) over lo <= t <= hi. */
function worstGap(read: Read, role: Role, lo: number, hi: number): number {
  const rows = evalOf(read, role).ratios.filter((r) => r.t >= lo - 1e-9 && r.t <= hi + 1e-9);
  return Math.max(...rows.map((r) => r.bestPossible - r.accuracy));
}

function smallestGap(read: Read, role: Role, lo: number, hi: number): number {
  const rows = evalOf(read, role).ratios.filter((r) => r.t >= lo - 1e-9 && r.t <= hi + 1e-9);
  return Math.min(...rows.map((r) => r.bestPossible - r.accuracy));
}

/** Mean accuracy of a checkpoint over the ratios up to hi: the notebook recipe's plateau. */
function meanAccuracy(read: Read, role: Role, hi: number): number {
  const rows = evalOf(read, role).ratios.filter((r) => r.t <= hi + 1e-9);
  return rows.reduce((s, r) => s + r.accuracy, 0) / rows.length;
}

function sampling(read: Read, source: string, sampler: string, grid: string, steps: number): SamplingSetting {
  const s = (read(SAMPLING) as SamplingMeasurements).sources.find((x) => x.source === source);
  const row = s?.settings.find((x) => x.sampler === sampler && x.grid === grid && x.steps === steps);
  if (!row) throw new RangeError(`${SAMPLING} has no ${sampler}/${grid}/${steps} for ${source}`);
  return row;
}

/** Sources in sampling.json by the name the lesson quotes them under. */
const SAMPLING_SOURCES = {
  best: 'best possible',
  notebook: CHECKPOINTS.notebook,
  learns: CHECKPOINTS.learns,
  curriculum: CHECKPOINTS.curriculum,
} as const;
const SAMPLING_FIELDS = { periodic: 'periodicFraction', defect: 'meanDefect', distinct: 'distinctPerBatch' } as const;

/**
 * sampling.SOURCE.SETTING.FIELD: SETTING is anc-u32 (ancestral, uniform grid, 32 steps), anc-c64, conf-u32, …,
 * or page-anc / page-conf (what section 11 shows at seed 42 with its defaults); FIELD periodic, defect or distinct.
 */
/** The shipped word model's record: the baselines, and its last measured row. */
interface WordsRecord {
  readonly unigram: number;
  readonly bigram: number;
  readonly rows: readonly {
    readonly step: number;
    readonly bitsPerChar: number;
    readonly ancestral: { readonly wordLike: number; readonly real: number; readonly meanLength: number };
    readonly confidence: { readonly wordLike: number; readonly real: number; readonly meanLength: number };
  }[];
}
const lastWordsRow = (r: Read) => (r(WORDS) as WordsRecord).rows.at(-1)!;

function wordsQuantities(): Record<string, Quantity> {
  const q = (about: string, value: (r: Read) => number): Quantity => ({
    files: [WORDS],
    about: `the shipped word model (words-3000): ${about}`,
    value,
  });
  return {
    'words.unigram': q('unigram baseline, bits per character on held-out words', (r) => (r(WORDS) as WordsRecord).unigram),
    'words.bigram': q('bigram baseline, bits per character on held-out words', (r) => (r(WORDS) as WordsRecord).bigram),
    'words.final.bitsPerChar': q('its ELBO at the last step, bits per character', (r) => lastWordsRow(r).bitsPerChar),
    'words.final.ancestral.wordLike': q('share of ancestral samples that are word-like', (r) => lastWordsRow(r).ancestral.wordLike),
    'words.final.ancestral.real': q('share of ancestral samples that are real words', (r) => lastWordsRow(r).ancestral.real),
    'words.final.ancestral.length': q('letters an ancestral sample, on average', (r) => lastWordsRow(r).ancestral.meanLength),
    'words.final.confidence.wordLike': q('share of surest-first samples that are word-like', (r) => lastWordsRow(r).confidence.wordLike),
    'words.final.confidence.real': q('share of surest-first samples that are real words', (r) => lastWordsRow(r).confidence.real),
    'words.final.confidence.length': q('letters a surest-first sample, on average', (r) => lastWordsRow(r).confidence.meanLength),
  };
}

function samplingQuantities(): Record<string, Quantity> {
  const out: Record<string, Quantity> = {};
  const settings = [8, 16, 32, 64, 128, 256, 512].flatMap((steps) =>
    (['ancestral', 'confidence'] as const).flatMap((sampler) => (['uniform', 'cosine'] as const).map((grid) => ({ sampler, grid, steps }))),
  );
  for (const [src, name] of Object.entries(SAMPLING_SOURCES)) {
    for (const [field, key] of Object.entries(SAMPLING_FIELDS)) {
      for (const x of settings) {
        const id = `${x.sampler === 'ancestral' ? 'anc' : 'conf'}-${x.grid[0]}${x.steps}`;
        out[`sampling.${src}.${id}.${field}`] = {
          files: [SAMPLING],
          about: `${name}, ${x.sampler} sampler, ${x.grid} grid, ${x.steps} steps, temperature 1: ${key}`,
          value: (r) => sampling(r, name, x.sampler, x.grid, x.steps)[key],
        };
      }
      for (const x of settings) {
        // Valid samples are 0 tokens off, so the mean over the invalid ones is the mean over all / the invalid share.
        const id = `${x.sampler === 'ancestral' ? 'anc' : 'conf'}-${x.grid[0]}${x.steps}`;
        out[`sampling.${src}.${id}.defectWhenBroken`] = {
          files: [SAMPLING],
          about: `${name}, ${x.sampler}, ${x.grid}, ${x.steps} steps: mean tokens off among the samples that are not periodic`,
          value: (r) => {
            const row = sampling(r, name, x.sampler, x.grid, x.steps);
            return row.meanDefect / (1 - row.periodicFraction);
          },
        };
      }
      for (const sampler of ['ancestral', 'confidence'] as const) {
        out[`sampling.${src}.page-${sampler === 'ancestral' ? 'anc' : 'conf'}.${field}`] = {
          files: [SAMPLING],
          about: `${name}, ${sampler}, as section 11 shows it at seed 42 (64 samples): ${key}`,
          value: (r) => pageSampling(r, name, sampler)[key],
        };
      }
    }
  }
  return out;
}

function pageSampling(read: Read, source: string, sampler: string): SamplingSetting {
  const row = (read(SAMPLING) as SamplingMeasurements).sources.find((x) => x.source === source)?.page.find((x) => x.sampler === sampler);
  if (!row) throw new RangeError(`${SAMPLING} has no page ${sampler} row for ${source}`);
  return row;
}

function curve(read: Read, role: Role) {
  const c = (read(CURVES) as RecipeCurves).recipes.find((r) => r.recipe === role);
  if (!c) throw new RangeError(`${CURVES} has no ${role} run`);
  return c;
}

/** The first check-up at which a precomputed run is off the plateau: 90% or more at t = 0.1 (as section 8's cell says). */
function escapeStep(read: Read, role: Role): number {
  const data = read(CURVES) as RecipeCurves;
  const k = data.checkT.indexOf(0.1);
  const c = curve(read, role).checkups.find((x) => x.accuracy[k] >= 0.9);
  if (!c) throw new RangeError(`${CURVES}: the ${role} run never reaches 90% at t = 0.1`);
  return c.step;
}

/** Mean loss over steps [from, to] (1-based, inclusive) of a precomputed run, skipped steps left out. */
function meanLoss(read: Read, role: Role, from: number, to: number): number {
  const xs = curve(read, role)
    .losses.slice(from - 1, to)
    .filter((x): x is number => x !== null);
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

const exact = (about: string, value: () => number): Quantity => ({ files: [], about, value });

/** The engine's sinusoidal positions for one sequence, less their mean: root-mean-square length. */
function varyingPositionNorm(L = DEFAULT_DATA.seqLen, d = DEFAULT_MODEL.dModel): number {
  const pe = sinusoidalTable(L, d); // [L*d]
  let sq = 0;
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let pos = 0; pos < L; pos++) mean += pe[pos * d + j] / L;
    for (let pos = 0; pos < L; pos++) sq += (pe[pos * d + j] - mean) ** 2 / L;
  }
  return Math.sqrt(sq);
}

/** The ratios `unmask eval` reports (metrics.ts DEFAULT_RATIOS), keyed t0100, t0161, …, t0950 (t to 3 decimals). */
export const EVAL_RATIOS: readonly number[] = linspace(0.1, 0.95, 15);
export const ratioKey = (t: number) => `t${String(Math.round(1000 * t)).padStart(4, '0')}`;

/** eval.ROLE.acc.tXXXX and eval.ROLE.bestOnSet.tXXXX for every checkpoint and eval ratio. */
function evalQuantities(): Record<string, Quantity> {
  const out: Record<string, Quantity> = {};
  for (const t of [...EVAL_RATIOS, 0.6, 0.7, 0.8, 0.9, 1]) {
    out[`exact.best.${ratioKey(t)}`] = exact(`best possible accuracy at t = ${t.toFixed(3)}, exact`, () => exactBestPossibleAccuracy(t));
  }
  for (const role of Object.keys(CHECKPOINTS) as Role[]) {
    for (const t of EVAL_RATIOS) {
      out[`eval.${role}.acc.${ratioKey(t)}`] = {
        files: [evalFile(role)],
        about: `${role} checkpoint: accuracy at t = ${t.toFixed(3)}`,
        value: (r) => evalAt(r, role, t).accuracy,
      };
      out[`eval.${role}.bestOnSet.${ratioKey(t)}`] = {
        files: [evalFile(role)],
        about: `the exact denoiser's expected accuracy on the ${role} eval's sequences at t = ${t.toFixed(3)} (an estimate of the best possible)`,
        value: (r) => evalAt(r, role, t).bestPossible,
      };
    }
  }
  return out;
}
const fromEval = (role: Role, about: string, value: (read: Read) => number): Quantity => ({ files: [evalFile(role)], about, value });

const Q: Record<string, Quantity> = {
  // Exact: the data's definition and the engine's formulas.
  'exact.sentenceMasks.t02.none': exact('P(0 of 6 words masked) at t = 0.2', () => binomialPmf(6, 0.2)[0]),
  'exact.sentenceMasks.t02.one': exact('P(1 of 6 words masked) at t = 0.2', () => binomialPmf(6, 0.2)[1]),
  'exact.sentenceMasks.t02.two': exact('P(2 of 6 words masked) at t = 0.2', () => binomialPmf(6, 0.2)[2]),
  'exact.binom32half.sixteen': exact('P(exactly 16 of 32 masked) at t = 0.5', () => binomialPmf(32, 0.5)[16]),
  'exact.binom32half.within11to21': exact('P(11 to 21 of 32 masked) at t = 0.5', () =>
    binomialPmf(32, 0.5)
      .slice(11, 22)
      .reduce((a, b) => a + b, 0),
  ),
  'exact.oneOverK': exact(
    'E[1/k], k the number of different tokens in a pattern: the accuracy of an even guess among them',
    () => meanInverseDistinctTokens().overall,
  ),
  'exact.oneOverK.p2': exact('E[1/k] for patterns of length 2', () => meanInverseDistinctTokens().byPeriod[2]),
  'exact.oneOverK.p3': exact('E[1/k] for patterns of length 3', () => meanInverseDistinctTokens().byPeriod[3]),
  'exact.oneOverK.p4': exact('E[1/k] for patterns of length 4', () => meanInverseDistinctTokens().byPeriod[4]),
  'exact.conflict.together': exact(
    "section 11's conflict example: P(no period fits) when positions 4 and 5 are drawn together",
    () => pairRevealConflict(conflictInput(), ...CONFLICT_EXAMPLE.positions).together,
  ),
  'exact.positions.varyingNorm': exact(
    'root-mean-square length of the 32 sinusoidal position vectors after removing their mean: the part that tells positions apart',
    () => varyingPositionNorm(),
  ),
  'exact.period1Share': exact('share of data sequences whose shortest period is 1', () => dataPeriodDistribution(DEFAULT_DATA)[0]),

  // The objectives' floors (bench/loss-floor.ts): the entropy is exact, the pooled floor estimated from the exact posterior.
  'floor.entropy.nats': {
    files: [FLOOR],
    about: "the data's entropy, nats per token (the ELBO's floor)",
    value: (r) => (r(FLOOR) as LossFloor).entropyNatsPerToken,
  },
  'floor.entropy.bits': { files: [FLOOR], about: "the data's entropy, bits per token", value: (r) => (r(FLOOR) as LossFloor).entropyBitsPerToken },
  'floor.perplexity': { files: [FLOOR], about: "the data's perplexity", value: (r) => (r(FLOOR) as LossFloor).perplexity },
  'floor.pooled': {
    files: [FLOOR],
    about: "the best possible model's pooled masked mean, nats per masked token",
    value: (r) => (r(FLOOR) as LossFloor).pooledMeanFloorNats,
  },

  // The stall ablation (bench/stall-ablation), as far as it has run.
  'ablation.addOne.reached': {
    files: [ABLATION],
    about: 'the add-one ablation: steps every run has reached',
    value: (r) => Math.min(...ablationGroup(r, 'add-one').variants.map((v) => v.lastStep)),
  },
  'ablation.addOne.seeds': {
    files: [ABLATION],
    about: 'the add-one ablation: seeds run for every change',
    value: (r) => Math.min(...ablationGroup(r, 'add-one').variants.map((v) => v.seeds.length)),
  },

  // Training speed on WASM in Chromium (npm run bench:browser), and what it means for each recipe's run.
  // The fast recipe's whole run is timed as well, from pressing Train (learn.*).
  ...Object.fromEntries(
    (Object.keys(CHECKPOINTS) as Role[])
      .filter((role) => role !== 'learns') // a role is named after its recipe; learns steps as the curriculum does
      .flatMap((role) => [
        [
          `speed.wasm.s.${role}`,
          { files: [STEP_TIMES], about: `seconds a step of the ${role} recipe's run, WASM in Chromium`, value: (r: Read) => wasmMs(r, role) / 1000 },
        ],
        [
          `speed.wasm.minutes.${role}`,
          {
            files: [STEP_TIMES],
            about: `minutes for the ${role} recipe's ${stepsOf(role)} steps on WASM in Chromium, at that rate`,
            value: (r: Read) => (stepsOf(role) * wasmMs(r, role)) / 60000,
          },
        ],
      ]),
  ),

  // The recipe search (PyTorch, bench/recipe-search), tallied by bench/stall-ablation/summarize.py.
  ...searchQuantities(),
  'seeds.curriculum.count': {
    files: [SEEDS],
    about: 'curriculum recipe: seeds trained to the end in this engine',
    value: (r) => (r(SEEDS) as { seeds: unknown[] }).seeds.length,
  },
  'seeds.curriculum.worstGap': {
    files: [SEEDS],
    about: 'curriculum recipe: the largest gap at t <= 0.8 over those seeds (points)',
    value: (r) => Math.max(...(r(SEEDS) as { seeds: { worstGapPoints: number }[] }).seeds.map((s) => s.worstGapPoints)),
  },

  'seeds.fast.count': {
    files: [FAST_SEEDS],
    about: 'fast recipe: seeds trained to the end in this engine',
    value: (r) => (r(FAST_SEEDS) as FastSeeds).seeds.length,
  },
  'seeds.fast.onTarget': {
    files: [FAST_SEEDS],
    about: 'fast recipe: seeds within 2 points of the best possible at every t <= 0.8 (0.8 included)',
    value: (r) => (r(FAST_SEEDS) as FastSeeds).seeds.filter((s) => s.onTarget).length,
  },
  'seeds.fast.worstGap': {
    files: [FAST_SEEDS],
    about: 'fast recipe: the largest gap at t <= 0.8 over those seeds (points)',
    value: (r) => Math.max(...(r(FAST_SEEDS) as FastSeeds).seeds.map((s) => s.worstGapPoints)),
  },
  'seeds.fast.bestGap': {
    files: [FAST_SEEDS],
    about: "fast recipe: the smallest of those seeds' largest gaps (points)",
    value: (r) => Math.min(...(r(FAST_SEEDS) as FastSeeds).seeds.map((s) => s.worstGapPoints)),
  },

  // Time-to-learn (npm run bench:learn): the default recipe, trained in the lesson as a learner would.
  'learn.lesson.minutes': {
    files: [TIME_TO_LEARN],
    about: 'time-to-learn in the lesson: pressing Train to the trained model in place, minutes',
    value: (r) => (r(TIME_TO_LEARN) as TimeToLearn).lesson.wallS / 60,
  },
  'learn.lesson.msPerStep': {
    files: [TIME_TO_LEARN],
    about: 'time-to-learn in the lesson: wall time a step, milliseconds, everything included',
    value: (r) => (r(TIME_TO_LEARN) as TimeToLearn).lesson.msPerStep,
  },
  'learn.lesson.gap': {
    files: [TIME_TO_LEARN],
    about: "time-to-learn in the lesson: the trained model's largest gap at t <= 0.8 (points)",
    value: (r) => -(r(TIME_TO_LEARN) as TimeToLearn).lesson.worst,
  },
  'learn.node.minutes': {
    files: [TIME_TO_LEARN],
    about: 'time-to-learn, the reference: unmask train in Node, same recipe, same run, minutes',
    value: (r) => (r(TIME_TO_LEARN) as TimeToLearn).node.wallS / 60,
  },

  // The time-input challenge's precomputed runs (bench/challenges.ts), two seeds.
  'timeInput.none.t08.seedA': {
    files: [TIME_INPUT[0]],
    about: 'no time input, first seed: accuracy at t = 0.8',
    value: (r) => timeInputAt(r, 0, 'none', 0.8),
  },
  'timeInput.learned.t08.seedA': {
    files: [TIME_INPUT[0]],
    about: 'learned time input, first seed: accuracy at t = 0.8',
    value: (r) => timeInputAt(r, 0, 'learned', 0.8),
  },
  'timeInput.none.t08.seedB': {
    files: [TIME_INPUT[1]],
    about: 'no time input, second seed: accuracy at t = 0.8',
    value: (r) => timeInputAt(r, 1, 'none', 0.8),
  },
  'timeInput.learned.t08.seedB': {
    files: [TIME_INPUT[1]],
    about: 'learned time input, second seed: accuracy at t = 0.8',
    value: (r) => timeInputAt(r, 1, 'learned', 0.8),
  },

  // The shipped checkpoints' evals (unmask eval --seqs 1000, seed 1234).
  ...evalQuantities(),
  'eval.notebook.plateau': fromEval('notebook', 'notebook recipe: mean accuracy over the eval ratios up to t = 0.9', (r) =>
    meanAccuracy(r, 'notebook', 0.9),
  ),
  'eval.notebook.loss.t0525': fromEval(
    'notebook',
    'notebook recipe: mean loss per masked token at t = 0.525',
    (r) => evalAt(r, 'notebook', 0.525).meanLoss,
  ),
  'eval.learns.loss.t0525': fromEval('learns', 'learns recipe: mean loss per masked token at t = 0.525', (r) => evalAt(r, 'learns', 0.525).meanLoss),
  'eval.learns.midGapLo': fromEval('learns', 'learns recipe: smallest gap to the best possible over t = 0.5..0.65', (r) =>
    smallestGap(r, 'learns', 0.5, 0.65),
  ),
  'eval.learns.midGapHi': fromEval('learns', 'learns recipe: largest gap to the best possible over t = 0.5..0.65', (r) =>
    worstGap(r, 'learns', 0.5, 0.65),
  ),
  'eval.learns.highGapLo': fromEval('learns', 'learns recipe: smallest gap over t = 0.7..0.85', (r) => smallestGap(r, 'learns', 0.7, 0.85)),
  'eval.learns.highGapHi': fromEval('learns', 'learns recipe: largest gap over t = 0.7..0.85', (r) => worstGap(r, 'learns', 0.7, 0.85)),
  'eval.curriculum.worstGapTo08': fromEval('curriculum', 'curriculum recipe: largest gap to the best possible at t <= 0.8', (r) =>
    worstGap(r, 'curriculum', 0, 0.8),
  ),
  'eval.fast.worstGapTo08': fromEval('fast', 'fast recipe: largest gap to the best possible at t <= 0.8', (r) => worstGap(r, 'fast', 0, 0.8)),
  'eval.curriculum.meanLoss': fromEval(
    'curriculum',
    'curriculum recipe: mean over the 15 eval ratios of the loss per masked token',
    (r) => evalOf(r, 'curriculum').meanLoss,
  ),

  // Sampling (bench/sampler-quality.ts): sampling.SOURCE.SETTING.FIELD, e.g. sampling.best.anc-u32.periodic.
  'sampling.draws': {
    files: [SAMPLING],
    about: 'batches of 64 pooled for each sampling setting',
    value: (r) => (r(SAMPLING) as SamplingMeasurements).draws,
  },
  ...samplingQuantities(),
  ...wordsQuantities(),

  // The precomputed training runs (bench/recipe-curves.ts).
  'curves.notebook.firstLoss': {
    files: [CURVES],
    about: 'notebook recipe: mean loss over its first 10 steps',
    value: (r) => meanLoss(r, 'notebook', 1, 10),
  },
  'curves.learns.firstLoss': {
    files: [CURVES],
    about: 'learns recipe: mean loss over its first 10 steps',
    value: (r) => meanLoss(r, 'learns', 1, 10),
  },
  'curves.learns.escape': {
    files: [CURVES],
    about: 'learns recipe: first check-up with 90% or more at t = 0.1',
    value: (r) => escapeStep(r, 'learns'),
  },
  'curves.curriculum.escape': {
    files: [CURVES],
    about: 'curriculum recipe: first check-up with 90% or more at t = 0.1',
    value: (r) => escapeStep(r, 'curriculum'),
  },
  'curves.fast.escape': {
    files: [CURVES],
    about: 'fast recipe: first check-up with 90% or more at t = 0.1',
    value: (r) => escapeStep(r, 'fast'),
  },
  'curves.notebook.finalLoss': {
    files: [CURVES],
    about: 'notebook recipe: mean loss over its last 500 steps',
    value: (r) => meanLoss(r, 'notebook', 2501, 3000),
  },
};

export const QUANTITIES: Readonly<Record<string, Quantity>> = Object.freeze(Q);

/** `{{value KEY FORMAT}}` */
export const VALUE_PATTERN = /\{\{value ([A-Za-z0-9_.-]+) ([a-z0-9-]+)\}\}/g;

/** The value of a quantity, formatted; throws naming the key, the format or the file at fault. */
export function quote(key: string, format: string, read: Read): string {
  const q = QUANTITIES[key];
  if (!q) throw new RangeError(`unknown measured value "${key}" (see src/lesson/measured.ts)`);
  if (!isFormat(format)) throw new RangeError(`"${key}": unknown format "${format}" (see src/lesson/number-format.ts)`);
  return formatNumber(q.value(read), format);
}

/** Every `{{value KEY FORMAT}}` in `text` replaced by its quote. */
export function expandValues(text: string, read: Read, where: string): string {
  return text.replace(VALUE_PATTERN, (_, key: string, format: string) => {
    try {
      return quote(key, format, read);
    } catch (e) {
      throw new Error(`${where}: ${errorMessage(e)}`);
    }
  });
}

/** The data files a text's quotes read (the build watches them). */
export function filesQuoted(text: string): string[] {
  const files = new Set<string>();
  for (const m of text.matchAll(VALUE_PATTERN)) for (const f of QUANTITIES[m[1]]?.files ?? []) files.add(f);
  return [...files];
}
