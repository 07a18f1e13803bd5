/**
 * One reverse step, taken apart. No model: the first half is the forward
 * process's own coins (one u per word, as in section 2's slider), the second
 * the exact posterior (bayes.ts).
 *
 * - Why (t - s)/t: a word is masked at t when u < t, and still masked at s
 *   when u < s. Given u < t, u is uniform on [0, t), so it lands in [s, t),
 *   "revealed by this step", with probability (t - s)/t.
 * - Why many reveals in one step can break a sample: the sampler draws every
 *   token it reveals from its own marginal, none seeing the others. Two such
 *   draws can each fit a different period, and then no period fits both.
 */
import { useMemo, useState } from 'react';
import { bayesDenoise } from '../../../core/bayes.ts';
import type { RevealConflict } from '../../../compute/reveal-conflict.ts';
import { DEFAULT_DATA, MASK_ID } from '../../../core/config.ts';
import type { Rng } from '../../../core/rng.ts';
import { conflictInput, CONFLICT_EXAMPLE } from '../../../lesson/examples.ts';
import { compute } from '../../models/index.ts';
import { pct, TokenRow } from '../../figures/Tokens.tsx';
import { SENTENCE, WORDS } from '../sentence.ts';
import { cell, rngFor } from '../types.ts';

const V = DEFAULT_DATA.vocabSize;

/** Periods that still explain x (empty: no pattern of the data fits it). */
function periodsThatFit(x: Int32Array): readonly number[] {
  return bayesDenoise(x).consistentPeriods;
}

function draw(p: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let v = 1; v < V; v++) {
    u -= p[v];
    if (u < 0) return v;
  }
  return V - 1;
}

function topTokens(p: readonly number[], n = 3): string {
  return Array.from(p, (prob, token) => ({ token, prob }))
    .filter((g) => g.token !== MASK_ID && g.prob > 1e-12)
    .sort((a, b) => b.prob - a.prob || a.token - b.token)
    .slice(0, n)
    .map((g) => `${g.token} (${g.prob.toFixed(2)})`)
    .join(', ');
}

/** The number line: each word at its u, with t and s marked. */
function Coins({ u, t, s }: { u: readonly number[]; t: number; s: number }) {
  const state = (x: number) => (x >= t ? 'visible at t already' : x >= s ? 'revealed by this step' : 'still masked at s');
  return (
    <div className="coin-line">
      <div
        className="coin-axis"
        role="img"
        aria-label={`Each word's random number u on a line from 0 to 1, with t = ${t.toFixed(2)} and s = ${s.toFixed(2)} marked`}
      >
        <span className="coin-band masked-band" style={{ left: 0, width: `${100 * s}%` }} title="u < s: still masked at s" />
        <span
          className="coin-band reveal-band"
          style={{ left: `${100 * s}%`, width: `${100 * (t - s)}%` }}
          title="s ≤ u < t: revealed by this step"
        />
        <span className="coin-mark" style={{ left: `${100 * s}%` }}>
          s
        </span>
        <span className="coin-mark" style={{ left: `${100 * t}%` }}>
          t
        </span>
        {u.map((x, i) => (
          <span key={i} className="coin-word" style={{ left: `${100 * x}%`, top: `${1.4 + 1.3 * (i % 3)}rem` }}>
            {WORDS[SENTENCE[i]]}
          </span>
        ))}
      </div>
      <ul className="visually-hidden">
        {u.map((x, i) => (
          <li key={i}>
            {WORDS[SENTENCE[i]]}: u = {x.toFixed(2)}, {state(x)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function ReverseStepView({ out }: { out: ReverseStepOut }) {
  const [t, setT] = useState(0.7);
  const [s, setS] = useState(0.4);
  const lo = Math.min(s, t);
  const atT = SENTENCE.map((id, i) => (out.u[i] < t ? MASK_ID : id));
  const atS = SENTENCE.map((id, i) => (out.u[i] < lo ? MASK_ID : id));
  const maskedAtT = out.u.filter((x) => x < t).length;
  const revealed = out.u.filter((x) => x < t && x >= lo).length;

  const odds = out.odds;
  const [draws, setDraws] = useState<{ a: number; b: number; fits: readonly number[] }[]>([]);
  const rng = useMemo(() => rngFor(out.seed, 'reverse-step-conflict'), [out.seed]);
  const revealBoth = () => {
    const x = conflictInput();
    const a = draw(odds.marginals[0], rng);
    const b = draw(odds.marginals[1], rng);
    x[CONFLICT_EXAMPLE.positions[0]] = a;
    x[CONFLICT_EXAMPLE.positions[1]] = b;
    setDraws((d) => [...d, { a, b, fits: periodsThatFit(x) }]);
  };
  const last = draws.at(-1);
  const conflicts = draws.filter((d) => d.fits.length === 0).length;
  const shown = conflictInput();
  if (last) {
    shown[CONFLICT_EXAMPLE.positions[0]] = last.a;
    shown[CONFLICT_EXAMPLE.positions[1]] = last.b;
  }
  return (
    <div>
      <h4>Why a blank opens with probability (t − s)/t</h4>
      <div className="button-row">
        <label className="inline" htmlFor="rs-t">
          t <input id="rs-t" type="range" min={0.05} max={1} step={0.01} value={t} onChange={(e) => setT(Number(e.target.value))} />
          <span className="num">{t.toFixed(2)}</span>
        </label>
        <label className="inline" htmlFor="rs-s">
          s <input id="rs-s" type="range" min={0} max={1} step={0.01} value={s} onChange={(e) => setS(Number(e.target.value))} />
          <span className="num">{lo.toFixed(2)}</span>
        </label>
      </div>
      {s > t && <p className="hint">s is an earlier time than t, so it is held at t.</p>}
      <Coins u={out.u} t={t} s={lo} />
      <p className="hint">
        Each word sits at its own u. Dark bar: u below s, still masked after the step. Hatched: u between s and t, masked at t and revealed by this
        step. Beyond t: already visible at t.
      </p>
      <p className="token-row-label">At t = {t.toFixed(2)}</p>
      <TokenRow tokens={atT} words={WORDS} label={`The sentence at t = ${t.toFixed(2)}`} />
      <p className="token-row-label">At s = {lo.toFixed(2)}, one reverse step later</p>
      <TokenRow tokens={atS} words={WORDS} label={`The sentence at s = ${lo.toFixed(2)}`} />
      <p data-testid="reverse-step-summary">
        At t = {t.toFixed(2)}, {maskedAtT} of {SENTENCE.length} words are masked: their u is below t. Going back to s = {lo.toFixed(2)}, a masked word
        opens if its u is at least s: {revealed} of {maskedAtT} here. A masked word's u is equally likely anywhere in [0, t), so it opens with
        probability (t − s)/t = {t > 0 ? ((t - lo) / t).toFixed(2) : 'n/a'}: the shaded stretch [s, t) as a share of [0, t).
      </p>

      <h4>Two tokens in one step</h4>
      <p>
        The exact posterior for this input, with positions 1 to 3 visible and the rest masked. Positions 4 and 5 are revealed in the same step, each
        drawn from its own row below, neither seeing the other.
      </p>
      <TokenRow tokens={shown} label={last ? 'The input with positions 4 and 5 just revealed' : 'The input: 7 2 9, then every position masked'} />
      <ul>
        <li>
          position 4: {topTokens(odds.marginals[0], 1)}, and each of the other 14 tokens {(odds.marginals[0][1] ?? 0).toFixed(2)}
        </li>
        <li>position 5: {topTokens(odds.marginals[1])}, nothing else</li>
      </ul>
      <div className="button-row">
        <button type="button" onClick={revealBoth}>
          Reveal both at once
        </button>
        {draws.length > 0 && (
          <button type="button" onClick={() => setDraws([])}>
            Start over
          </button>
        )}
      </div>
      <p aria-live="polite" data-testid="reverse-step-conflict">
        {last
          ? last.fits.length > 0
            ? `Drew ${last.a} and ${last.b}: still a pattern of the data, period ${last.fits.join(' or ')}.`
            : `Drew ${last.a} and ${last.b}: a conflict. Position 4 took its token from the period-4 reading and position 5 from the period-3 reading, and no period fits both.`
          : 'Press the button to draw both.'}
        {draws.length > 0 &&
          ` ${conflicts} ${conflicts === 1 ? 'conflict' : 'conflicts'} in ${draws.length} ${draws.length === 1 ? 'draw' : 'draws'}.`}
      </p>
      <p className="hint">
        Exactly, drawn together: a conflict {pct(odds.together, 0)} of the time. Drawn one after the other, the second from the posterior given the
        first: {pct(odds.oneAfterTheOther, 0)}. The exact denoiser never disagrees with itself; drawing in parallel does.
      </p>
    </div>
  );
}

interface ReverseStepOut {
  readonly seed: number;
  /** One uniform draw per word of the sentence. */
  readonly u: readonly number[];
  /** The exact odds of the conflict example, from the compute worker. */
  readonly odds: RevealConflict;
}

export const reverseStepCells = {
  'reverse-step': cell<ReverseStepOut>({
    title: 'One reverse step, taken apart',
    source: () => import('../../../core/sampling.ts?raw'),
    run: async ({ seed, signal }) => {
      const rng = rngFor(seed, 'reverse-step');
      const u = SENTENCE.map(() => rng.next());
      return { seed, u, odds: await compute.run('revealConflict', {}, { signal, model: null }) };
    },
    View: ReverseStepView,
  }),
};
