/**
 * Checks that teach. Each compares the student's output with the reference on
 * the same inputs, and when it differs, tests it against the common mistakes
 * (computed here from the same logits) to say which one it looks like.
 * Pure arithmetic on arrays: runs and is tested in Node.
 */

/** One fixed input, and the model's logits for it (computed once, in the worker). */
export interface CheckCase {
  readonly label: string;
  readonly hidden: boolean;
  readonly x0: Int32Array; // [L]
  readonly mask: Uint8Array; // [L], 1 where masked
  readonly t: number;
  readonly k: number;
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
  const L = c.x0.length;
  let masked = 0, sumMasked = 0, sumAll = 0, sumRawMasked = 0, sumProbMasked = 0, sumUnmasked = 0;
  for (let i = 0; i < L; i++) {
    const nll = -logp[i * c.V + c.x0[i]];
    sumAll += nll;
    if (c.mask[i]) {
      masked++;
      sumMasked += nll;
      sumRawMasked += -c.logits[i * c.V + c.x0[i]];
      sumProbMasked += -p[i * c.V + c.x0[i]];
    } else sumUnmasked += nll;
  }
  return {
    reference: sumMasked / masked,
    allPositions: sumAll / L,
    summed: sumMasked,
    summedAll: sumAll,
    dividedByLength: sumMasked / L,
    rawLogits: sumRawMasked / masked,
    noLog: sumProbMasked / masked,
    unmaskedOnly: L > masked ? sumUnmasked / (L - masked) : Number.NaN,
  };
}

const LOSS_DIAGNOSES: [string, string][] = [
  ['allPositions', 'Your loss averages over all 32 positions. Only the masked positions count: the unmasked ones were visible, so predicting them is free. Select the masked rows first (tf.booleanMaskAsync with the mask).'],
  ['summed', 'Your loss is the sum over the masked positions. The lesson\'s loss is their mean: divide by the number of masked positions (tf.mean instead of tf.sum).'],
  ['summedAll', 'Your loss sums over every position. Keep only the masked positions, and average rather than sum.'],
  ['dividedByLength', 'Your loss sums the masked positions but divides by the sequence length (32). Divide by the number of masked positions instead.'],
  ['rawLogits', 'Your loss uses the raw logits as if they were log-probabilities. Apply tf.logSoftmax over the vocabulary first.'],
  ['noLog', 'Your loss uses probabilities, not log-probabilities: cross-entropy is the mean of −log p. Use tf.logSoftmax (or the log of the softmax).'],
  ['unmaskedOnly', 'Your loss is taken at the unmasked positions. The model is graded where it had to guess: where mask is true.'],
];

export function checkLoss(c: CheckCase, answer: unknown): CheckResult {
  const base = { label: c.label, hidden: c.hidden, what: `mean cross-entropy over the masked positions, and their count, at t = ${c.t}` };
  const fail = (message: string): CheckResult => ({ ...base, passed: false, message });
  if (!answer || typeof answer !== 'object') return fail('Return an object { loss, nMasked }.');
  const { loss, nMasked } = answer as Partial<LossAnswer>;
  if (typeof loss !== 'number' || !Number.isFinite(loss)) return fail(`loss should be a finite number or a scalar tensor; got ${describe(loss)}.`);
  const count = c.mask.reduce((s, m) => s + m, 0);
  const v = lossVariants(c);
  if (!close(loss, v.reference)) {
    for (const [key, message] of LOSS_DIAGNOSES) if (Number.isFinite(v[key]) && close(loss, v[key])) return fail(message);
    if (loss < 0) return fail(`Your loss is ${loss.toFixed(4)}, below zero. Cross-entropy is −log p with p ≤ 1, so it is never negative: check the sign.`);
    return fail(`Your loss is ${loss.toFixed(4)}; the reference gives ${v.reference.toFixed(4)} on this input. Check each step: logits at masked positions, log-softmax over the vocabulary, the true token's log-probability, then the mean.`);
  }
  if (nMasked !== count) {
    return fail(nMasked === c.x0.length ? `nMasked is ${nMasked}, the whole sequence; only ${count} positions are masked.` : `nMasked is ${describe(nMasked)}; ${count} positions are masked.`);
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
      if (seen.has(token)) return `Position ${position} lists token ${token} twice. The top k are k different tokens: after taking the best, exclude it before taking the next (tf.topk does this for you).`;
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
  if (!same([...got].sort((a, b) => a - b), maskedPositions)) {
    if (got.length === L) return fail(`You predicted at all ${L} positions. Predict only where mask is true (${maskedPositions.length} positions here): the others are visible.`);
    if (same(got, maskedPositions.map((p) => p + 1)) || same(got, maskedPositions.map((p) => p - 1))) {
      return fail(`Your positions are off by one: the masked positions are ${maskedPositions.slice(0, 5).join(', ')}…, yours start ${got.slice(0, 5).join(', ')}…. Positions count from 0, like array indices.`);
    }
    const unmasked = got.filter((p) => p >= 0 && p < L && !c.mask[p]);
    if (unmasked.length > 0) return fail(`You predicted at unmasked positions (${unmasked.slice(0, 5).join(', ')}). Predict only where mask is true.`);
    return fail(`Expected one entry for each of the ${maskedPositions.length} masked positions (${maskedPositions.slice(0, 6).join(', ')}…); got positions ${got.slice(0, 6).join(', ')}.`);
  }
  if (!same(got, maskedPositions)) return fail('Your entries are not in position order; list them from left to right.');

  // What the probabilities are.
  const { p } = softmaxRows(c.logits, V);
  const columns = softmaxColumns(c.logits, V);
  const asIf = (table: ArrayLike<number>) => preds.every((e) => e.top.every((g) => close(g.prob, table[e.position * V + g.token])));
  if (!asIf(p)) {
    if (asIf(c.logits)) return fail('Your "probabilities" are the raw logits (some are negative or above 1). Apply tf.softmax over the vocabulary first.');
    if (asIf(columns)) return fail('Your softmax runs over the positions, not the vocabulary: each position\'s probabilities should sum to 1 over the 16 tokens. Use the last axis.');
    return fail('Your probabilities do not match the softmax of the model\'s logits over the vocabulary at those positions.');
  }

  // Which tokens, in which order.
  for (const e of preds) {
    const row = Array.from({ length: V }, (_, v) => p[e.position * V + v]);
    const kth = [...row].sort((a, b) => b - a)[c.k - 1];
    const inTopK = e.top.every((g) => row[g.token] >= kth - 1e-6);
    if (!inTopK) return fail(`At position ${e.position} your guesses are not the ${c.k} most probable tokens. Take the k largest probabilities (tf.topk).`);
    for (let j = 1; j < e.top.length; j++) {
      if (e.top[j].prob > e.top[j - 1].prob + 1e-6) {
        return fail(`At position ${e.position} your top-${c.k} is not sorted: ${e.top.map((g) => g.prob.toFixed(3)).join(', ')}. List the most probable first (tf.topk sorts for you).`);
      }
    }
  }
  return { ...base, passed: true, message: '' };
}
