/**
 * The training session on real words: the same session the worker runs,
 * given the word list's text in its spec, trains the word-sized model on the
 * training words and reports bits per character and generated words at its
 * check-ups; a broken list is refused with the list's own message.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../src/worker/protocol.ts';
import { TrainingSession } from '../../src/worker/session.ts';
import { WORDS_RECIPE } from '../../src/words/recipe.ts';
import { useBackend } from '../helpers/backends.ts';

const WORDS = readFileSync(new URL('../../public/words/words.txt', import.meta.url), 'utf8');

function recorded() {
  const events: SessionEvent[] = [];
  // Small batches, so a 60-step run takes seconds.
  const session = new TrainingSession((e) => events.push(e), { recipe: () => ({ ...WORDS_RECIPE, batchSize: 8 }) });
  const of = <T extends SessionEvent['type']>(type: T) => events.filter((e): e is Extract<SessionEvent, { type: T }> => e.type === type);
  return { session, events, of };
}

describe('training session on words (wasm)', () => {
  beforeAll(() => useBackend('wasm'));

  it('trains the word model and measures bits per character and generated words at its check-ups', async () => {
    const before = tf.memory().numTensors;
    const { session, of } = recorded();
    await session.run({ recipe: 'words', totalSteps: 60, seed: 3, words: WORDS }, null);
    expect(of('failed')).toEqual([]);
    expect(of('progress').map((e) => e.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    expect(of('checkup')).toEqual([]); // no pattern accuracy for a words run
    const checkups = of('words-checkup').map((e) => e.checkup);
    expect(checkups.map((c) => c.step)).toEqual([50, 60]);
    for (const c of checkups) {
      // Between a perfect model and a uniform guess among 28 ids at each of 12 positions (8.8 characters a word).
      expect(c.bitsPerChar).toBeGreaterThan(1);
      expect(c.bitsPerChar).toBeLessThan(8);
      for (const s of [c.ancestral, c.confidence]) {
        for (const share of [s.wellFormed, s.real, s.heldOut, s.novel, s.wordLike]) {
          expect(share).toBeGreaterThanOrEqual(0);
          expect(share).toBeLessThanOrEqual(1);
        }
        expect(s.real + s.novel).toBeCloseTo(s.wellFormed, 10);
        expect(s.distinct).toBeLessThanOrEqual(64);
        for (const w of s.examples) expect(w).toMatch(/^[a-z]+$/);
      }
    }
    const [ended] = of('ended');
    expect(ended.reason).toBe('completed');
    const weights = new Map(ended.weights!);
    expect(weights.get('token_embed.weight')).toHaveLength(28 * 64); // the word-sized model
    expect(weights.get('output_head.bias')).toHaveLength(28);
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);

  it("refuses a broken word list with the list's own message", async () => {
    const { session, of } = recorded();
    await session.run({ recipe: 'words', totalSteps: 10, seed: 3, words: `${WORDS}\nParis\n` }, null);
    expect(of('failed').map((e) => e.message)).toEqual([
      'Training could not start: the word list, line 57343: "Paris" is not a word of 3 to 11 letters a-z',
    ]);
    expect(of('progress')).toEqual([]);
  });
});
