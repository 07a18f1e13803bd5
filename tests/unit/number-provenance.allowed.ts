/**
 * The numbers the lesson writes by hand, file by file, and where each comes from.
 * number-provenance.test.ts fails on any number written in a file but missing here,
 * on any listed number no longer written there, and on any checked number that
 * no longer equals its source. Measured numbers do not belong here: quote them with
 * {{value KEY FORMAT}} (src/lesson/measured.ts).
 *
 * An entry is either checked, `{ source, value, tolerance }` (a setting read from the
 * code that defines it, or an exact value computed by the engine), or named, `{ source }`
 * (a worked example, a setting of a figure, a label: nothing to check it against).
 * The key is the number as written: "38%", "0.2877", "thirty-two thousand".
 */
import { readFileSync } from 'node:fs';
import { readRepoJson } from '../../src/build/repo-json.ts';
import { LETTERS } from '../../src/words/alphabet.ts';
import { exactBestPossibleAccuracy } from '../../src/core/bayes.ts';
import { DEFAULT_DATA, DEFAULT_MODEL } from '../../src/core/config.ts';
import { countParams } from '../../src/core/params.ts';
import { CURRICULUM, FAST, LEARNS, NOTEBOOK } from '../../src/core/recipes.ts';
import { CHECKPOINTS, QUANTITIES } from '../../src/lesson/measured.ts';
import type { Found } from '../helpers/numbers-in-text.ts';

export type Allowed = { readonly source: string } | { readonly source: string; readonly value: () => number; readonly tolerance: number };

/** Whole numbers up to 12, written without a percent sign: section numbers, TODO numbers, small counts ("three encoder layers"), pattern lengths. */
export function SMALL_INTEGERS_ARE_LABELS(f: Found): boolean {
  return Number.isInteger(f.value) && f.value >= 0 && f.value <= 12 && !/[%.]|percent|point/.test(f.text);
}

const exactly = (source: string, value: () => number, tolerance = 1e-9): Allowed => ({ source, value, tolerance });
/** A percentage as written (38%): the value in percent, to the precision written. */
const percent = (source: string, share: () => number, decimals = 0): Allowed => ({
  source,
  value: () => 100 * share(),
  tolerance: 0.5 * 10 ** -decimals + 1e-9,
});
const rounded = (source: string, value: () => number, decimals: number): Allowed => ({ source, value, tolerance: 0.5 * 10 ** -decimals + 1e-9 });
const named = (source: string): Allowed => ({ source });
const measured = (key: string) => () => QUANTITIES[key].value(readRepoJson);

const L = () => DEFAULT_DATA.seqLen;
const V = () => DEFAULT_DATA.vocabSize;
const D = () => DEFAULT_MODEL.dModel;
const R = () => DEFAULT_DATA.vocabSize - 1;
const BATCH = () => NOTEBOOK.batchSize;
const params = () => countParams(DEFAULT_MODEL);
const layerParams = () => {
  const d = DEFAULT_MODEL.dModel,
    f = DEFAULT_MODEL.dFF;
  return 3 * d * d + 3 * d + d * d + d + f * d + f + d * f + d + 4 * d;
};
/** Where the learns checkpoint's gap to the best possible is largest: checked to lie in [0.7, 0.85]. */
const biggestLearnsGapIn = (lo: number, hi: number, said: number) => () => {
  const ratios = (readRepoJson('public/pretrained/learns-5000.eval.json') as { ratios: { t: number; accuracy: number; bestPossible: number }[] })
    .ratios;
  const worst = ratios.reduce((a, b) => (b.bestPossible - b.accuracy > a.bestPossible - a.accuracy ? b : a));
  return worst.t >= lo && worst.t <= hi ? said : Number.NaN;
};
const BERT = named('BERT (Devlin et al., 2019): 15% of positions chosen; of those 80% [MASK], 10% random, 10% unchanged');
const tValue = named('a masking ratio chosen for an example or a figure');
const checkpointSteps = (role: keyof typeof CHECKPOINTS) =>
  exactly(`the ${role} checkpoint's training steps (its file name)`, () => Number(CHECKPOINTS[role].split('-').pop()));

export const ALLOWED: Readonly<Record<string, Readonly<Record<string, Allowed>>>> = {
  'src/lesson/content/00-setup.md': { '42': exactly('the default seed', () => 42) },
  'src/lesson/content/01-why.md': {
    '0.52': named('an example pixel brightness'),
    '0.03': named('an example of noise on a brightness'),
    '0.3': named('an example of noise on a token id'),
    '7.3': named('7 + 0.3: the worked example'),
    '2022': named('year of a cited paper (Li et al.; Dieleman et al.)'),
    '2021': named('year of a cited paper (Austin et al.)'),
    '2024': named('year of a cited paper (Lou et al.)'),
  },
  'src/lesson/content/02-intuition.md': {
    '20%': percent('t = 0.2 of the table, as a percentage', () => 0.2),
    '15%': BERT,
    '80%': BERT,
    '10%': BERT,
    '80': BERT,
  },
  'src/lesson/content/03-math.md': { '64': exactly('batch size', BATCH) },
  'src/lesson/content/04-data.md': {
    '15': exactly('real tokens, ids 1 to 15', R),
    '32': exactly('sequence length', L),
    '16': exactly('vocabulary size', V),
    '64': exactly('batch size', BATCH),
    '60%': percent('t = 0.6 as a percentage', () => 0.6),
    '0.2877': rounded("the data's entropy, nats per token (bench/loss-floor.ts, exact)", measured('floor.entropy.nats'), 4),
  },
  'src/lesson/content/05-masking.md': {
    '32': exactly('sequence length', L),
    '16': exactly('L t at t = 0.5', () => L() * 0.5),
    '21': named('the upper end of the range whose probability is quoted (exact.binom32half.within11to21)'),
  },
  'src/lesson/content/06-statistics.md': {
    '1000': named('sequences the fraction-vs-t cell masks at each ratio (src/compute/masking-statistics.ts TRIALS)'),
    '20': named('ratios the fraction-vs-t cell draws'),
    '16': exactly('L t at t = 0.5', () => L() * 0.5),
    '2.8': rounded('the Binomial(32, 0.5) standard deviation', () => Math.sqrt(L() * 0.25), 1),
    '15%': BERT,
    '32': exactly('sequence length', L),
  },
  'src/lesson/content/07-transformer.md': {
    '32': exactly('sequence length', L),
    '16': exactly('vocabulary size (and head width 64/4)', V),
    '64': exactly('model width', D),
    '156,304': exactly('parameters, counted from the model spec', params),
    '96%': percent('share of parameters in the encoder layers', () => (3 * layerParams()) / params()),
    '49,984': exactly('parameters in one encoder layer', layerParams),
    '1,024': exactly('token embedding, 16 x 64', () => V() * D()),
    '5.7': rounded('length of a sinusoidal position vector, sqrt(32)', () => Math.sqrt(D() / 2), 1),
    '0.03': exactly("the learns recipe's embedding init std", () => LEARNS.embedInitStd),
    '0.24': rounded('expected length of a token vector at std 0.03: 0.03 sqrt(64)', () => LEARNS.embedInitStd * Math.sqrt(D()), 2),
  },
  'src/lesson/content/08-training.md': {
    '64': exactly('batch size', BATCH),
    '0.1': exactly("the notebook recipe's dropout", () => NOTEBOOK.dropout),
    '1.0': exactly('gradient clipping norm', () => NOTEBOOK.optimizer.clipNorm!),
    '0.01': exactly('AdamW weight decay', () => NOTEBOOK.optimizer.weightDecay),
    '3000': exactly("the notebook recipe's steps", () => NOTEBOOK.steps),
    '5000': exactly("the learns and fast recipes' steps", () => (LEARNS.steps === FAST.steps ? FAST.steps : Number.NaN)),
    '6500': exactly("the curriculum recipe's steps", () => CURRICULUM.steps),
    '32': exactly("the fast recipe's batch size", () => FAST.batchSize),
    '64%': percent("the fast recipe's curriculum share of the run", () => FAST.tCurriculum),
    '30%': percent("the fast recipe's share of the post-warm-up steps spent decaying", () => FAST.schedule.decayFraction!),
    '1000': named('a step of a batch-64 recipe, to compare with the fast recipe'),
    '2000': exactly(
      'the step of the fast recipe that has seen as many sequences as step 1000 of a batch-64 one',
      () => (1000 * NOTEBOOK.batchSize) / FAST.batchSize,
    ),
    '42': exactly("the checkpoints' seed", () => 42),
    '16': exactly('vocabulary size', V),
    '15': exactly('real tokens a pattern token is drawn from', R),
    '90%': named('the "off the plateau" threshold at t = 0.1 (src/ui/cells/plateau.tsx ESCAPE_ACCURACY)'),
    '0.03': exactly("the learns recipe's embedding init std", () => LEARNS.embedInitStd),
    '100': exactly("the learns recipe's warm-up steps", () => LEARNS.schedule.warmupSteps),
    '156': rounded('thousands of parameters', () => params() / 1000, 0),
    '40%': percent("the curriculum's share of the run", () => CURRICULUM.tCurriculum),
    '0.31': rounded(
      "the curriculum's starting upper bound of t: tMin + 0.3 (1 - tMin)",
      () => CURRICULUM.tMin + CURRICULUM.tCurriculumStart * (CURRICULUM.tMax - CURRICULUM.tMin),
      2,
    ),
  },
  'src/lesson/content/09-exercises.md': { '32': exactly('sequence length', L), '16': exactly('vocabulary size', V) },
  'src/lesson/content/10-results.md': {
    '17': rounded('points one blank of 6 is worth', () => 100 / 6, 0),
    '0.2': tValue,
    '0.5': tValue,
    '0.8': tValue,
    '100%': named('"near 100%": the exact best possible is within 1.2 points of it up to t = 0.6 (exact.best.t0600)'),
    '1000': named('sequences a ratio in the shipped evals (public/pretrained/README.md)'),
    '0.100': tValue,
    '0.525': tValue,
    '0.707': tValue,
    '0.768': tValue,
    '0.829': tValue,
    '0.889': tValue,
    '0.950': tValue,
    '6500': checkpointSteps('curriculum'),
    '5000': checkpointSteps('learns'),
    '3000': checkpointSteps('notebook'),
    '64': named('"64-bit floats" (numpy\'s default)'),
  },
  'src/lesson/content/11-beyond.md': {
    '32': exactly('sequence length, and the default steps', L),
    '64': named('samples a batch in the generation cell, and the step cap'),
    '512': named('a step count the sampling benchmark also measured'),
    '2024': named('year of a cited paper (Sahoo et al.)'),
    '3000': named('steps of the precomputed time-input runs (public/challenges/time-input.json)'),
    '5000': named('steps of the recipe-search runs (public/measured/recipe-search.json)'),
    '0.8': named('the highest ratio a model is held to the best possible at (the recipe search and time-to-learn criterion)'),
    '0.7': named('a temperature to try in the real-words cell'),
    '26': exactly('letters in the word alphabet', () => LETTERS.length),
    '57,341': exactly('words in public/words/words.txt', () => readFileSync('public/words/words.txt', 'utf8').split('\n').filter(Boolean).length),
  },
  'src/lesson/content/12-reflection.md': {
    '15%': BERT,
    '100%': named('"100% masked": all of it'),
    '32': exactly('sequence length, and the default steps', L),
  },
  'src/lesson/glossary.ts': {
    '15': exactly('real tokens, ids 1 to 15', R),
    '32': exactly('sequence length', L),
    '15%': BERT,
    '16': exactly('vocabulary size (and head width)', V),
    '64': exactly('batch size and model width', BATCH),
    '32,000': exactly('coin flips a dot in section 6: 1000 sequences x 32', () => 1000 * L()),
    '0.003': rounded('their standard error: sqrt(0.25 / 32000)', () => Math.sqrt(0.25 / 32000), 3),
    '0.02': exactly('tMin', () => NOTEBOOK.tMin),
    '1.44': rounded('bits in a nat: 1 / ln 2', () => 1 / Math.LN2, 2),
    '0.2877': rounded("the data's entropy, nats per token", measured('floor.entropy.nats'), 4),
    '0.415': rounded("the data's entropy, bits per token", measured('floor.entropy.bits'), 3),
    '1.333': rounded("the data's perplexity", measured('floor.perplexity'), 3),
    '256': exactly('feed-forward width', () => DEFAULT_MODEL.dFF),
    '156,304': exactly('parameters', params),
    '0.1': exactly("the notebook recipe's dropout", () => NOTEBOOK.dropout),
    '0.01': exactly('weight decay', () => NOTEBOOK.optimizer.weightDecay),
    '100': exactly("the learns recipe's warm-up", () => LEARNS.schedule.warmupSteps),
    '1.0': exactly('gradient clipping norm', () => NOTEBOOK.optimizer.clipNorm!),
    '0.03': exactly("the learns recipe's embedding init std", () => LEARNS.embedInitStd),
    '1.4': rounded("the notebook recipe's plateau loss (its precomputed run's last 500 steps)", measured('curves.notebook.finalLoss'), 1),
    '0.31': rounded(
      "the curriculum's starting upper bound of t",
      () => CURRICULUM.tMin + CURRICULUM.tCurriculumStart * (CURRICULUM.tMax - CURRICULUM.tMin),
      2,
    ),
    '40%': percent("the curriculum's share of the run", () => CURRICULUM.tCurriculum),
    '38%': rounded("the notebook checkpoint's plateau", () => 100 * measured('eval.notebook.plateau')(), 0),
  },
  'src/lesson/questions.ts': {
    '15%': BERT,
    '0.734': rounded("section 3's worked loss: -ln 0.6 - ln 0.8", () => -Math.log(0.6) - Math.log(0.8), 3),
    '0.52': rounded("a perfect model's pooled training loss (bench/loss-floor.ts)", measured('floor.pooled'), 2),
    '0.02': exactly('tMin', () => NOTEBOOK.tMin),
    '38%': rounded("the notebook checkpoint's plateau", () => 100 * measured('eval.notebook.plateau')(), 0),
    '0.7': exactly("the learns checkpoint's largest gap lies in [0.7, 0.85]", biggestLearnsGapIn(0.7, 0.85, 0.7)),
    '0.85': exactly("the same range's upper end", biggestLearnsGapIn(0.7, 0.85, 0.85)),
  },

  'narration/scripts/01-intro.txt': { 'seven point three': named('7 + 0.3: the worked example'), 'zero point five': tValue },
  'narration/scripts/02-intuition.txt': {
    'twenty percent': percent('t = 0.2 as a percentage', () => 0.2),
    'zero point two': tValue,
    'fifteen percent': BERT,
  },
  'narration/scripts/03-math.txt': {
    'zero point four': tValue,
    'zero point six': named('the worked example: P(The) = 0.6'),
    'zero point eight': named('the worked example: P(sat) = 0.8'),
    'zero point five one one': rounded('-ln 0.6', () => -Math.log(0.6), 3),
    'zero point two two three': rounded('-ln 0.8', () => -Math.log(0.8), 3),
    'zero point seven three four': rounded('-ln 0.6 - ln 0.8', () => -Math.log(0.6) - Math.log(0.8), 3),
  },
  'narration/scripts/04-data-setup.txt': {
    fifteen: exactly('real tokens', R),
    'thirty-two': exactly('sequence length', L),
    sixteen: exactly('vocabulary size', V),
  },
  'narration/scripts/05-masking-function.txt': { 'thirty-two': exactly('sequence length', L), 'zero point six': tValue, 'zero point eight': tValue },
  'narration/scripts/06-statistics-bert.txt': {
    twenty: named('ratios the fraction-vs-t cell draws'),
    'thirty-two thousand': exactly('coin flips a dot: 1000 x 32', () => 1000 * L()),
    'thirty-two': exactly('sequence length', L),
    'zero point five': tValue,
    'two point eight': rounded('the Binomial(32, 0.5) standard deviation', () => Math.sqrt(L() * 0.25), 1),
    'fifteen percent': BERT,
    'zero point zero two': exactly('tMin', () => NOTEBOOK.tMin),
  },
  'narration/scripts/07-transformer.txt': {
    'thirty-two': exactly('sequence length', L),
    sixteen: exactly('vocabulary size', V),
    'sixty-four': exactly('model width', D),
    'one hundred fifty-six thousand three hundred four': exactly('parameters', params),
    'five point seven': rounded('length of a position vector', () => Math.sqrt(D() / 2), 1),
    'zero point zero three': exactly("the learns recipe's embedding init std", () => LEARNS.embedInitStd),
  },
  'narration/scripts/09-todo1.txt': {
    sixteen: exactly('vocabulary size', V),
    'thirty-two': exactly('sequence length', L),
    'zero point five': tValue,
    'two point eight': rounded('ln 16: an untrained guess spread over 16 ids', () => Math.log(16), 1),
  },
  'narration/scripts/10-todo2.txt': { sixteen: exactly('vocabulary size', V) },
  'narration/scripts/11-results.txt': {
    'zero point two': tValue,
    'zero point five': tValue,
    'zero point eight': tValue,
    seventeen: rounded('points one blank of 6 is worth', () => 100 / 6, 0),
  },
  'narration/scripts/12-accuracy.txt': {
    'one hundred percent': percent('the exact best possible at t = 0.1, rounded', () => exactBestPossibleAccuracy(0.1)),
    'zero point six': tValue,
    'zero point eight': tValue,
    'zero point nine': tValue,
    'zero point seven': exactly("the learns checkpoint's largest gap lies in [0.7, 0.85]", biggestLearnsGapIn(0.7, 0.85, 0.7)),
    'zero point eight five': exactly("the same range's upper end", biggestLearnsGapIn(0.7, 0.85, 0.85)),
    'sixty-four': named('"sixty-four bit numbers"'),
    'thirty-two': named('"thirty-two bit numbers"'),
  },
  'narration/scripts/12b-beyond.txt': { 'sixty-four': named('samples a batch in the generation cell') },
  'narration/scripts/13-closing.txt': {
    'fifteen percent': BERT,
    'zero point seven': exactly("the learns checkpoint's largest gap lies in [0.7, 0.85]", biggestLearnsGapIn(0.7, 0.85, 0.7)),
    'zero point eight five': exactly("the same range's upper end", biggestLearnsGapIn(0.7, 0.85, 0.85)),
  },
};
