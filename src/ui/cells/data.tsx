/** Section 4: the configuration and the pattern generator. */
import { useState } from 'react';
import { DEFAULT_DATA, DEFAULT_MODEL, MASK_ID } from '../../core/config.ts';
import { generatePatterns, rows } from '../../core/data.ts';
import { NOTEBOOK } from '../../core/recipes.ts';
import { TokenRow } from '../figures/Tokens.tsx';
import { ScrollBox } from '../figures/ScrollBox.tsx';
import { cell, rngFor } from './types.ts';

const CONFIG: [string, string][] = [
  ['vocabulary', `${DEFAULT_DATA.vocabSize} ids: ${MASK_ID} is [MASK], 1–${DEFAULT_DATA.vocabSize - 1} are tokens`],
  ['sequence length', String(DEFAULT_DATA.seqLen)],
  [
    'pattern length',
    `uniform on {${Array.from({ length: DEFAULT_DATA.maxPeriod - DEFAULT_DATA.minPeriod + 1 }, (_, i) => DEFAULT_DATA.minPeriod + i).join(', ')}}`,
  ],
  ['batch size', String(NOTEBOOK.batchSize)],
  ['model width', `${DEFAULT_MODEL.dModel}, ${DEFAULT_MODEL.nHeads} heads, ${DEFAULT_MODEL.nLayers} layers, feed-forward ${DEFAULT_MODEL.dFF}`],
];

function Examples({ out }: { out: { seed: number } }) {
  const [draw, setDraw] = useState(0);
  // The patterns stay hidden until asked for: the point is to find each period by eye first.
  const [reveal, setReveal] = useState(false);
  const { x0, periods } = generatePatterns(rngFor(out.seed + draw, 'examples'), 5);
  return (
    <div>
      <div className="button-row">
        <button
          type="button"
          onClick={() => {
            setDraw((d) => d + 1);
            setReveal(false);
          }}
        >
          Regenerate
        </button>
        <label className="inline">
          <input type="checkbox" checked={reveal} onChange={(e) => setReveal(e.target.checked)} /> Show each pattern
        </label>
      </div>
      <ScrollBox what="Example sequences">
        {rows(x0, DEFAULT_DATA.seqLen).map((row, i) => (
          <div key={i}>
            <p className="token-row-label">
              Sequence {i + 1}
              {reveal && `: pattern of length ${periods[i]}, [${row.slice(0, periods[i]).join(', ')}], repeated`}
            </p>
            <TokenRow tokens={row} label={`Example sequence ${i + 1}`} />
          </div>
        ))}
      </ScrollBox>
    </div>
  );
}

export const cells = {
  config: cell<null>({
    title: 'Configuration',
    auto: true,
    source: () => import('../../core/config.ts?raw'),
    run: () => null,
    View: () => (
      <dl className="kv" data-testid="config">
        {CONFIG.map(([k, v]) => (
          <div key={k} style={{ display: 'contents' }}>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    ),
  }),
  examples: cell<{ seed: number }>({
    title: 'Five example sequences',
    auto: true,
    source: () => import('../../core/data.ts?raw'),
    run: ({ seed }) => ({ seed }),
    View: Examples,
  }),
};
