/** Section 7: the bidirectional Transformer, its positions, its size, and what its attention looks at. */
import { useState } from 'react';
import { DEFAULT_DATA, DEFAULT_MODEL } from '../../core/config.ts';
import { generatePatterns } from '../../core/data.ts';
import { maskArrays } from '../../core/masking.ts';
import { countParams, sinusoidalTable } from '../../core/params.ts';
import type { ParamCount } from '../../compute/model-readouts.ts';
import { formatNumber } from '../../lesson/number-format.ts';
import { asRows, NumberSelect } from '../figures/attention.tsx';
import { compute, models } from '../models/index.ts';
import { TokenRow } from '../figures/Tokens.tsx';
import { Plot } from '../plot/index.ts';
import { cell, rngFor } from './types.ts';

const { vocabSize: V, dModel: D, nHeads: H, nLayers, dFF } = DEFAULT_MODEL;
const L = DEFAULT_DATA.seqLen;

function Architecture() {
  const boxes: [string, string?][] = [
    ['x_t: 32 token ids, some of them [MASK]'],
    [`token embedding ${V}×${D}  +  sinusoidal positions  +  time MLP: Linear(1,${D}) → SiLU → Linear(${D},${D}) of t`],
    [
      `encoder layer × ${nLayers}: LayerNorm → ${H}-head self-attention (no causal mask) → add;  LayerNorm → Linear(${D},${dFF}) → ReLU → Linear(${dFF},${D}) → add`,
      'block',
    ],
    [`output head Linear(${D},${V}): logits [B, ${L}, ${V}]`],
    ['softmax at each masked position: p(x0 | x_t)'],
  ];
  return (
    <figure className="arch" aria-label="Architecture of the model, from input to output">
      {boxes.map(([text, kind], i) => (
        <div key={i} style={{ display: 'contents' }}>
          {i > 0 && (
            <div className="arch-arrow" aria-hidden="true">
              ↓
            </div>
          )}
          <div className={`arch-box${kind ? ` ${kind}` : ''}`}>{text}</div>
        </div>
      ))}
    </figure>
  );
}

interface Attention {
  readonly xt: Int32Array;
  /** [causal ? 1 : 0][layer][head] -> L×L row-major weights. */
  readonly maps: Float32Array[][][];
  readonly label: string;
}

function AttentionView({ out }: { out: Attention }) {
  const [layer, setLayer] = useState(0);
  const [head, setHead] = useState(0);
  const [causal, setCausal] = useState(false);
  const w = out.maps[causal ? 1 : 0][layer][head];
  const z = asRows(w, L);
  let future = 0;
  for (let q = 0; q < L; q++) for (let k = q + 1; k < L; k++) future += w[q * L + k];
  return (
    <div>
      <TokenRow tokens={out.xt} label="The masked input the attention is computed for" />
      <div className="button-row">
        <NumberSelect label="Layer" count={out.maps[0].length} value={layer} onChange={setLayer} />
        <NumberSelect label="Head" count={H} value={head} onChange={setHead} />
        <label className="inline">
          <input type="checkbox" checked={causal} onChange={(e) => setCausal(e.target.checked)} /> Add a causal mask (GPT-style), for contrast
        </label>
      </div>
      <Plot
        traces={[{ type: 'heatmap', z, x: z.map((_, i) => i + 1), y: z.map((_, i) => i + 1), colorscale: 'Viridis', name: 'attention weight' }]}
        layout={{ xTitle: 'key position (attended to)', yTitle: 'query position', yReversed: true }}
        label={`Attention weights of layer ${layer + 1}, head ${head + 1}${causal ? ' with a causal mask' : ''}`}
        filename={`attention-layer${layer + 1}-head${head + 1}${causal ? '-causal' : ''}`}
        height={420}
      />
      <p data-testid="attention-future">
        Share of attention on positions to the right: {((100 * future) / L).toFixed(1)}%
        {causal ? ' (zero: the causal mask forbids looking ahead)' : ''}. Model: {out.label}.
      </p>
    </div>
  );
}

export const cells = {
  architecture: cell<null>({
    title: 'The architecture',
    auto: true,
    source: () => import('../../core/model.ts?raw'),
    run: () => null,
    View: Architecture,
  }),

  'positional-heatmap': cell<{ z: number[][] }>({
    title: 'Sinusoidal positions',
    auto: true,
    source: () => import('../../core/params.ts?raw'),
    run: () => {
      const pe = sinusoidalTable(L, D);
      return { z: Array.from({ length: L }, (_, p) => Array.from(pe.subarray(p * D, (p + 1) * D))) };
    },
    View: ({ out }) => (
      <Plot
        traces={[{ type: 'heatmap', z: out.z, x: out.z[0].map((_, i) => i), y: out.z.map((_, i) => i), colorscale: 'RdBu', name: 'encoding' }]}
        layout={{ xTitle: 'dimension (even: sin, odd: cos)', yTitle: 'position', yReversed: true }}
        label="Sinusoidal positional encoding: 32 positions by 64 dimensions; low dimensions oscillate fast, high ones slowly"
        filename="positional-encoding"
        height={380}
      />
    ),
  }),

  'param-count': cell<ParamCount>({
    title: 'Counting the parameters',
    auto: true,
    // Counted from a live model's variables, built in the compute worker.
    run: ({ signal }) => compute.run('paramCounts', {}, { signal, model: null }),
    View: ({ out }) => (
      <div>
        <p>
          DiffusionLM has <strong data-testid="param-count">{formatNumber(out.total, 'num0')}</strong> trainable parameters (the positional table is
          fixed, so it does not count; a spec check gives {formatNumber(countParams(DEFAULT_MODEL), 'num0')}).
        </p>
        <table className="data-table">
          <thead>
            <tr>
              <th scope="col">part</th>
              <th scope="col">parameters</th>
            </tr>
          </thead>
          <tbody>
            {out.groups.map((g) => (
              <tr key={g.name}>
                <td style={{ textAlign: 'left' }}>{g.name}</td>
                <td className="num">{formatNumber(g.count, 'num0')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    ),
  }),

  'attention-map': cell<Attention>({
    title: 'What the attention looks at',
    needsModel: true,
    run: async ({ seed, signal }) => {
      const rng = rngFor(seed, 'attention-map');
      const { x0 } = generatePatterns(rng, 1);
      const { xt } = maskArrays(x0, [0.5], rng);
      const { result: maps, label } = await models.run('attention', { xt, t: 0.5 }, { signal });
      return { xt, maps, label };
    },
    View: AttentionView,
  }),
};
