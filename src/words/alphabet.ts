/**
 * Real words for the same engine: one English word a sequence, one letter a
 * token. The vocabulary keeps the lesson's convention that id 0 is [MASK]:
 *
 *   0 [MASK]   1 end (also the padding after it)   2..27 the letters a..z
 *
 * A word of n letters fills positions 0..n-1 and the end token fills the rest,
 * so "cat" at length 12 is  c a t · · · · · · · · ·  (· = end). A sequence is a
 * well-formed word when it is letters, then only end tokens, with at least one
 * letter and at least one end.
 */
import { dataConfig, modelConfig, MASK_ID, type DataConfig, type ModelConfig } from '../core/config.ts';

export const END_ID = 1;
const FIRST_LETTER_ID = 2;
export const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** 12 positions: words of up to 11 letters, and the end token always present. */
export const WORD_LENGTH = 12;
export const MIN_LETTERS = 3;
export const MAX_LETTERS = WORD_LENGTH - 1;

/** The data settings the engine reads: 28 ids, 12 positions. (Periods mean nothing here; the pattern generator is never used.) */
export const WORDS_DATA: DataConfig = dataConfig({ vocabSize: FIRST_LETTER_ID + LETTERS.length, seqLen: WORD_LENGTH, minPeriod: 1, maxPeriod: 1 });

/** The lesson's DiffusionLM, unchanged but for its vocabulary: 28 ids instead of 16 (157,852 parameters). */
export const WORDS_MODEL: ModelConfig = modelConfig({ vocabSize: WORDS_DATA.vocabSize });

export const letterId = (letter: string): number => FIRST_LETTER_ID + LETTERS.indexOf(letter);

/** How a token shows: a letter, "·" for the end, "_" for [MASK]. */
export function tokenChar(id: number): string {
  if (id === MASK_ID) return '_';
  if (id === END_ID) return '·';
  const letter = LETTERS[id - FIRST_LETTER_ID];
  if (letter === undefined) throw new RangeError(`token ${id} is not in the words vocabulary (0..${WORDS_DATA.vocabSize - 1})`);
  return letter;
}

/** Write `word` into `out` at `offset`: its letters, then end tokens to WORD_LENGTH. */
export function encodeWord(word: string, out: Int32Array, offset = 0): void {
  if (!/^[a-z]+$/.test(word) || word.length > MAX_LETTERS) throw new RangeError(`"${word}" is not 1 to ${MAX_LETTERS} letters a-z`);
  for (let i = 0; i < WORD_LENGTH; i++) out[offset + i] = i < word.length ? letterId(word[i]) : END_ID;
}

export interface Decoded {
  /** The letters before the first end token (or [MASK]). */
  readonly word: string;
  /** Letters then only end tokens, at least one of each, and no [MASK]. */
  readonly wellFormed: boolean;
}

/** Read one sequence (WORD_LENGTH tokens) back as a word. */
export function decodeWord(tokens: ArrayLike<number>, offset = 0): Decoded {
  let word = '';
  let i = 0;
  for (; i < WORD_LENGTH; i++) {
    const id = tokens[offset + i];
    if (id < FIRST_LETTER_ID) break;
    word += tokenChar(id);
  }
  let wellFormed = word.length > 0 && i < WORD_LENGTH;
  for (; i < WORD_LENGTH && wellFormed; i++) wellFormed = tokens[offset + i] === END_ID;
  return { word, wellFormed };
}

/** A whole sequence as text, masks and ends included: "ca_·········". */
export const showSequence = (tokens: ArrayLike<number>, offset = 0): string =>
  Array.from({ length: WORD_LENGTH }, (_, i) => tokenChar(tokens[offset + i])).join('');
