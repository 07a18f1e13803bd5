/**
 * The infilling playground's numbers: at every blank of a typed sequence, the
 * model's guesses beside the best possible denoiser's (the exact posterior for
 * this data). t is the share of blanks, as in training.
 */
import { bayesDenoise } from '../core/bayes.ts';
import { DEFAULT_DATA, MASK_ID } from '../core/config.ts';
import type { DiffusionLM } from '../core/model.ts';
import { predictMasked } from '../core/predict.ts';

const V = DEFAULT_DATA.vocabSize;
export const INFILL_TOP = 3;

export interface Guess {
  readonly token: number;
  readonly prob: number;
}

export interface Infilled {
  readonly tokens: Int32Array;
  /** One row per blank, in order. */
  readonly blanks: { readonly position: number; readonly model: Guess[]; readonly best: Guess[] }[];
  /** Periods the visible tokens allow, with their posterior probability. */
  readonly periods: { readonly period: number; readonly prob: number }[];
}

function topOf(probs: Float64Array, position: number): Guess[] {
  const row = Array.from(probs.subarray(position * V, (position + 1) * V), (prob, token) => ({ token, prob })).filter((g) => g.token !== MASK_ID);
  row.sort((a, b) => b.prob - a.prob || a.token - b.token);
  return row.slice(0, INFILL_TOP);
}

export async function infill(model: DiffusionLM, { tokens }: { tokens: Int32Array }): Promise<Infilled> {
  const blanks = tokens.reduce((n, v) => n + (v === MASK_ID ? 1 : 0), 0);
  const t = blanks / tokens.length;
  const best = bayesDenoise(tokens, { ...DEFAULT_DATA, seqLen: tokens.length });
  const preds = await predictMasked(model, tokens, t, INFILL_TOP);
  return {
    tokens,
    blanks: preds.map((p) => ({ position: p.position, model: p.top, best: topOf(best.probs, p.position) })),
    periods: best.periods.map((period, i) => ({ period, prob: best.periodPosterior[i] })),
  };
}
