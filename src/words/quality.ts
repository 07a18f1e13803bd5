/**
 * How good are generated words? Measured, not eyeballed:
 * - well-formed: letters, then only end tokens;
 * - real: in the word list; held out: real but from the validation side, so
 *   the model never saw it and wrote it anyway;
 * - new: well-formed and not in the list;
 * - word-like: well-formed and every three-character window of "^word$"
 *   occurs in some listed word. A machine stand-in for "pronounceable": it
 *   accepts "brantle" and rejects "xqzt", and every real word passes;
 * - length: the mean and the distribution of letters per word against the
 *   list's, as a total-variation distance (0 = the same, 1 = disjoint).
 */
import { decodeWord, MAX_LETTERS, WORD_LENGTH } from './alphabet.ts';
import type { WordList } from './word-list.ts';

export interface WordQuality {
  readonly samples: number;
  readonly wellFormed: number;
  readonly real: number;
  readonly heldOut: number;
  readonly novel: number;
  readonly wordLike: number;
  /** Different well-formed words among the samples. */
  readonly distinct: number;
  /** Letters per well-formed word: generated, and in the list. */
  readonly meanLength: number;
  readonly listMeanLength: number;
  /** Share of well-formed samples with 0..MAX_LETTERS letters, and the list's. */
  readonly lengths: readonly number[];
  readonly listLengths: readonly number[];
  readonly lengthDistance: number;
  /** The well-formed words, in order, for showing. */
  readonly words: readonly string[];
}

const windows = (word: string): string[] => {
  const padded = `^${word}$`;
  return Array.from({ length: padded.length - 2 }, (_, i) => padded.slice(i, i + 3));
};

/** The list's facts the measures need, computed once per list. */
export interface ListProfile {
  readonly list: WordList;
  readonly trigrams: ReadonlySet<string>;
  readonly validation: ReadonlySet<string>;
  readonly lengths: readonly number[];
  readonly meanLength: number;
}

export function profileList(list: WordList): ListProfile {
  const trigrams = new Set<string>();
  const counts = new Array<number>(MAX_LETTERS + 1).fill(0);
  let letters = 0;
  for (const w of list.all) {
    for (const g of windows(w)) trigrams.add(g);
    counts[w.length]++;
    letters += w.length;
  }
  return {
    list,
    trigrams,
    validation: new Set(list.validation),
    lengths: counts.map((c) => c / list.all.size),
    meanLength: letters / list.all.size,
  };
}

export const isWordLike = (word: string, profile: ListProfile): boolean => word.length > 0 && windows(word).every((g) => profile.trigrams.has(g));

/** What one generated word is, against the list. */
export type WordVerdict = 'held-out' | 'real' | 'word-like' | 'new';

export function verdictOf(word: string, profile: ListProfile): WordVerdict {
  if (profile.validation.has(word)) return 'held-out';
  if (profile.list.all.has(word)) return 'real';
  return isWordLike(word, profile) ? 'word-like' : 'new';
}

/** Measure a batch of generated sequences // tokens [n * WORD_LENGTH]. */
export function measureWords(tokens: ArrayLike<number>, profile: ListProfile): WordQuality {
  const samples = tokens.length / WORD_LENGTH;
  if (!Number.isInteger(samples) || samples < 1)
    throw new RangeError(`expected whole sequences of ${WORD_LENGTH} tokens, got ${tokens.length} tokens`);
  const words: string[] = [];
  for (let b = 0; b < samples; b++) {
    const { word, wellFormed } = decodeWord(tokens, b * WORD_LENGTH);
    if (wellFormed) words.push(word);
  }
  const counts = new Array<number>(MAX_LETTERS + 1).fill(0);
  for (const w of words) counts[w.length]++;
  const lengths = counts.map((c) => (words.length ? c / words.length : 0));
  const share = (pred: (w: string) => boolean) => words.filter(pred).length / samples;
  return {
    samples,
    wellFormed: words.length / samples,
    real: share((w) => profile.list.all.has(w)),
    heldOut: share((w) => profile.validation.has(w)),
    novel: share((w) => !profile.list.all.has(w)),
    wordLike: share((w) => isWordLike(w, profile)),
    distinct: new Set(words).size,
    meanLength: words.length ? words.reduce((n, w) => n + w.length, 0) / words.length : 0,
    listMeanLength: profile.meanLength,
    lengths,
    listLengths: profile.lengths,
    lengthDistance: words.length ? lengths.reduce((d, p, i) => d + Math.abs(p - profile.lengths[i]), 0) / 2 : 1,
    words,
  };
}
