/** The first screen's unmasking demo is what the shipped checkpoint really generates, not a drawing. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUnmaskingDemo, DEMO_SETTINGS } from '../../bench/unmasking-demo/build.ts';
import { DEFAULT_DATA, MASK_ID } from '../../src/core/config.ts';
import { frameAt, UNMASKING_DEMO } from '../../src/ui/notebook/unmasking-demo.ts';
import { useBackend } from '../helpers/backends.ts';

// The engine on wasm, as the script that wrote the file ran it.
beforeAll(() => useBackend('wasm'));

describe('the unmasking demo on the first screen', () => {
  it('matches a fresh run of the sampler on the shipped checkpoint, token for token and step for step', async () => {
    const weights = readFileSync(new URL(`../../public/pretrained/${DEMO_SETTINGS.checkpoint}`, import.meta.url));
    const before = tf.memory().numTensors;
    const fresh = await buildUnmaskingDemo(weights);
    expect(tf.memory().numTensors).toBe(before);
    expect(UNMASKING_DEMO).toEqual(fresh);
  }, 60_000);

  it('reveals every position exactly once, from all [MASK] to the finished sequence', () => {
    const L = DEFAULT_DATA.seqLen;
    for (const s of UNMASKING_DEMO.sequences) {
      expect(frameAt(s, 0)).toEqual(new Array(L).fill(MASK_ID));
      expect(frameAt(s, UNMASKING_DEMO.steps)).toEqual(s.tokens);
      expect(s.tokens.every((t) => t > MASK_ID && t < DEFAULT_DATA.vocabSize)).toBe(true);
      expect(s.revealedAt.every((k) => Number.isInteger(k) && k >= 1 && k <= UNMASKING_DEMO.steps)).toBe(true);
      // Masks only ever go away.
      for (let k = 1; k <= UNMASKING_DEMO.steps; k++) {
        const a = frameAt(s, k - 1).filter((t) => t === MASK_ID).length;
        expect(frameAt(s, k).filter((t) => t === MASK_ID).length).toBeLessThanOrEqual(a);
      }
    }
  });
});
