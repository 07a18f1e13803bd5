/**
 * Checks that teach. Each compares the student's output with the reference on
 * the same inputs, and when it differs, tests it against the common mistakes
 * (computed here from the same logits) to say which one it looks like.
 * Pure arithmetic on arrays: runs and is tested in Node, and runs on the
 * trusted side, with the trusted reference's logits.
 */
import { MASK_ID } from '../core/config.ts';
import { realTokenProbs } from '../core/categorical.ts';

/** One fixed input, and the model's logits for it (computed by the trusted reference). */
export interface CheckCase {
  readonly label: string;
  readonly hidden: boolean;
  readonly x0: Int32Array; // [L]
  readonly xt?: Int32Array; // [L], TODO 3 reads it
  readonly mask: Uint8Array; // [L], 1 where masked
  readonly t: number;
  readonly k: number;
  /** TODO 3: the ratio after the step, and the uniforms that decide what opens and what it becomes. */
  readonly s?: number;
  readonly u?: Float64Array; // [L]
  readonly g?: Float64Array; // [L]
  readonly logits: Float32Array; // [L, V]
  readonly V: number;
}

export interface CheckResult {
  readonly label: string;
  readonly hidden: boolean;
  /** What was checked, in words. */
  readonly what: string;
  readonly passed: boolean;
  /** Why it failed, as a diagnosis; empty when passed. */
  readonly message: string;
}

const close = (a: number, b: number, rel = 1e-3, abs = 1e-4) => Math.abs(a - b) <= abs + rel * Math.abs(b);

/**
 * The mistake `value` is, among `variants` (name -> the value that mistake gives),
 * or null. A diagnosis needs a much closer match than a pass (float32 against
 * float64 leaves about 1e-6 relative): with a trained model every loss is near
 * zero, and an absolute tolerance would match several mistakes at once. Variants
 * that coincide with the reference say nothing and are skipped; among the rest
 * the closest wins.
 */
function closestMistake(value: number, variants: Readonly<Record<string, number>>, reference: number): string | null {
  const tight = (a: number, b: number) => Math.abs(a - b) <= 1e-9 + 2e-4 * Math.abs(b);
  let best: string | null = null;
  let bestGap = Infinity;
  for (const [name, v] of Object.entries(variants)) {
    if (!Number.isFinite(v) || tight(v, reference) || !tight(value, v)) continue;
    const gap = Math.abs(value - v) / Math.max(Math.abs(v), 1e-12);
    if (gap < bestGap) [best, bestGap] = [name, gap];
  }
  return best;
}

/** Softmax of each row over the real tokens only ([MASK] left out): the mistake of dropping token 0. */
function softmaxRowsWithoutMask(logits: Float32Array, V: number): { p: Float64Array; logp: Float64Array } {
  const p = new Float64Array(logits.length);
  const logp = new Float64Array(logits.length).fill(Number.NEGATIVE_INFINITY);
  const row = new Float64Array(V);
  for (let r = 0; r < logits.length / V; r++) {
    realTokenProbs(logits, r * V, V, 1, row);
    for (let v = 0; v < V; v++) {
      p[r * V + v] = row[v];
      if (v !== MASK_ID) logp[r * V + v] = Math.log(row[v]);
    }
  }
  return { p, logp };
}

/** Row-wise softmax and log-softmax of [L, V] logits. */
function softmaxRows(logits: Float32Array, V: number): { p: Float64Array; logp: Float64Array } {
  const p = new Float64Array(logits.length);
  const logp = new Float64Array(logits.length);
  for (let r = 0; r < logits.length / V; r++) {
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[r * V + v]);
    let sum = 0;
    for (let v = 0; v < V; v++) sum += Math.exp(logits[r * V + v] - max);
    const lse = max + Math.log(sum);
    for (let v = 0; v < V; v++) {
      logp[r * V + v] = logits[r * V + v] - lse;
      p[r * V + v] = Math.exp(logp[r * V + v]);
    }
  }
  return { p, logp };
}

/** Softmax down each vocabulary column, across positions: the wrong-axis mistake. */
function softmaxColumns(logits: Float32Array, V: number): Float64Array {
  const L = logits.length / V;
  const out = new Float64Array(logits.length);
  for (let v = 0; v < V; v++) {
    let max = -Infinity;
    for (let r = 0; r < L; r++) max = Math.max(max, logits[r * V + v]);
    let sum = 0;
    for (let r = 0; r < L; r++) sum += Math.exp(logits[r * V + v] - max);
    for (let r = 0; r < L; r++) out[r * V + v] = Math.exp(logits[r * V + v] - max) / sum;
  }
  return out;
}

// ---------------------------------------------------------------- TODO 1

export interface LossAnswer {
  readonly loss: number;
  readonly nMasked: number;
}

/** The reference loss and the values each common mistake would give. */
export function lossVariants(c: CheckCase): Record<string, number> {
  const { logp, p } = softmaxRows(c.logits, c.V);
  const noMask = softmaxRowsWithoutMask(c.logits, c.V);
  const L = c.x0.length;
  let masked = 0,
    sumMasked = 0,
    sumAll = 0,
    sumRawMasked = 0,
    sumProbMasked = 0,
    sumUnmasked = 0,
    sumNoMask = 0;
  // Next-token habits: position i's logits scored against the token at i + 1.
  let nextAtMasked = 0,
    nAtMasked = 0,
    nextWhereNextMasked = 0,
    nWhereNextMasked = 0;
  for (let i = 0; i < L; i++) {
    const nll = -logp[i * c.V + c.x0[i]];
    sumAll += nll;
    if (c.mask[i]) {
      masked++;
      sumMasked += nll;
      sumRawMasked += -c.logits[i * c.V + c.x0[i]];
      sumProbMasked += -p[i * c.V + c.x0[i]];
      sumNoMask += -noMask.logp[i * c.V + c.x0[i]];
    } else sumUnmasked += nll;
    if (i + 1 < L) {
      const next = -logp[i * c.V + c.x0[i + 1]];
      if (c.mask[i]) [nextAtMasked, nAtMasked] = [nextAtMasked + next, nAtMasked + 1];
      if (c.mask[i + 1]) [nextWhereNextMasked, nWhereNextMasked] = [nextWhereNextMasked + next, nWhereNextMasked + 1];
    }
  }
  const reference = sumMasked / masked;
  return {
    reference,
    allPositions: sumAll / L,
    summed: sumMasked,
    summedAll: sumAll,
    dividedByLength: sumMasked / L,
    rawLogits: sumRawMasked / masked,
    noLog: sumProbMasked / masked,
    unmaskedOnly: L > masked ? sumUnmasked / (L - masked) : Number.NaN,
    log10: reference / Math.LN10,
    log2: reference / Math.LN2,
    noMaskInSoftmax: sumNoMask / masked,
    nextTokenAtMasked: nAtMasked ? nextAtMasked / nAtMasked : Number.NaN,
    nextTokenWhereNextMasked: nWhereNextMasked ? nextWhereNextMasked / nWhereNextMasked : Number.NaN,
  };
}

const LOSS_DIAGNOSES: Record<string, string> = {
  allPositions:
    'Your loss averages over all 32 positions. Only the masked positions count: the unmasked ones were visible, so predicting them is free. Select the masked rows first (tf.booleanMaskAsync with the mask).',
  summed:
    "Your loss is the sum over the masked positions. Section 3's formula is written as that sum; the loss this lesson trains on (and checks here) is its mean over the masked positions, the sum divided by their number n, which is in effect the ELBO's 1/t weighting with 1/n standing in for 1/t. Use tf.mean instead of tf.sum.",
  summedAll: 'Your loss sums over every position. Keep only the masked positions, and average rather than sum.',
  dividedByLength: 'Your loss sums the masked positions but divides by the sequence length (32). Divide by the number of masked positions instead.',
  rawLogits: 'Your loss uses the raw logits as if they were log-probabilities. Apply tf.logSoftmax over the vocabulary first.',
  noLog: 'Your loss uses probabilities, not log-probabilities: cross-entropy is the mean of −log p. Use tf.logSoftmax (or the log of the softmax).',
  unmaskedOnly: 'Your loss is taken at the unmasked positions. The model is graded where it had to guess: where mask is true.',
  log10:
    'Your loss is in base-10 logarithms (it is the right loss divided by ln 10 ≈ 2.303). Cross-entropy here is in nats, natural logarithms: tf.logSoftmax, or tf.log, gives those.',
  log2: 'Your loss is in bits, base-2 logarithms (the right loss divided by ln 2 ≈ 0.693). The lesson measures the loss in nats, natural logarithms: tf.logSoftmax, or tf.log, gives those.',
  noMaskInSoftmax:
    'Your softmax leaves out token 0, [MASK]. The model gives [MASK] a score like any other token, and the loss is −log of the softmax over all 16: dropping one changes every probability a little. Take tf.logSoftmax over the whole last axis.',
  nextTokenAtMasked:
    "Your loss scores position i's logits against the token at position i + 1, as a left-to-right language model does. Here each position predicts its own token: the model reads the whole sequence, both sides, and its logits at position i are its guess for x0 at i.",
  nextTokenWhereNextMasked:
    "Your loss scores position i's logits against the token at position i + 1, as a left-to-right language model does. Here each position predicts its own token: the model reads the whole sequence, both sides, and its logits at position i are its guess for x0 at i.",
};

export function checkLoss(c: CheckCase, answer: unknown): CheckResult {
  const base = { label: c.label, hidden: c.hidden, what: `mean cross-entropy over the masked positions, and their count, at t = ${c.t}` };
  const fail = (message: string): CheckResult => ({ ...base, passed: false, message });
  if (!answer || typeof answer !== 'object') return fail('Return an object { loss, nMasked }.');
  const { loss, nMasked } = answer as Partial<LossAnswer>;
  if (typeof loss !== 'number' || !Number.isFinite(loss)) return fail(`loss should be a finite number or a scalar tensor; got ${describe(loss)}.`);
  const count = c.mask.reduce((s, m) => s + m, 0);
  const v = lossVariants(c);
  if (!close(loss, v.reference)) {
    const { reference, ...mistakes } = v;
    const mistake = closestMistake(loss, mistakes, reference);
    if (mistake) return fail(LOSS_DIAGNOSES[mistake]);
    if (loss < 0)
      return fail(`Your loss is ${loss.toFixed(4)}, below zero. Cross-entropy is −log p with p ≤ 1, so it is never negative: check the sign.`);
    return fail(
      `Your loss is ${loss.toFixed(4)}; the reference gives ${v.reference.toFixed(4)} on this input. Check each step: logits at masked positions, log-softmax over the vocabulary, the true token's log-probability, then the mean.`,
    );
  }
  if (nMasked !== count) {
    return fail(
      nMasked === c.x0.length
        ? `nMasked is ${nMasked}, the whole sequence; only ${count} positions are masked.`
        : `nMasked is ${describe(nMasked)}; ${count} positions are masked.`,
    );
  }
  return { ...base, passed: true, message: '' };
}

// ---------------------------------------------------------------- TODO 2

export interface Guess {
  readonly token: number;
  readonly prob: number;
}

export interface PredictionAnswer {
  readonly position: number;
  readonly top: readonly Guess[];
}

function describe(x: unknown): string {
  if (x === undefined) return 'undefined';
  if (x === null) return 'null';
  if (Array.isArray(x)) return `an array of ${x.length}`;
  if (typeof x === 'object') return 'an object';
  return `${typeof x} ${String(x)}`;
}

/** Validate the shape of a predictMasked answer; a message when malformed. */
function malformed(answer: unknown, k: number, V: number): string | null {
  if (!Array.isArray(answer)) return `Return an array of { position, top } entries; got ${describe(answer)}.`;
  for (const [i, e] of answer.entries()) {
    if (!e || typeof e !== 'object') return `Entry ${i} is ${describe(e)}, not { position, top }.`;
    const { position, top } = e as Partial<PredictionAnswer>;
    if (!Number.isInteger(position)) return `Entry ${i} has position ${describe(position)}; positions are whole numbers from 0.`;
    if (!Array.isArray(top)) return `Entry ${i} (position ${position}) has top = ${describe(top)}; it should be an array of { token, prob }.`;
    if (top.length !== k) return `Position ${position} has ${top.length} guesses; k = ${k} were asked for.`;
    const seen = new Set<number>();
    for (const g of top) {
      if (!g || !Number.isInteger((g as Guess).token) || typeof (g as Guess).prob !== 'number') {
        return `Position ${position} has a guess that is not { token: whole number, prob: number }: ${JSON.stringify(g)}.`;
      }
      const { token } = g as Guess;
      if (token < 0 || token >= V) return `Position ${position} guesses token ${token}; tokens are 0 to ${V - 1}.`;
      if (seen.has(token))
        return `Position ${position} lists token ${token} twice. The top k are k different tokens: after taking the best, exclude it before taking the next (tf.topk does this for you).`;
      seen.add(token);
    }
  }
  return null;
}

export function checkPredictions(c: CheckCase, answer: unknown): CheckResult {
  const base = { label: c.label, hidden: c.hidden, what: `top-${c.k} tokens and probabilities at every masked position, at t = ${c.t}` };
  const fail = (message: string): CheckResult => ({ ...base, passed: false, message });
  const bad = malformed(answer, c.k, c.V);
  if (bad) return fail(bad);
  const preds = answer as PredictionAnswer[];
  const L = c.x0.length;
  const V = c.V;
  const maskedPositions = [...c.mask.keys()].filter((i) => c.mask[i]);
  const got = preds.map((p) => p.position);

  // Where the predictions are.
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (
    !same(
      [...got].sort((a, b) => a - b),
      maskedPositions,
    )
  ) {
    if (got.length === L)
      return fail(
        `You predicted at all ${L} positions. Predict only where mask is true (${maskedPositions.length} positions here): the others are visible.`,
      );
    if (
      same(
        got,
        maskedPositions.map((p) => p + 1),
      ) ||
      same(
        got,
        maskedPositions.map((p) => p - 1),
      )
    ) {
      return fail(
        `Your positions are off by one: the masked positions are ${maskedPositions.slice(0, 5).join(', ')}…, yours start ${got.slice(0, 5).join(', ')}…. Positions count from 0, like array indices.`,
      );
    }
    const unmasked = got.filter((p) => p >= 0 && p < L && !c.mask[p]);
    if (unmasked.length > 0)
      return fail(`You predicted at unmasked positions (${unmasked.slice(0, 5).join(', ')}). Predict only where mask is true.`);
    return fail(
      `Expected one entry for each of the ${maskedPositions.length} masked positions (${maskedPositions.slice(0, 6).join(', ')}…); got positions ${got.slice(0, 6).join(', ')}.`,
    );
  }
  if (!same(got, maskedPositions)) return fail('Your entries are not in position order; list them from left to right.');

  // What the probabilities are.
  const { p } = softmaxRows(c.logits, V);
  const columns = softmaxColumns(c.logits, V);
  const withoutMask = softmaxRowsWithoutMask(c.logits, V).p;
  // Tight: a trained model's probabilities are near 0 or 1 whichever way they are computed.
  const asIf = (table: ArrayLike<number>, rel = 1e-3, abs = 1e-4) =>
    preds.every((e) => e.top.every((g) => close(g.prob, table[e.position * V + g.token], rel, abs)));
  if (!asIf(p)) {
    if (asIf(c.logits))
      return fail('Your "probabilities" are the raw logits (some are negative or above 1). Apply tf.softmax over the vocabulary first.');
    if (asIf(columns))
      return fail(
        "Your softmax runs over the positions, not the vocabulary: each position's probabilities should sum to 1 over the 16 tokens. Use the last axis.",
      );
    if (asIf(withoutMask, 2e-4, 1e-9)) {
      return fail(
        'Your softmax leaves out token 0, [MASK]. The model gives [MASK] a score like any other token; dropping it renormalises the rest and changes every probability a little. Take tf.softmax over the whole last axis, [MASK] included (a trained model gives it almost nothing anyway).',
      );
    }
    return fail("Your probabilities do not match the softmax of the model's logits over the vocabulary at those positions.");
  }

  // Which tokens, in which order.
  for (const e of preds) {
    const row = Array.from({ length: V }, (_, v) => p[e.position * V + v]);
    const kth = [...row].sort((a, b) => b - a)[c.k - 1];
    const inTopK = e.top.every((g) => row[g.token] >= kth - 1e-6);
    if (!inTopK)
      return fail(`At position ${e.position} your guesses are not the ${c.k} most probable tokens. Take the k largest probabilities (tf.topk).`);
    for (let j = 1; j < e.top.length; j++) {
      if (e.top[j].prob > e.top[j - 1].prob + 1e-6) {
        return fail(
          `At position ${e.position} your top-${c.k} is not sorted: ${e.top.map((g) => g.prob.toFixed(3)).join(', ')}. List the most probable first (tf.topk sorts for you).`,
        );
      }
    }
  }
  return { ...base, passed: true, message: '' };
}

// ---------------------------------------------------------------- TODO 3

/** Inverse-CDF draw from one row of probabilities with uniform `g`, as the lesson's sampler draws (categorical.ts). */
function drawFrom(row: ArrayLike<number>, g: number): number {
  let total = 0;
  let last = -1;
  for (let v = 0; v < row.length; v++) {
    if (row[v] === 0) continue;
    total += row[v];
    last = v;
    if (g < total) return v;
  }
  return last;
}

/** The model's distribution over real tokens at each position of a case: TODO 3's `probs`, [L][V]. */
export function revealProbs(logits: Float32Array, V: number): number[][] {
  const row = new Float64Array(V);
  return Array.from({ length: logits.length / V }, (_, i) => Array.from(realTokenProbs(logits, i * V, V, 1, row)));
}

/**
 * x_s from x_t under the reference rule and under each common mistake. Each
 * rule says, for a masked position, whether it opens and what it becomes.
 */
export function revealVariants(c: CheckCase): Record<string, number[]> {
  const xt = c.xt!;
  const s = c.s!;
  const u = c.u!;
  const g = c.g!;
  const probs = revealProbs(c.logits, c.V);
  const argmax = (row: number[]) => row.indexOf(Math.max(...row));
  const rule = (opens: (i: number) => boolean, value: (i: number) => number, keepVisible = true) =>
    Array.from(xt, (tok, i) => (tok !== MASK_ID && keepVisible ? tok : tok !== MASK_ID ? value(i) : opens(i) ? value(i) : MASK_ID));
  const p = (c.t - s) / c.t;
  const draw = (i: number) => drawFrom(probs[i], g[i]);
  return {
    reference: rule((i) => u[i] < p, draw),
    complement: rule((i) => u[i] < s / c.t, draw),
    notConditional: rule((i) => u[i] < c.t - s, draw),
    unconditional: rule((i) => u[i] < 1 - s, draw),
    flipped: rule((i) => u[i] >= p, draw),
    all: rule(() => true, draw),
    none: rule(() => false, draw),
    argmax: rule(
      (i) => u[i] < p,
      (i) => argmax(probs[i]),
    ),
    swapped: rule(
      (i) => g[i] < p,
      (i) => drawFrom(probs[i], u[i]),
    ),
    redrawsVisible: rule((i) => u[i] < p, draw, false),
  };
}

const REVEAL_DIAGNOSES: Record<string, string> = {
  complement:
    'Your step opens a blank with probability s / t. That is the chance it stays hidden: a token masked at t has its uniform below t, and it is still masked at s when that uniform is also below s, which happens s / t of the time. It opens with probability (t − s) / t.',
  notConditional:
    'Your step opens a blank with probability t − s. That would be right if nothing were known yet, but the token is known to be masked at t: among the t of the time it is masked at t, it becomes visible by s in t − s of it. Divide by t: (t − s) / t.',
  unconditional:
    'Your step opens a blank with probability 1 − s, the chance that a token is visible at s before anything is known. This token is known to be masked at t, so the chance is conditional on that: (t − s) / t.',
  flipped:
    'Your step opens a blank when u[i] is at least the reveal probability. A uniform u[i] is below p with probability p: open it when u[i] < (t − s) / t.',
  all: 'Your step opens every blank at once. Only some open on the way from t to s: each with probability (t − s) / t, decided by u[i] < (t − s) / t. (All of them open only in the last step, where s = 0.)',
  none: 'Your step opens no blank. Each should open with probability (t − s) / t, when u[i] < (t − s) / t.',
  argmax:
    "Your step fills each opened blank with the model's most likely token. Generation draws it instead, from the model's probabilities with g[i]: the first token whose running total of probability exceeds g[i]. Always taking the most likely token makes every sample alike.",
  swapped:
    'Your step uses g[i] to decide which blanks open and u[i] to draw the token: the other way round. u decides what opens, g what it becomes.',
  redrawsVisible:
    'Your step changes tokens that were already visible. A token revealed earlier stays as it is: the reverse process never masks or redraws it.',
};

export function checkReveal(c: CheckCase, answer: unknown): CheckResult {
  const xt = c.xt!;
  const L = xt.length;
  const base = { label: c.label, hidden: c.hidden, what: `the blanks that open, and what they become, from t = ${c.t} to s = ${c.s}` };
  const fail = (message: string): CheckResult => ({ ...base, passed: false, message });
  if (!Array.isArray(answer)) return fail(`Return an array of ${L} token ids; got ${describe(answer)}.`);
  if (answer.length !== L) return fail(`Return all ${L} positions, masked or not; got ${answer.length}.`);
  const bad = answer.findIndex((v) => !Number.isInteger(v) || (v as number) < 0 || (v as number) >= c.V);
  if (bad >= 0) return fail(`Position ${bad} holds ${describe(answer[bad])}; every entry should be a token id from 0 to ${c.V - 1} (0 is [MASK]).`);
  const out = answer as number[];
  const variants = revealVariants(c);
  const same = (a: readonly number[]) => a.every((v, i) => v === out[i]);
  if (same(variants.reference)) return { ...base, passed: true, message: '' };
  const { reference, ...mistakes } = variants;
  for (const [name, xs] of Object.entries(mistakes)) if (!xs.every((v, i) => v === reference[i]) && same(xs)) return fail(REVEAL_DIAGNOSES[name]);
  // No known mistake: say where it differs, and in which way.
  const changed = [...Array(L).keys()].find((i) => xt[i] !== MASK_ID && out[i] !== xt[i]);
  if (changed !== undefined)
    return fail(
      `Position ${changed} was visible (token ${xt[changed]}) and your step changed it to ${out[changed]}. ${REVEAL_DIAGNOSES.redrawsVisible}`,
    );
  const i = [...Array(L).keys()].find((j) => out[j] !== reference[j])!;
  const name = (v: number) => (v === MASK_ID ? '[MASK]' : `token ${v}`);
  return fail(
    `At position ${i} (masked; u = ${c.u![i].toFixed(3)}, g = ${c.g![i].toFixed(3)}) your step gives ${name(out[i])}, where it should give ${name(reference[i])}. Open a blank when u[i] < (t − s) / t, then draw its token with g[i].`,
  );
}
