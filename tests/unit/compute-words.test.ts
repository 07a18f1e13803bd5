/**
 * The compute worker's word job, run as the page fallback runs it: the
 * shipped word model writes words with both samplers, every step of the
 * first few kept; bad settings and weights are refused; a cancel stops it;
 * and it leaves no tensor behind.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { directContext } from '../../src/compute/job-context.ts';
import { runJob } from '../../src/compute/jobs.ts';
import type { WrittenWords } from '../../src/compute/words.ts';
import { readCheckpoint } from '../../src/core/checkpoint.ts';
import { MASK_ID } from '../../src/core/config.ts';
import { decodeWord, WORD_LENGTH, WORDS_MODEL } from '../../src/words/alphabet.ts';
import { WORD_SETTINGS } from '../../src/words/settings.ts';
import { measureWords, profileList, verdictOf } from '../../src/words/quality.ts';
import { parseWordList } from '../../src/words/word-list.ts';
import { useBackend } from '../helpers/backends.ts';

const weights = [
  ...readCheckpoint(new Uint8Array(readFileSync(new URL('../../public/pretrained/words-3000.safetensors', import.meta.url))), WORDS_MODEL).weights,
];
const list = readFileSync(new URL('../../public/words/words.txt', import.meta.url), 'utf8');
const args = { weights, settings: WORD_SETTINGS, seeds: { main: 1, other: 2 }, batch: 16, shown: 4, list };

describe('the writeWords job', () => {
  beforeAll(() => useBackend('wasm'));

  it('writes words step by step with the chosen sampler, and as many with the other', async () => {
    const before = tf.memory().numTensors;
    const out = (await runJob('writeWords', null, args, directContext())) as WrittenWords;
    expect(tf.memory().numTensors).toBe(before);
    expect(out.frames).toHaveLength(WORD_SETTINGS.steps + 1);
    expect(out.times[0]).toBe(1);
    expect(out.times.at(-1)).toBe(0);
    expect(Array.from(out.frames[0])).toEqual(new Array(4 * WORD_LENGTH).fill(MASK_ID));
    expect(out.frames.at(-1)!.includes(MASK_ID)).toBe(false);
    expect(Array.from(out.frames.at(-1)!)).toEqual(Array.from(out.tokens.subarray(0, 4 * WORD_LENGTH)));
    expect(out.tokens).toHaveLength(16 * WORD_LENGTH);
    expect(out.other.sampler).toBe('confidence');
    expect(out.other.tokens).toHaveLength(16 * WORD_LENGTH);
    // The shipped model mostly writes letters then end tokens.
    const formed = Array.from({ length: 16 }, (_, b) => decodeWord(out.other.tokens, b * WORD_LENGTH).wellFormed).filter(Boolean).length;
    expect(formed).toBeGreaterThan(12);
    // Measured in the worker against the list, exactly as the page measured them before.
    const profile = profileList(parseWordList(list));
    expect(out.quality).toEqual(measureWords(out.tokens, profile));
    expect(out.other.quality).toEqual(measureWords(out.other.tokens, profile));
    expect(out.verdicts).toEqual(out.quality.words.slice(0, 32).map((w) => verdictOf(w, profile)));
    expect(out.listMeanLength).toBeCloseTo(profile.meanLength, 12);
    // Same seeds, same words.
    const again = (await runJob('writeWords', null, args, directContext())) as WrittenWords;
    expect(Array.from(again.tokens)).toEqual(Array.from(out.tokens));
  });

  it('refuses bad settings and weights that are not the word model, and stops when cancelled', async () => {
    await expect(runJob('writeWords', null, { ...args, settings: { ...WORD_SETTINGS, steps: 0 } }, directContext())).rejects.toThrow(
      'Steps must be a whole number from 1 to 48.',
    );
    await expect(runJob('writeWords', null, { ...args, batch: 5000 }, directContext())).rejects.toThrow(/batch must be 1 to 1024/);
    await expect(runJob('writeWords', null, { ...args, weights: weights.slice(1) }, directContext())).rejects.toThrow();
    const controller = new AbortController();
    controller.abort();
    await expect(runJob('writeWords', null, args, directContext(controller.signal))).rejects.toThrow(/cancel|abort/i);
  });
});
