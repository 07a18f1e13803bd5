/**
 * Writing words, as a compute job: the word model (its weights sent with the
 * job, since the worker's current model is the patterns one) writes `batch`
 * words with the chosen sampler, keeping every step of the first few for
 * showing, and as many again with the other sampler, and measures both
 * against the list (src/words/quality.ts). Profiling the list (57,000 words,
 * every three-letter window) takes a few hundred milliseconds: the worker does
 * it once per list and keeps it, so the page only draws.
 */
import { MASK_ID } from '../core/config.ts';
import { loadedModel, NOTEBOOK_MODEL_OPTIONS } from '../core/model-factory.ts';
import { Rng } from '../core/rng.ts';
import { sample, type Sampler } from '../core/sampling.ts';
import { WORD_LENGTH, WORDS_MODEL } from '../words/alphabet.ts';
import { measureWords, profileList, verdictOf, type ListProfile, type WordQuality, type WordVerdict } from '../words/quality.ts';
import { parseWordList } from '../words/word-list.ts';
import { wordSettingsProblem, type WordSettings } from '../words/settings.ts';
import type { JobContext } from './job-context.ts';

export interface WriteWordsArgs {
  /** The word model's weights (PyTorch names). */
  readonly weights: readonly [string, Float32Array][];
  readonly settings: WordSettings;
  /** Seeds of the two samplers' draws. */
  readonly seeds: { readonly main: number; readonly other: number };
  readonly batch: number;
  /** How many of the words keep every step, for the animation. */
  readonly shown: number;
  /** The word list as shipped (words/words.txt): what the words are measured against. */
  readonly list: string;
}

/** Words whose verdict the page lists, marked. */
export const VERDICTS_SHOWN = 32;

export interface WrittenWords {
  readonly settings: WordSettings;
  /** The first `shown` words before any step and after each // [K+1] of [shown * WORD_LENGTH]. */
  readonly frames: Int32Array[];
  /** t after each step, aligned with frames (frames[0] is t = 1). */
  readonly times: number[];
  /** All words of the chosen sampler // [batch * WORD_LENGTH]. */
  readonly tokens: Int32Array;
  readonly quality: WordQuality;
  /** What each of the first VERDICTS_SHOWN words of quality.words is. */
  readonly verdicts: readonly WordVerdict[];
  readonly other: { readonly sampler: Sampler; readonly tokens: Int32Array; readonly quality: WordQuality };
  /** The list's letters a word, on average. */
  readonly listMeanLength: number;
}

let profiled: { readonly text: string; readonly profile: ListProfile } | null = null;

/** The list's profile, made once per list text and kept between jobs. */
function profileOf(text: string): ListProfile {
  if (profiled?.text !== text) profiled = { text, profile: profileList(parseWordList(text, 'words/words.txt')) };
  return profiled.profile;
}

export async function writeWords(args: WriteWordsArgs, ctx: JobContext): Promise<WrittenWords> {
  const { settings, batch, shown } = args;
  const problem = wordSettingsProblem(settings);
  if (problem) throw new RangeError(problem);
  if (!Number.isInteger(batch) || batch < 1 || batch > 1024 || !Number.isInteger(shown) || shown < 0 || shown > batch)
    throw new RangeError('batch must be 1 to 1024 words, and shown at most batch');
  const model = loadedModel(new Map(args.weights), NOTEBOOK_MODEL_OPTIONS, WORDS_MODEL);
  try {
    const options = { ...settings, batch, seqLen: WORD_LENGTH, signal: ctx.signal };
    const main = await sample(model, new Rng(args.seeds.main), { ...options, onStep: (s) => ctx.progress(s.step, 2 * s.steps) });
    if (main.aborted) throw new DOMException('cancelled', 'AbortError');
    const otherSampler: Sampler = settings.sampler === 'ancestral' ? 'confidence' : 'ancestral';
    const other = await sample(model, new Rng(args.seeds.other), {
      ...options,
      sampler: otherSampler,
      keepTrajectory: false,
      onStep: (s) => ctx.progress(s.steps + s.step, 2 * s.steps),
    });
    if (other.aborted) throw new DOMException('cancelled', 'AbortError');
    const n = shown * WORD_LENGTH;
    const profile = profileOf(args.list);
    const quality = measureWords(main.tokens, profile);
    return {
      settings,
      frames: [new Int32Array(n).fill(MASK_ID), ...main.trajectory.map((s) => s.tokens.slice(0, n))],
      times: [1, ...main.trajectory.map((s) => s.s)],
      tokens: main.tokens,
      quality,
      verdicts: quality.words.slice(0, VERDICTS_SHOWN).map((w) => verdictOf(w, profile)),
      other: { sampler: otherSampler, tokens: other.tokens, quality: measureWords(other.tokens, profile) },
      listMeanLength: profile.meanLength,
    };
  } finally {
    model.dispose();
  }
}
