/**
 * Generation by unmasking: start from all-[MASK] and reveal tokens until none is left.
 *
 * Both samplers walk a time grid 1 = t_0 > t_1 > ... > t_K = 0 (K = steps), and
 * neither ever re-masks a revealed token (MDLM's carry-over unmasking).
 *
 * - ancestral: the reverse of the forward process. From t to s, each token still
 *   masked is revealed with probability (t - s)/t, independently, and its value is
 *   drawn from the model's p(x0_i | x_t) at temperature T. At s = 0 everything
 *   left is revealed. Which positions open is random; what they become is the model's.
 *
 * - confidence: MaskGIT / LLaDA "low-confidence remasking". Every masked position
 *   gets a candidate by Gumbel-max at temperature T; the m_k - m_{k+1} most
 *   confident candidates are kept and the rest are masked again, where
 *   m_k = floor(L t_k) is how many tokens stay masked after step k (the uniform
 *   grid reveals a linear number of tokens per step, LLaDA's schedule; cosine is
 *   MaskGIT's). Confidence is the model's own probability (T = 1) of the
 *   candidate, as LLaDA ranks: ranking by the Gumbel-perturbed score instead
 *   would let the noise pick the order and drift back towards random-order
 *   (ancestral) decoding. Surest-first is what makes it valid yet
 *   low-diversity, the trade-off the lesson shows.
 *
 * Tokens are flat row-major [B*L] Int32Arrays, as in data.ts. Per step the
 * model runs once (skipped when the step reveals nothing) and its logits are
 * read back once, asynchronously; every draw then happens in float64 JS from
 * the seeded Rng (categorical.ts), so a seed gives the same samples on every backend.
 */
import { drawCategorical, gumbelMax, realTokenProb, realTokenProbs } from './categorical.ts';
import { ConfigError, DEFAULT_DATA, MASK_ID } from './config.ts';
import { modelDenoiser, type Denoiser } from './denoiser.ts';
import { DiffusionLM } from './model.ts';
import { Rng } from './rng.ts';

export type Sampler = 'ancestral' | 'confidence';
export type TimeGrid = 'uniform' | 'cosine';

export const SAMPLERS: readonly Sampler[] = Object.freeze(['ancestral', 'confidence']);
export const TIME_GRIDS: readonly TimeGrid[] = Object.freeze(['uniform', 'cosine']);

export interface SampleOptions {
  readonly sampler?: Sampler; //       default 'ancestral'
  readonly batch?: number; //          sequences generated together, default 32
  readonly seqLen?: number; //         default the data's 32
  readonly steps?: number; //          K, default seqLen
  readonly temperature?: number; //    T >= 0, default 1; 0 = greedy argmax
  readonly grid?: TimeGrid; //         default 'uniform'
  /** Feed t = 0 to the time MLP, for checkpoints trained without the time input (DiffusionLM only). */
  readonly ignoreTime?: boolean;
  /** Keep every step's tokens in the result (default true); off for long quality runs. */
  readonly keepTrajectory?: boolean;
  /** Called after every step, awaited: a page can draw a frame here. */
  readonly onStep?: (step: SampleStep) => void | Promise<void>;
  /** Checked before each step; an aborted run returns what it has, with `aborted: true`. */
  readonly signal?: AbortSignal;
}

export interface SampleStep {
  /** 1-based step; the state before step 1 is all [MASK]. */
  readonly step: number;
  readonly steps: number;
  /** The step went from time t to time s < t. */
  readonly t: number;
  readonly s: number;
  /** x_s after this step // [B*L], a copy the receiver may keep. */
  readonly tokens: Int32Array;
  /** Tokens revealed at this step, over the whole batch. */
  readonly revealed: number;
  /** Tokens still masked after this step, over the whole batch. */
  readonly masked: number;
}

export interface SampleResult {
  /** Final tokens // [B*L]; no [MASK] unless the run was aborted. */
  readonly tokens: Int32Array;
  readonly batch: number;
  readonly seqLen: number;
  /** One entry per step done (empty with keepTrajectory: false). */
  readonly trajectory: readonly SampleStep[];
  readonly stepsDone: number;
  /** Model evaluations: steps that revealed nothing skip the forward pass. */
  readonly forwardPasses: number;
  readonly aborted: boolean;
}

type Resolved = Required<Omit<SampleOptions, 'onStep' | 'signal'>> & Pick<SampleOptions, 'onStep' | 'signal'>;

/** Fill in defaults and check every option; throws ConfigError naming the bad one. */
export function resolveSampleOptions(options: SampleOptions, maxLen = Number.MAX_SAFE_INTEGER): Resolved {
  const seqLen = options.seqLen ?? DEFAULT_DATA.seqLen;
  const o: Resolved = {
    sampler: options.sampler ?? 'ancestral',
    batch: options.batch ?? 32,
    seqLen,
    steps: options.steps ?? seqLen,
    temperature: options.temperature ?? 1,
    grid: options.grid ?? 'uniform',
    ignoreTime: options.ignoreTime ?? false,
    keepTrajectory: options.keepTrajectory ?? true,
    onStep: options.onStep,
    signal: options.signal,
  };
  const int = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 1 || v > max) throw new ConfigError(`${name} must be an integer in [1, ${max}], got ${v}`);
  };
  if (!SAMPLERS.includes(o.sampler)) throw new ConfigError(`sampler must be one of ${SAMPLERS.join(', ')}, got "${o.sampler}"`);
  if (!TIME_GRIDS.includes(o.grid)) throw new ConfigError(`grid must be one of ${TIME_GRIDS.join(', ')}, got "${o.grid}"`);
  int('batch', o.batch, 1 << 16);
  int('seqLen', o.seqLen, maxLen);
  int('steps', o.steps, 1 << 20);
  if (typeof o.temperature !== 'number' || !Number.isFinite(o.temperature) || o.temperature < 0) {
    throw new ConfigError(`temperature must be a finite number >= 0 (0 = greedy), got ${o.temperature}`);
  }
  return o;
}

/** t_k for k = 0..K // [K+1], from t_0 = 1 down to t_K = 0. Cosine: t_k = cos(π/2 · k/K). */
export function timeGrid(steps: number, grid: TimeGrid = 'uniform'): Float64Array {
  resolveSampleOptions({ steps, grid });
  const t = new Float64Array(steps + 1);
  for (let k = 0; k <= steps; k++) t[k] = grid === 'uniform' ? (steps - k) / steps : Math.cos((Math.PI / 2) * (k / steps));
  t[steps] = 0; // cos(π/2) is 6e-17, not 0
  return t;
}

/**
 * The confidence sampler's schedule: m_k = floor(L t_k) tokens still masked after
 * k steps // [K+1], from m_0 = L to m_K = 0, never increasing. Step k reveals m_{k-1} - m_k.
 */
export function maskSchedule(seqLen: number, steps: number, grid: TimeGrid = 'uniform'): Int32Array {
  resolveSampleOptions({ seqLen, steps, grid });
  const t = timeGrid(steps, grid);
  // Integer arithmetic for the uniform grid, so L(K-k)/K that is whole floors to itself.
  return Int32Array.from(t, (tk, k) => (grid === 'uniform' ? Math.floor((seqLen * (steps - k)) / steps) : Math.floor(seqLen * tk + 1e-9)));
}

/**
 * Generate `batch` sequences by unmasking from all-[MASK], with the model in eval
 * mode, or with any Denoiser (e.g. bayesDenoiser: the best possible one).
 */
export async function sample(model: DiffusionLM | Denoiser, rng: Rng, options: SampleOptions = {}): Promise<SampleResult> {
  if (!(rng instanceof Rng)) throw new ConfigError('sample needs a seeded Rng (randomness is never global)');
  const o = resolveSampleOptions(options, model instanceof DiffusionLM ? model.config.maxLen : undefined);
  const denoiser = model instanceof DiffusionLM ? modelDenoiser(model, { ignoreTime: o.ignoreTime }) : model;
  const { batch: B, seqLen: L, steps: K } = o;
  const t = timeGrid(K, o.grid); //                                         [K+1]
  const m = o.sampler === 'confidence' ? maskSchedule(L, K, o.grid) : null; // [K+1]
  const x = new Int32Array(B * L).fill(MASK_ID); //                         x_t, [B*L]
  const trajectory: SampleStep[] = [];
  let masked = B * L;
  let forwardPasses = 0;
  let k = 0;
  for (; k < K; k++) {
    if (o.signal?.aborted) break;
    const ctx: StepContext = { denoiser, rng, x, B, L, T: o.temperature };
    const { revealed, forwarded } = m ? await confidenceStep(ctx, m[k], m[k + 1]) : await ancestralStep(ctx, t[k], t[k + 1]);
    masked -= revealed;
    forwardPasses += forwarded ? 1 : 0;
    const step: SampleStep = { step: k + 1, steps: K, t: t[k], s: t[k + 1], tokens: x.slice(), revealed, masked };
    if (o.keepTrajectory) trajectory.push(step);
    await o.onStep?.(step);
  }
  return { tokens: x, batch: B, seqLen: L, trajectory, stepsDone: k, forwardPasses, aborted: k < K };
}

interface StepContext {
  readonly denoiser: Denoiser;
  readonly rng: Rng;
  readonly x: Int32Array; // [B*L], updated in place
  readonly B: number;
  readonly L: number;
  readonly T: number;
}

interface StepOutcome {
  readonly revealed: number;
  readonly forwarded: boolean;
}

/** One reverse step from t to s: reveal each mask with probability (t - s)/t, value ~ p_θ at T. */
async function ancestralStep(c: StepContext, t: number, s: number): Promise<StepOutcome> {
  const { x, rng, T } = c;
  const V = c.denoiser.vocabSize;
  // Which positions open does not depend on the model: draw it first and skip the
  // forward pass when nothing opens (frequent once steps > seqLen).
  const pReveal = (t - s) / t;
  const open: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] === MASK_ID && (s === 0 || rng.next() < pReveal)) open.push(i);
  if (open.length === 0) return { revealed: 0, forwarded: false };
  const logits = await c.denoiser.logits(x, c.B, t); // [B*L*V]
  const probs = new Float64Array(V); //        [V], reused per position
  for (const i of open) x[i] = drawCategorical(realTokenProbs(logits, i * V, V, T, probs), rng);
  return { revealed: open.length, forwarded: true };
}

/** One low-confidence-remasking step: keep the (mBefore - mAfter) surest candidates of each sequence. */
async function confidenceStep(c: StepContext, mBefore: number, mAfter: number): Promise<StepOutcome> {
  const { x, rng, T, B, L } = c;
  const V = c.denoiser.vocabSize;
  const n = mBefore - mAfter; // per sequence; every row has exactly mBefore masks
  if (n === 0) return { revealed: 0, forwarded: false };
  // The model sees exactly mBefore/L of each sequence masked: that is its t.
  const logits = await c.denoiser.logits(x, B, mBefore / L); // [B*L*V]
  let revealed = 0;
  for (let b = 0; b < B; b++) {
    const candidates: { i: number; token: number; confidence: number }[] = [];
    for (let i = b * L; i < (b + 1) * L; i++) {
      if (x[i] !== MASK_ID) continue;
      const token = gumbelMax(logits, i * V, V, T, rng);
      candidates.push({ i, token, confidence: realTokenProb(logits, i * V, V, token) });
    }
    candidates.sort((a, z) => z.confidence - a.confidence || a.i - z.i); // surest first; ties: leftmost
    for (const { i, token } of candidates.slice(0, n)) x[i] = token;
    revealed += Math.min(n, candidates.length);
  }
  return { revealed, forwarded: true };
}
