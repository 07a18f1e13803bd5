/**
 * Real words on the lesson's engine (src/words): the alphabet, the shipped
 * list and its split, the baselines against hand-computed values, the quality
 * measures, the ELBO in bits per character against a direct quadrature, and
 * the trainer drawing its batches from the words.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { MASK_ID } from '../../src/core/config.ts';
import { maskArrays } from '../../src/core/masking.ts';
import { scoreBatch } from '../../src/core/metrics.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { initOptions } from '../../src/core/recipes.ts';
import { Rng } from '../../src/core/rng.ts';
import { sampleBatch, Trainer } from '../../src/core/training.ts';
import { decodeWord, encodeWord, END_ID, letterId, showSequence, WORD_LENGTH, WORDS_DATA, WORDS_MODEL } from '../../src/words/alphabet.ts';
import { bitsPerCharacter, charactersOf, fitBigram, fitUnigram } from '../../src/words/baselines.ts';
import { elboBitsPerCharacter } from '../../src/words/elbo.ts';
import { isWordLike, measureWords, profileList } from '../../src/words/quality.ts';
import { WORDS_RECIPE, wordSource } from '../../src/words/recipe.ts';
import { drawWords, encodeWords, fnv1a, isValidation, parseWordList, WordListError } from '../../src/words/word-list.ts';
import { useBackend } from '../helpers/backends.ts';

const TEXT = readFileSync(new URL('../../public/words/words.txt', import.meta.url), 'utf8');
const LIST = parseWordList(TEXT);

const seq = (word: string) => {
  const out = new Int32Array(WORD_LENGTH);
  encodeWord(word, out);
  return out;
};

describe('the alphabet', () => {
  it('spells a word as letters then end tokens, and reads it back', () => {
    expect(Array.from(seq('cat'))).toEqual([letterId('c'), letterId('a'), letterId('t'), ...new Array(9).fill(END_ID)]);
    expect(letterId('a')).toBe(2);
    expect(letterId('z')).toBe(27);
    expect(WORDS_DATA.vocabSize).toBe(28);
    expect(showSequence(seq('cat'))).toBe('cat·········');
    for (const w of ['abc', 'zebra', 'abcdefghijk']) expect(decodeWord(seq(w))).toEqual({ word: w, wellFormed: true });
    expect(() => encodeWord('abcdefghijkl', new Int32Array(12))).toThrow(RangeError);
    expect(() => encodeWord('Cat', new Int32Array(12))).toThrow(RangeError);
  });

  it('calls a sequence well-formed only when it is letters, then only end tokens', () => {
    const cat = seq('cat');
    const letterAfterEnd = Int32Array.from(cat);
    letterAfterEnd[6] = letterId('x');
    expect(decodeWord(letterAfterEnd)).toEqual({ word: 'cat', wellFormed: false });
    const masked = Int32Array.from(cat);
    masked[8] = MASK_ID;
    expect(decodeWord(masked).wellFormed).toBe(false);
    expect(decodeWord(new Int32Array(12).fill(END_ID))).toEqual({ word: '', wellFormed: false });
    expect(decodeWord(new Int32Array(12).fill(letterId('a')))).toEqual({ word: 'aaaaaaaaaaaa', wellFormed: false }); // no end
    expect(showSequence(masked)).toBe('cat·····_···');
  });

  it("is the lesson's model with a bigger vocabulary", async () => {
    await useBackend('wasm');
    const model = new DiffusionLM(WORDS_MODEL, new Rng(0));
    // 156,304 for 16 ids; 12 more ids add a row to the embedding (64) and an output (64 weights + 1 bias) each.
    expect(model.variables().reduce((n, v) => n + v.size, 0)).toBe(156_304 + 12 * (64 + 64 + 1));
    model.dispose();
  });
});

describe('the word list', () => {
  it('is the shipped list: 57,341 lower-case words of 3 to 11 letters, no repeats', () => {
    const lines = TEXT.trim().split('\n');
    expect(lines).toHaveLength(57_341);
    expect(LIST.all.size).toBe(57_341);
    for (const w of LIST.all) expect(w).toMatch(/^[a-z]{3,11}$/);
    expect(LIST.all.has('zebra')).toBe(true);
  });

  it('holds out one word in ten by a hash of the word, on one side only', () => {
    expect(fnv1a('a')).toBe(0xe40c292c); // FNV-1a test vectors
    expect(fnv1a('foobar')).toBe(0xbf9cf968);
    const share = LIST.validation.length / LIST.all.size;
    expect(share).toBeGreaterThan(0.09);
    expect(share).toBeLessThan(0.11);
    const train = new Set(LIST.train);
    for (const w of LIST.validation) expect(train.has(w)).toBe(false);
    expect(LIST.train.length + LIST.validation.length).toBe(LIST.all.size);
    expect(LIST.validation.every(isValidation)).toBe(true);
    // Dropping half the list moves no word across.
    const half = parseWordList([...LIST.all].filter((_, i) => i % 2 === 0).join('\n'));
    expect(half.validation.every((w) => LIST.validation.includes(w))).toBe(true);
  });

  it('refuses what is not a word list, naming the line', () => {
    const good = LIST.train.slice(0, 200);
    expect(() => parseWordList([...good, 'Paris'].join('\n'))).toThrow(/line 201: "Paris"/);
    expect(() => parseWordList([...good, "cat's"].join('\n'))).toThrow(WordListError);
    expect(() => parseWordList([...good, '<script>'].join('\n'))).toThrow(WordListError);
    expect(() => parseWordList([...good, 'abcdefghijkl'].join('\n'))).toThrow(/3 to 11 letters/);
    expect(() => parseWordList('cat\ndog\n')).toThrow(/2 words/);
    expect(parseWordList([...good, '', '  '].join('\r\n')).all.size).toBe(200);
  });

  it('draws training words only, the same ones for the same seed', () => {
    const a = drawWords(new Rng(5), 64, LIST.train);
    expect(Array.from(a)).toEqual(Array.from(drawWords(new Rng(5), 64, LIST.train)));
    const train = new Set(LIST.train);
    for (let b = 0; b < 64; b++) expect(train.has(decodeWord(a, b * WORD_LENGTH).word)).toBe(true);
  });
});

describe('the baselines', () => {
  const train = ['ab', 'ab', 'ba'];

  it('unigram: add-one letter frequencies, the end token included', () => {
    // Counts: a 3, b 3, end 3, plus one for each of the 27 symbols: total 9 + 27 = 36.
    const expected = -Math.log2(4 / 36) * 3; // "ab" + end: three symbols, each (3 + 1) / 36
    expect(fitUnigram(train).bits('ab')).toBeCloseTo(expected, 10);
    expect(fitUnigram(train).bits('zz')).toBeCloseTo(-2 * Math.log2(1 / 36) - Math.log2(4 / 36), 10);
  });

  it('bigram: add-one counts of each character given the one before', () => {
    // From start: a 2, b 1 (+1 each over 27 symbols: /30). After a: b 2, end 1 (/30). After b: end 2, a 1 (/30).
    const expected = -Math.log2(3 / 30) - Math.log2(3 / 30) - Math.log2(3 / 30);
    expect(fitBigram(train).bits('ab')).toBeCloseTo(expected, 10);
    expect(charactersOf(['ab', 'cat'])).toBe(7);
  });

  it('on the real split: bigram beats unigram beats a uniform guess among 27 characters', () => {
    const uni = bitsPerCharacter(fitUnigram(LIST.train), LIST.validation);
    const bi = bitsPerCharacter(fitBigram(LIST.train), LIST.validation);
    expect(uni).toBeLessThan(Math.log2(27));
    expect(bi).toBeLessThan(uni - 0.5);
    expect(uni).toBeCloseTo(4.246, 2); // the figures the README quotes
    expect(bi).toBeCloseTo(3.583, 2);
  });
});

describe('the quality of generated words', () => {
  const profile = profileList(LIST);

  it('sorts samples into real, held out, new, word-like and malformed', () => {
    const held = LIST.validation[0];
    const trained = LIST.train[0];
    const words = [trained, held, 'brantle', 'xqzt'];
    const tokens = new Int32Array(5 * WORD_LENGTH);
    words.forEach((w, b) => encodeWord(w, tokens, b * WORD_LENGTH));
    tokens.set(seq('cat'), 4 * WORD_LENGTH);
    tokens[4 * WORD_LENGTH + 7] = letterId('q'); // a letter after the end: malformed
    expect(LIST.all.has('brantle')).toBe(false);
    expect(isWordLike('brantle', profile)).toBe(true);
    expect(isWordLike('xqzt', profile)).toBe(false);
    const q = measureWords(tokens, profile);
    expect(q.samples).toBe(5);
    expect(q.wellFormed).toBeCloseTo(4 / 5);
    expect(q.real).toBeCloseTo(2 / 5);
    expect(q.heldOut).toBeCloseTo(1 / 5);
    expect(q.novel).toBeCloseTo(2 / 5);
    expect(q.wordLike).toBeCloseTo(3 / 5);
    expect(q.distinct).toBe(4);
    expect(q.meanLength).toBeCloseTo((trained.length + held.length + 7 + 4) / 4);
  });

  it("compares lengths with the list's: no distance for the list itself", () => {
    const q = measureWords(encodeWords([...LIST.all]), profile);
    expect(q.real).toBe(1);
    expect(q.wordLike).toBe(1);
    expect(q.lengthDistance).toBeCloseTo(0, 12);
    expect(q.meanLength).toBeCloseTo(q.listMeanLength, 12);
    const short = measureWords(encodeWords(new Array(10).fill('cat')), profile);
    expect(short.lengthDistance).toBeCloseTo(1 - profile.lengths[3], 12);
  });
});

describe('the ELBO in bits per character', () => {
  beforeAll(() => useBackend('wasm'));

  it('agrees with a direct quadrature over t, and leaks no tensor', async () => {
    const model = new DiffusionLM(WORDS_MODEL, new Rng(3), initOptions(WORDS_RECIPE));
    const words = LIST.validation.slice(0, 40);
    const before = tf.memory().numTensors;
    const estimate = await elboBitsPerCharacter(model, words, new Rng(1), { passes: 25 });
    expect(tf.memory().numTensors).toBe(before);

    // Independently: per word, the masked loss / t averaged over a midpoint grid of 20 ratios, 5 masks each
    // (every copy of every word in one batch).
    const K = 20,
      R = 5;
    const copies = K * R;
    const x0 = encodeWords(Array.from({ length: copies }, () => words).flat());
    const tb = Float32Array.from({ length: copies * words.length }, (_, b) => (Math.floor(b / (R * words.length)) + 0.5) / K);
    const { xt, mask } = maskArrays(x0, tb, new Rng(2));
    const { nll } = await scoreBatch(model, x0, xt, tb);
    let nats = 0;
    for (let i = 0; i < mask.length; i++) if (mask[i]) nats += nll[i] / tb[Math.floor(i / WORD_LENGTH)];
    const quadrature = nats / copies / charactersOf(words) / Math.LN2;
    expect(Math.abs(estimate - quadrature) / quadrature).toBeLessThan(0.03);
    // An untrained model is close to a uniform guess over 28 ids at every one of the 12 positions.
    const uniform = (WORD_LENGTH * Math.log2(28) * words.length) / charactersOf(words);
    expect(Math.abs(quadrature - uniform) / uniform).toBeLessThan(0.1);
    model.dispose();
  });
});

describe('training on words', () => {
  beforeAll(() => useBackend('wasm'));

  it('draws each batch from the source, and refuses a source of the wrong shape', () => {
    const batch = sampleBatch(new Rng(1), WORDS_RECIPE, WORDS_DATA, 0, 100, wordSource(LIST));
    expect(batch.x0).toHaveLength(WORDS_RECIPE.batchSize * WORD_LENGTH);
    const train = new Set(LIST.train);
    for (let b = 0; b < WORDS_RECIPE.batchSize; b++) expect(train.has(decodeWord(batch.x0, b * WORD_LENGTH).word)).toBe(true);
    expect(() => sampleBatch(new Rng(1), WORDS_RECIPE, WORDS_DATA, 0, 100, () => new Int32Array(7))).toThrow(/gave 7 tokens/);
  });

  it('lowers the loss on words within a few dozen steps of the same trainer', async () => {
    const model = new DiffusionLM(WORDS_MODEL, new Rng(4), initOptions(WORDS_RECIPE));
    const trainer = new Trainer(model, { ...WORDS_RECIPE, batchSize: 32 }, { data: WORDS_DATA, source: wordSource(LIST), steps: 30, seed: 9 });
    const losses: number[] = [];
    const result = await trainer.run({}, (r) => !r.skipped && losses.push(r.loss));
    expect(result.reason).toBe('completed');
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(losses.slice(-10))).toBeLessThan(mean(losses.slice(0, 5)) - 0.5);
    trainer.dispose();
    model.dispose();
  });
});
