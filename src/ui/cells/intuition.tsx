/** Section 2: the masking table and a slider that re-masks the sentence as t moves. */
import { useMemo, useState } from 'react';
import { MASK_ID } from '../../core/config.ts';
import { maskArrays } from '../../core/masking.ts';
import { TokenRow } from '../figures/Tokens.tsx';
import { SENTENCE, WORDS } from './sentence.ts';
import { cell, rngFor } from './types.ts';

const TABLE_T = [0, 0.2, 0.5, 0.8, 1];

interface TableOut {
  readonly rows: { t: number; xt: Int32Array; masked: number }[];
}

/**
 * The slider keeps one uniform draw per word and masks where u < t: the forward
 * process exactly, and moving t up only ever adds masks, so the sentence erodes
 * smoothly instead of flickering. Resample draws new u's.
 */
function SliderView({ out }: { out: { seed: number } }) {
  const [t, setT] = useState(0.5);
  const [draw, setDraw] = useState(0);
  const u = useMemo(() => {
    const rng = rngFor(out.seed + draw, 'remask-slider');
    return SENTENCE.map(() => rng.next());
  }, [out.seed, draw]);
  const xt = SENTENCE.map((id, i) => (u[i] < t ? MASK_ID : id));
  const masked = xt.filter((id) => id === MASK_ID).length;
  return (
    <div>
      <div className="button-row">
        <label className="inline" htmlFor="remask-t">
          t
        </label>
        <input id="remask-t" type="range" min={0} max={1} step={0.01} value={t} onChange={(e) => setT(Number(e.target.value))} />
        <span className="num" data-testid="remask-t">
          {t.toFixed(2)}
        </span>
        <button type="button" onClick={() => setDraw((d) => d + 1)}>
          Resample
        </button>
      </div>
      <TokenRow tokens={xt} words={WORDS} label={`The sentence at t = ${t.toFixed(2)}`} />
      <p className="hint" aria-live="polite">
        {masked} of {SENTENCE.length} words masked; on average t × 6 = {(t * SENTENCE.length).toFixed(1)}.
      </p>
    </div>
  );
}

export const cells = {
  'masking-table': cell<TableOut>({
    title: 'The masking table',
    auto: true,
    run: ({ seed }) => {
      const rng = rngFor(seed, 'masking-table');
      return {
        rows: TABLE_T.map((t) => {
          const { xt, maskedCount } = maskArrays(SENTENCE, [t], rng);
          return { t, xt, masked: maskedCount };
        }),
      };
    },
    View: ({ out }) => (
      <table className="data-table">
        <caption className="visually-hidden">"The cat sat on the mat" masked at five ratios</caption>
        <thead>
          <tr>
            <th scope="col">t</th>
            <th scope="col">mask probability</th>
            <th scope="col">masked this draw</th>
            <th scope="col">what the model sees</th>
          </tr>
        </thead>
        <tbody>
          {out.rows.map((r) => (
            <tr key={r.t}>
              <td className="num">{r.t.toFixed(1)}</td>
              <td className="num">{Math.round(r.t * 100)}%</td>
              <td className="num">
                {r.masked} of {SENTENCE.length}
              </td>
              <td style={{ textAlign: 'left' }}>
                <TokenRow tokens={r.xt} words={WORDS} label={`t = ${r.t}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    ),
  }),

  'remask-slider': cell<{ seed: number }>({
    title: 'Move t and watch the sentence erode',
    auto: true,
    run: ({ seed }) => ({ seed }),
    View: SliderView,
  }),
};
