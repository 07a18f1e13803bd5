/**
 * The character model's validation bits per character. A masked diffusion
 * model has no exact likelihood; its ELBO is an upper bound on -log p(word):
 *
 *   -log p(x0) <= E_t E_xt [ (1/t) Σ over masked i of -log p(x0_i | x_t) ]
 *
 * estimated here with one t per word, stratified over (0, 1) so every part
 * of the range is covered (as src/core/metrics.ts does for the patterns).
 * The whole sequence is scored, end tokens included, and the total is divided
 * by the letters plus one end per word: the count the unigram and bigram
 * baselines are divided by (src/words/baselines.ts). Since it is a bound, the
 * comparison can only flatter the baselines.
 */
import { maskArrays } from '../core/masking.ts';
import { scoreBatch } from '../core/metrics.ts';
import type { DiffusionLM } from '../core/model.ts';
import type { Rng } from '../core/rng.ts';
import { WORD_LENGTH } from './alphabet.ts';
import { charactersOf } from './baselines.ts';
import { encodeWords } from './word-list.ts';

export interface ElboOptions {
  /** Sequences per forward pass. */
  readonly chunk?: number;
  /** Passes over the words, each with fresh t and masks; more passes, less noise. */
  readonly passes?: number;
  readonly ignoreTime?: boolean;
}

export async function elboBitsPerCharacter(
  model: DiffusionLM,
  words: readonly string[],
  rng: Rng,
  { chunk = 500, passes = 1, ignoreTime = false }: ElboOptions = {},
): Promise<number> {
  if (words.length === 0) throw new RangeError('no words to measure');
  const n = words.length;
  let nats = 0;
  for (let pass = 0; pass < passes; pass++) {
    const u = rng.next();
    for (let done = 0; done < n; done += chunk) {
      const part = words.slice(done, done + chunk);
      const B = part.length;
      const x0 = encodeWords(part); // [B*L]
      const t = Float32Array.from({ length: B }, (_, b) => (done + b + u) / n);
      const { xt, mask, maskedCount } = maskArrays(x0, t, rng);
      if (maskedCount === 0) continue;
      const { nll } = await scoreBatch(model, x0, xt, t, ignoreTime);
      for (let b = 0; b < B; b++) {
        let sum = 0;
        for (let i = b * WORD_LENGTH; i < (b + 1) * WORD_LENGTH; i++) if (mask[i]) sum += nll[i];
        nats += sum / t[b];
      }
    }
  }
  return nats / passes / charactersOf(words) / Math.LN2;
}
