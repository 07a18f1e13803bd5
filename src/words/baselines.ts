/**
 * What "bits per character" should be compared with: two classic character
 * models, fitted on the training words and measured on the validation words,
 * the same split the diffusion model is measured on.
 *
 * - unigram: every character drawn on its own from the letter frequencies;
 * - bigram: each character drawn given the one before it (the first given a
 *   start symbol).
 * Both spell a word as its letters followed by the end token, so a word of n
 * letters costs n + 1 characters: the same count the diffusion model's
 * bits are divided by (src/words/elbo.ts). The end token makes the length part
 * of the prediction, as it is for the diffusion model. Counts are smoothed by
 * adding one, so an unseen pair costs a lot but never infinity.
 */
import { LETTERS } from './alphabet.ts';

/** 0..25 the letters, 26 the end; 27 is the bigram model's start context. */
const END = LETTERS.length;
const START = END + 1;
const SYMBOLS = LETTERS.length + 1;

const symbols = (word: string): number[] => [...[...word].map((c) => LETTERS.indexOf(c)), END];

export interface CharModel {
  /** -log2 P(word, then end). */
  bits(word: string): number;
}

export function fitUnigram(train: readonly string[]): CharModel {
  const counts = new Float64Array(SYMBOLS).fill(1);
  for (const w of train) for (const s of symbols(w)) counts[s]++;
  const total = counts.reduce((a, b) => a + b, 0);
  const cost = Array.from(counts, (c) => -Math.log2(c / total));
  return { bits: (word) => symbols(word).reduce((sum, s) => sum + cost[s], 0) };
}

export function fitBigram(train: readonly string[]): CharModel {
  const counts = Array.from({ length: START + 1 }, () => new Float64Array(SYMBOLS).fill(1)); // [context][next]
  for (const w of train) {
    let previous = START;
    for (const s of symbols(w)) {
      counts[previous][s]++;
      previous = s;
    }
  }
  const cost = counts.map((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return Array.from(row, (c) => -Math.log2(c / total));
  });
  return {
    bits(word) {
      let previous = START;
      let sum = 0;
      for (const s of symbols(word)) {
        sum += cost[previous][s];
        previous = s;
      }
      return sum;
    },
  };
}

/** Characters a word is scored on: its letters and its end token. */
export const charactersOf = (words: readonly string[]): number => words.reduce((n, w) => n + w.length + 1, 0);

export function bitsPerCharacter(model: CharModel, words: readonly string[]): number {
  return words.reduce((sum, w) => sum + model.bits(w), 0) / charactersOf(words);
}
