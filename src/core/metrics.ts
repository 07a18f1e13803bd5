/**
 * How good is a model? Accuracy at masked positions against the masking
 * ratio, the loss per ratio, an ELBO estimate in bits per token, and the
 * best possible accuracy for this data (the exact Bayes-optimal denoiser).
 * Everything is batched: one forward pass per chunk of sequences.
 */
import * as tf from '@tensorflow/tfjs-core';
import { bestPossibleAccuracy } from './bayes.ts';
import { DEFAULT_DATA, type DataConfig } from './config.ts';
import { generatePatterns } from './data.ts';
import { maskArrays } from './masking.ts';
import { linspace } from './numeric.ts';
import type { DiffusionLM } from './model.ts';
import { Rng } from './rng.ts';

export interface RatioResult {
  readonly t: number;
  /** Fraction of masked tokens whose argmax prediction is right, in [0, 1]. */
  readonly accuracy: number;
  /** Expected accuracy of the Bayes-optimal denoiser on the same masked inputs. */
  readonly bestPossible: number;
  readonly maskedTokens: number;
  /** Mean cross-entropy (nats) over the masked tokens at this ratio. */
  readonly meanLoss: number;
}

export interface Evaluation {
  readonly ratios: RatioResult[];
  /** Mean cross-entropy per masked token, pooled over every ratio. */
  readonly meanLoss: number;
  /** ELBO estimate in bits per token (t stratified over (0, 1)); the data's entropy is 0.415. */
  readonly elboBitsPerToken: number;
}

export interface EvalOptions {
  /** Masking ratios; defaults to 15 evenly spaced from 0.1 to 0.95. */
  readonly ratios?: readonly number[];
  readonly seqsPerRatio?: number;
  readonly seed?: number;
  /** Sequences per forward pass. */
  readonly chunk?: number;
  readonly data?: DataConfig;
  readonly ignoreTime?: boolean;
  /** Also estimate the ELBO (as many sequences again); off for quick check-ups during training. */
  readonly elbo?: boolean;
  /** Stops the evaluation between chunks: it then rejects with an AbortError. */
  readonly signal?: AbortSignal;
  /** Told after each chunk how many sequences of the total are scored; awaited, so it may yield. */
  readonly progress?: (done: number, total: number) => void | Promise<void>;
}

/** Between chunks: report, let the caller yield, and stop if asked to. */
async function chunkDone(options: EvalOptions, done: number, total: number): Promise<void> {
  await options.progress?.(done, total);
  if (options.signal?.aborted) throw new DOMException('the evaluation was cancelled', 'AbortError');
}

export { linspace };

export const DEFAULT_RATIOS = Object.freeze(linspace(0.1, 0.95, 15));

interface Scored {
  /** Argmax token at every position, [B*L]. */
  readonly argmax: Int32Array;
  /** -log p(x0) at every position, [B*L]. */
  readonly nll: Float32Array;
}

/** One eval-mode forward pass: argmax and the true token's negative log-likelihood. */
export async function scoreBatch(model: DiffusionLM, x0: Int32Array, xt: Int32Array, t: Float32Array, ignoreTime = false): Promise<Scored> {
  const B = t.length;
  const L = xt.length / B;
  const V = model.config.vocabSize;
  const [argmaxT, nllT] = tf.tidy(() => {
    const logits = model.forward(tf.tensor2d(xt, [B, L], 'int32'), tf.tensor2d(t, [B, 1]), { ignoreTime });
    const logp = tf.logSoftmax(logits); // [B, L, V]
    const target = tf.cast(tf.oneHot(tf.tensor2d(x0, [B, L], 'int32'), V), 'float32');
    return [tf.argMax(logits, -1), tf.neg(tf.sum(tf.mul(logp, target), -1))];
  });
  try {
    const [argmax, nll] = await Promise.all([argmaxT.data(), nllT.data()]);
    return { argmax: argmax as Int32Array, nll: nll as Float32Array };
  } finally {
    tf.dispose([argmaxT, nllT]);
  }
}

export async function evaluate(model: DiffusionLM, options: EvalOptions = {}): Promise<Evaluation> {
  const ratios = options.ratios ?? DEFAULT_RATIOS;
  const perRatio = options.seqsPerRatio ?? 500;
  const chunk = options.chunk ?? 250;
  const data = options.data ?? DEFAULT_DATA;
  if (!Number.isInteger(perRatio) || perRatio < 1) throw new RangeError(`seqsPerRatio must be a positive integer, got ${perRatio}`);
  const rng = new Rng(options.seed ?? 1234);
  const total = perRatio * ratios.length * (options.elbo === false ? 1 : 2);
  let scored = 0;

  const results: RatioResult[] = [];
  let pooledLoss = 0,
    pooledCount = 0;
  for (const t of ratios) {
    let correct = 0,
      masked = 0,
      lossSum = 0,
      bestSum = 0;
    for (let done = 0; done < perRatio; done += chunk) {
      const B = Math.min(chunk, perRatio - done);
      const { x0 } = generatePatterns(rng, B, data);
      const tb = new Float32Array(B).fill(t);
      const { xt, mask, maskedCount } = maskArrays(x0, tb, rng);
      if (maskedCount === 0) continue;
      const { argmax, nll } = await scoreBatch(model, x0, xt, tb, options.ignoreTime);
      for (let i = 0; i < mask.length; i++) {
        if (!mask[i]) continue;
        correct += argmax[i] === x0[i] ? 1 : 0;
        lossSum += nll[i];
      }
      masked += maskedCount;
      bestSum += bestPossibleAccuracy(x0, xt, B, data).expected * maskedCount;
      await chunkDone(options, (scored += B), total);
    }
    results.push({ t, accuracy: correct / masked, bestPossible: bestSum / masked, maskedTokens: masked, meanLoss: lossSum / masked });
    pooledLoss += lossSum;
    pooledCount += masked;
  }
  const elboBitsPerToken =
    options.elbo === false
      ? Number.NaN
      : await elboBits(model, {
          ...options,
          seqs: perRatio * ratios.length,
          rng,
          chunk,
          data,
          done: (B) => chunkDone(options, (scored += B), total),
        });
  return { ratios: results, meanLoss: pooledLoss / pooledCount, elboBitsPerToken };
}

/**
 * The ELBO, E_t[(1/t) * sum over masked i of -log p(x0_i | x_t)] / L, in bits per
 * token. Sequence i gets t = (i + u) / n: stratified, so every part of (0, 1)
 * is covered and the 1/t weight does not make the estimate jumpy.
 */
async function elboBits(
  model: DiffusionLM,
  o: { seqs: number; rng: Rng; chunk: number; data: DataConfig; ignoreTime?: boolean; done: (B: number) => Promise<void> },
): Promise<number> {
  const { seqs, rng, chunk, data } = o;
  const u = rng.next();
  let total = 0;
  for (let done = 0; done < seqs; done += chunk) {
    const B = Math.min(chunk, seqs - done);
    const { x0 } = generatePatterns(rng, B, data);
    const t = Float32Array.from({ length: B }, (_, b) => (done + b + u) / seqs);
    const { xt, mask } = maskArrays(x0, t, rng);
    const { nll } = await scoreBatch(model, x0, xt, t, o.ignoreTime);
    const L = data.seqLen;
    for (let b = 0; b < B; b++) {
      let s = 0;
      for (let i = b * L; i < (b + 1) * L; i++) if (mask[i]) s += nll[i];
      total += s / t[b] / L;
    }
    await o.done(B);
  }
  return total / seqs / Math.LN2;
}
