/** Section 5: the masking function, and one sequence through the forward process. */
import { DEFAULT_DATA } from '../../core/config.ts';
import { generatePatterns } from '../../core/data.ts';
import { maskArrays } from '../../core/masking.ts';
import { TokenRow, tokensText } from '../figures/Tokens.tsx';
import { ScrollBox } from '../figures/ScrollBox.tsx';
import { cell, rngFor } from './types.ts';

const FIGURE_T = [0, 0.2, 0.4, 0.6, 0.8, 1];

interface Demo {
  readonly x0: Int32Array;
  readonly xt: Int32Array;
  readonly masked: number;
}

interface Figure {
  readonly x0: Int32Array;
  readonly rows: { t: number; xt: Int32Array; masked: number }[];
}

export const cells = {
  'mask-code': cell<Demo>({
    title: 'maskArrays: the forward process',
    auto: true,
    source: () => import('../../core/masking.ts?raw'),
    run: ({ seed }) => {
      const rng = rngFor(seed, 'mask-code');
      const { x0 } = generatePatterns(rng, 1);
      const { xt, maskedCount } = maskArrays(x0, [0.5], rng);
      return { x0, xt, masked: maskedCount };
    },
    View: ({ out }) => (
      <p className="output-text">
        x0 = {tokensText(out.x0)}
        {'\n'}x_t = {tokensText(out.xt)}
        {'\n'}maskArrays(x0, t = 0.5) masked {out.masked} of {DEFAULT_DATA.seqLen} tokens (expected 16).
      </p>
    ),
  }),

  'forward-figure': cell<Figure>({
    title: 'The forward process, t from 0 to 1',
    auto: true,
    run: ({ seed }) => {
      const rng = rngFor(seed, 'forward-figure');
      const { x0 } = generatePatterns(rng, 1);
      return {
        x0,
        rows: FIGURE_T.map((t) => {
          const { xt, maskedCount } = maskArrays(x0, [t], rng);
          return { t, xt, masked: maskedCount };
        }),
      };
    },
    View: ({ out }) => (
      <figure style={{ margin: 0 }}>
        <ScrollBox what="The sequence at six ratios">
          {out.rows.map((r) => (
            <div key={r.t}>
              <p className="token-row-label">
                t = {r.t.toFixed(1)}: {r.masked} of {DEFAULT_DATA.seqLen} masked
              </p>
              <TokenRow tokens={r.xt} label={`The sequence at t = ${r.t}`} />
            </div>
          ))}
        </ScrollBox>
        <figcaption className="hint">
          Dark cells marked M are [MASK]. As t grows, more of the sequence is hidden; at t = 1 nothing is left.
        </figcaption>
      </figure>
    ),
  }),
};
