/**
 * The word list the character model learns from: public/words/words.txt, the
 * lower-case words of 3 to 11 letters in Debian's wamerican list (SCOWL; its
 * licence is public/words/COPYRIGHT). Lower-case only, so no proper nouns or
 * abbreviations.
 *
 * One word in ten is held out for validation, chosen by a hash of the word
 * itself (not its line number), so the split never changes when the list
 * grows, and a word is in exactly one side on every machine.
 */
import type { Rng } from '../core/rng.ts';
import { encodeWord, MAX_LETTERS, MIN_LETTERS, WORD_LENGTH } from './alphabet.ts';

export class WordListError extends Error {
  override name = 'WordListError';
}

export interface WordList {
  /** Every word, for "is it a real word?". */
  readonly all: ReadonlySet<string>;
  /** What training draws from. */
  readonly train: readonly string[];
  /** Never trained on: the held-out side of every measurement. */
  readonly validation: readonly string[];
}

/** FNV-1a, 32 bits: a fixed, well-spread hash of the word's letters. */
export function fnv1a(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export const isValidation = (word: string): boolean => fnv1a(word) % 10 === 0;

/** The list's text (one word a line) to a WordList, refusing anything that is not one. */
export function parseWordList(text: string, source = 'the word list'): WordList {
  const all = new Set<string>();
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  lines.forEach((raw, i) => {
    const word = raw.trim();
    if (word === '') return;
    if (!/^[a-z]+$/.test(word) || word.length < MIN_LETTERS || word.length > MAX_LETTERS) {
      throw new WordListError(
        `${source}, line ${i + 1}: ${JSON.stringify(word.slice(0, 40))} is not a word of ${MIN_LETTERS} to ${MAX_LETTERS} letters a-z`,
      );
    }
    all.add(word);
  });
  if (all.size < 100) throw new WordListError(`${source} has ${all.size} words; training needs a real list (the shipped one has about 57,000)`);
  const words = [...all];
  return { all, train: words.filter((w) => !isValidation(w)), validation: words.filter(isValidation) };
}

/** `batch` training words drawn uniformly (with replacement), encoded // [batch * WORD_LENGTH]. */
export function drawWords(rng: Rng, batch: number, words: readonly string[]): Int32Array {
  const x0 = new Int32Array(batch * WORD_LENGTH);
  for (let b = 0; b < batch; b++) encodeWord(words[rng.int(0, words.length - 1)], x0, b * WORD_LENGTH);
  return x0;
}

/** Encode a list of words, in order // [words.length * WORD_LENGTH]. */
export function encodeWords(words: readonly string[]): Int32Array {
  const x0 = new Int32Array(words.length * WORD_LENGTH);
  words.forEach((w, b) => encodeWord(w, x0, b * WORD_LENGTH));
  return x0;
}
