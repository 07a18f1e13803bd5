/**
 * The data's best-possible denoiser, exact.
 *
 * A clean sequence is a pattern of length p (uniform on minPeriod..maxPeriod) with
 * tokens uniform on the R = V-1 real tokens, tiled: x0[i] = pattern[i mod p]. The mask
 * is independent of x0, so the visible tokens only say "x0 agrees here". Under period
 * p every residue r mod p that holds a visible token is pinned to it (likelihood 1/R;
 * 0 if two visible tokens of that residue disagree) and every other residue is still
 * uniform. Hence
 *
 *   w_p = P(p | visible) ∝ prior(p) · R^-(residues pinned)   (0 if any residue conflicts)
 *   P(x0_i = v | visible) = Σ_p w_p · (v == pin_p[i mod p] ? 1 : 0)   if i's residue is pinned
 *                                     · 1/R                             otherwise
 *
 * Summing over (p, pattern) pairs counts a sequence once per period that explains it
 * (abab under p=2 and p=4), which is right: those are different ways the data could
 * have been generated. Cost O(L · V · #periods); no pattern is ever enumerated.
 */
import { DEFAULT_DATA, MASK_ID, type DataConfig } from './config.ts';

export interface BayesDenoising {
  /** P(x0_i = v | visible tokens) // [L, V] row-major; column MASK_ID is always 0. */
  readonly probs: Float64Array;
  /** The candidate periods minPeriod..maxPeriod, in order. */
  readonly periods: readonly number[];
  /** P(p | visible tokens), aligned with `periods`; all 0 when no period fits. */
  readonly periodPosterior: Float64Array;
  /**
   * Periods under which all visible tokens agree. Empty means the input cannot come
   * from the data (a learner typed it); `probs` is then uniform at masked positions.
   */
  readonly consistentPeriods: readonly number[];
}

export function bayesDenoise(xt: ArrayLike<number>, data: DataConfig = DEFAULT_DATA): BayesDenoising {
  const L = xt.length;
  const V = data.vocabSize;
  const R = V - 1; // real tokens are 1..V-1
  for (let i = 0; i < L; i++) {
    const v = xt[i];
    if (!Number.isInteger(v) || v < 0 || v >= V) throw new RangeError(`xt[${i}] = ${v} is not a token id in [0, ${V})`);
  }
  const periods: number[] = [];
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) periods.push(p);
  const P = periods.length;

  // 1. Per period: the token each residue is pinned to (MASK_ID = free), and log w_p.
  const pins: Int32Array[] = [];
  const logW = new Float64Array(P);
  periods.forEach((p, k) => {
    const pin = new Int32Array(p); // [p]
    let pinned = 0;
    let consistent = true;
    for (let i = 0; i < L && consistent; i++) {
      const v = xt[i];
      if (v === MASK_ID) continue;
      const r = i % p;
      if (pin[r] === MASK_ID) {
        pin[r] = v;
        pinned++;
      } else if (pin[r] !== v) consistent = false;
    }
    pins.push(pin);
    logW[k] = consistent ? Math.log(1 / P) - pinned * Math.log(R) : -Infinity;
  });

  // 2. Normalise to P(p | visible). Logs, because R^-L underflows for long sequences.
  const maxLogW = Math.max(...logW);
  const periodPosterior = new Float64Array(P); // [P]
  const consistentPeriods = periods.filter((_, k) => logW[k] > -Infinity);
  if (consistentPeriods.length > 0) {
    let Z = 0;
    for (let k = 0; k < P; k++) Z += periodPosterior[k] = Math.exp(logW[k] - maxLogW);
    for (let k = 0; k < P; k++) periodPosterior[k] /= Z;
  }

  // 3. Marginalise each position over p. No period fits => uniform over real tokens.
  const probs = new Float64Array(L * V); // [L, V]
  for (let i = 0; i < L; i++) {
    const row = i * V;
    if (xt[i] !== MASK_ID) {
      probs[row + xt[i]] = 1;
      continue;
    }
    if (consistentPeriods.length === 0) {
      for (let v = 1; v < V; v++) probs[row + v] = 1 / R;
      continue;
    }
    for (let k = 0; k < P; k++) {
      const w = periodPosterior[k];
      if (w === 0) continue;
      const pinned = pins[k][i % periods[k]];
      if (pinned !== MASK_ID) probs[row + pinned] += w;
      else for (let v = 1; v < V; v++) probs[row + v] += w / R;
    }
  }
  return { probs, periods, periodPosterior, consistentPeriods };
}

/** P(x0_i = v | visible tokens) // [L, V] row-major. See `bayesDenoise` for the rest. */
export function bayesPosterior(xt: ArrayLike<number>, data: DataConfig = DEFAULT_DATA): Float64Array {
  return bayesDenoise(xt, data).probs;
}

export interface BestPossibleAccuracy {
  /** Mean over masked tokens of max_v P(x0_i = v | visible): the Bayes argmax's expected accuracy. */
  readonly expected: number;
  /** Fraction of masked tokens where the argmax (ties: lowest token id) equals x0. */
  readonly realized: number;
  readonly maskedTokens: number;
}

/**
 * The Bayes-optimal denoiser's accuracy on a batch, over all masked positions.
 * `expected` is the low-variance estimate; `realized` is what the notebook's
 * accuracy metric would report for the optimal model. NaN when nothing is masked.
 */
export function bestPossibleAccuracy(
  x0: Int32Array, // [B*L]
  xt: Int32Array, // [B*L]
  batch: number,
  data: DataConfig = DEFAULT_DATA,
): BestPossibleAccuracy {
  const L = data.seqLen;
  const V = data.vocabSize;
  if (x0.length !== batch * L || xt.length !== batch * L) {
    throw new RangeError(`x0 and xt must have batch * seqLen = ${batch * L} tokens, got ${x0.length} and ${xt.length}`);
  }
  let sumMax = 0;
  let correct = 0;
  let masked = 0;
  for (let b = 0; b < batch; b++) {
    const probs = bayesPosterior(xt.subarray(b * L, (b + 1) * L), data); // [L, V]
    for (let i = 0; i < L; i++) {
      if (xt[b * L + i] !== MASK_ID) continue;
      let best = 1;
      for (let v = 2; v < V; v++) if (probs[i * V + v] > probs[i * V + best]) best = v;
      sumMax += probs[i * V + best];
      if (best === x0[b * L + i]) correct++;
      masked++;
    }
  }
  if (masked === 0) return { expected: NaN, realized: NaN, maskedTokens: 0 };
  return { expected: sumMax / masked, realized: correct / masked, maskedTokens: masked };
}

/**
 * The best-possible accuracy at mask ratio t with no sampling noise: the limit of
 * `bestPossibleAccuracy(...).expected` over infinitely many sequences, i.e.
 * E[Σ_masked max posterior] / E[#masked] with E[#masked] = L·t.
 *
 * Every candidate period divides M = lcm(periods), so the posterior depends on the
 * mask only through S, the set of residues mod M that hold a visible token, and on
 * the pattern only through which of its tokens are equal. A masked position whose
 * class is in S is certain (every consistent period pins it to that visible token).
 * For the rest, `uncoveredScore(S)` enumerates the pattern's equality structures (set
 * partitions) and runs `bayesDenoise` on one representative of length M; it does not
 * depend on t, so it is computed once per data config (default: M = 12, 4096 sets x 22
 * structures, a few hundred ms) and every t after that is a cheap sum over S.
 */
export function exactBestPossibleAccuracy(t: number, data: DataConfig = DEFAULT_DATA): number {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`t must be in [0, 1], got ${t}`);
  const { M, n, score } = uncoveredScores(data);
  // Masked-and-covered positions are certain: E[#masked in r] - E[#masked in r, r uncovered].
  let expectedCorrect = n.reduce((s, nr) => s + nr * (t - t ** nr), 0);
  for (let S = 0; S < score.length; S++) {
    let pS = 1; // P(exactly the classes in S hold a visible token)
    for (let r = 0; r < M; r++) pS *= (S >> r) & 1 ? 1 - t ** n[r] : t ** n[r];
    expectedCorrect += pS * score[S];
  }
  return expectedCorrect / (data.seqLen * t); // NaN at t = 0: nothing is masked
}

interface UncoveredScores {
  readonly M: number;
  /** n[r]: how many of the L positions fall in residue class r mod M. */
  readonly n: readonly number[];
  /** score[S] = E_x0[Σ over uncovered classes r of n[r] · max_v P(x0_r = v | visible)] // [2^M] */
  readonly score: Float64Array;
}

const scoreCache = new Map<string, UncoveredScores>();

function uncoveredScores(data: DataConfig): UncoveredScores {
  const key = `${data.vocabSize},${data.seqLen},${data.minPeriod},${data.maxPeriod}`;
  const cached = scoreCache.get(key);
  if (cached) return cached;
  const L = data.seqLen;
  const V = data.vocabSize;
  const R = V - 1;
  const periods: number[] = [];
  for (let p = data.minPeriod; p <= data.maxPeriod; p++) periods.push(p);
  const M = periods.reduce((m, p) => (m * p) / gcd(m, p), 1);
  if (2 ** M * periods.reduce((s, p) => s + bell(p), 0) > 4e6) {
    throw new RangeError(`exact accuracy would enumerate 2^${M} mask classes x pattern structures: too many; sample instead`);
  }

  // Patterns up to relabelling: restricted growth strings, token = block + 1, with
  // P(p and that equality structure) = prior(p) · R(R-1)...(R-k+1) / R^p for k blocks.
  const structures: { pattern: Int32Array; prob: number }[] = [];
  const grow = (p: number, prefix: number[], blocks: number): void => {
    if (prefix.length === p) {
      let prob = 1 / periods.length;
      for (let j = 0; j < blocks; j++) prob *= (R - j) / R;
      for (let j = blocks; j < p; j++) prob /= R;
      if (prob > 0) structures.push({ pattern: Int32Array.from(prefix, (b) => b + 1), prob });
      return;
    }
    for (let b = 0; b <= blocks; b++) grow(p, [...prefix, b], Math.max(blocks, b + 1));
  };
  for (const p of periods) grow(p, [], 0);

  const n = Array.from({ length: M }, (_, r) => (r < L ? Math.floor((L - 1 - r) / M) + 1 : 0));
  const score = new Float64Array(2 ** M); // [2^M]
  const xt = new Int32Array(M); // [M], one representative of the whole sequence
  for (let S = 0; S < 2 ** M; S++) {
    for (const { pattern, prob } of structures) {
      for (let r = 0; r < M; r++) xt[r] = (S >> r) & 1 ? pattern[r % pattern.length] : MASK_ID;
      const probs = bayesPosterior(xt, data); // [M, V]
      for (let r = 0; r < M; r++) {
        if ((S >> r) & 1 || n[r] === 0) continue;
        let max = 0;
        for (let v = 1; v < V; v++) max = Math.max(max, probs[r * V + v]);
        score[S] += prob * n[r] * max; // all n[r] positions of an uncovered class are masked
      }
    }
  }
  const result = { M, n, score };
  scoreCache.set(key, result);
  return result;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Bell number: how many set partitions (equality structures) a pattern of length p has. */
function bell(p: number): number {
  let row = [1];
  for (let i = 0; i < p; i++) {
    const next = [row[row.length - 1]];
    for (const x of row) next.push(next[next.length - 1] + x);
    row = next;
  }
  return row[0];
}

/**
 * What it costs to reveal two masked positions i and j in the same reverse step,
 * each drawn from its own exact marginal without seeing the other (as a parallel
 * sampler does): P(afterwards no period explains the sequence). `sequential` is the
 * same when j is drawn from the posterior given i's draw; it is 0 whenever xt itself
 * is explainable, since exact conditionals never contradict each other (computed,
 * not assumed, so a test can check it). Sums over every pair of real tokens.
 */
export function pairRevealConflict(
  xt: ArrayLike<number>,
  i: number,
  j: number,
  data: DataConfig = DEFAULT_DATA,
): { together: number; sequential: number } {
  const V = data.vocabSize;
  if (xt[i] !== MASK_ID || xt[j] !== MASK_ID || i === j) throw new RangeError(`positions ${i} and ${j} must be two different masked positions`);
  const x = Int32Array.from(xt);
  const row = (probs: Float64Array, k: number) => probs.subarray(k * V, (k + 1) * V);
  const base = bayesDenoise(x, data).probs;
  const pi = row(base, i);
  const pj = row(base, j);
  let together = 0;
  let sequential = 0;
  for (let a = 1; a < V; a++) {
    if (pi[a] === 0) continue;
    x[i] = a;
    const pjGivenA = row(bayesDenoise(x, data).probs, j);
    for (let b = 1; b < V; b++) {
      x[j] = b;
      if (bayesDenoise(x, data).consistentPeriods.length === 0) {
        together += pi[a] * pj[b];
        sequential += pi[a] * pjGivenA[b];
      }
    }
    x[j] = MASK_ID;
  }
  return { together, sequential };
}
