/**
 * The attention explorer: any sequence you choose, every layer and head, with
 * or without a causal mask, and a summary of what attends to what: how much of
 * a blank's attention lands on positions in the same place of the pattern
 * (same position mod the period), against what attention spread evenly would give.
 */
import { useEffect, useRef, useState } from 'react';
import { MASK_ID } from '../../../core/config.ts';
import { errorMessage } from '../../../core/error-message.ts';
import type { Explored as Computed } from '../../../compute/attention.ts';
import { asRows, NumberSelect } from '../../figures/attention.tsx';
import { models } from '../../models/index.ts';
import { TokenRow } from '../../figures/Tokens.tsx';
import { Plot } from '../../plot/index.ts';
import { cell } from '../types.ts';
import { formatTokens, parseTokens } from './token-input.ts';

export interface Explored extends Computed {
  readonly label: string;
}

const PRESETS: readonly { readonly name: string; readonly text: string }[] = [
  { name: 'period 3', text: '6 _ 13 6 2 _ 6 2 13 _ 2 13 6 _ _ 6 2 13 _ 2 13 6 _ 13 _ 2 13 6 2 _ 6 2' },
  { name: 'period 2', text: '8 3 _ 3 8 _ 8 3 _ 3 8 3 _ _ 8 3 8 _ 8 3 _ 3 8 3 8 _ _ 3 8 3 8 _' },
  { name: 'period 4', text: '1 _ 12 9 1 5 _ 9 _ 5 12 9 1 5 12 _ 1 _ 12 9 _ 5 12 9 1 5 _ 9 1 5 12 _' },
];

/** A typed sequence's attention and likeliest period, computed in the compute worker. */
async function explore(tokens: Int32Array, signal?: AbortSignal): Promise<Explored> {
  const { result, label } = await models.run('explore', { tokens }, { signal });
  return { ...result, label };
}

/**
 * For one L×L map: the share of the blanks' attention that lands on visible
 * tokens at the same place in the pattern (other positions ≡ q mod p), and
 * the share attention spread evenly over the keys a blank can see (all of
 * them, or only those to its left under a causal mask) would put there.
 */
export function samePhaseShare(w: Float32Array, tokens: ArrayLike<number>, p: number, causal: boolean): { share: number; uniform: number } {
  const L = tokens.length;
  let share = 0;
  let uniform = 0;
  let queries = 0;
  for (let q = 0; q < L; q++) {
    if (tokens[q] !== MASK_ID) continue;
    queries++;
    const seen = causal ? q + 1 : L;
    let same = 0;
    for (let k = 0; k < seen; k++) {
      if (k !== q && (k - q) % p === 0 && tokens[k] !== MASK_ID) {
        share += w[q * L + k];
        same++;
      }
    }
    uniform += same / seen;
  }
  return queries === 0 ? { share: 0, uniform: 0 } : { share: share / queries, uniform: uniform / queries };
}

function ExplorerView({ out: first }: { out: Explored }) {
  const [out, setOut] = useState(first);
  const [text, setText] = useState(formatTokens(first.tokens));
  const [error, setError] = useState<string | null>(null);
  const [layer, setLayer] = useState(0);
  const [head, setHead] = useState(0);
  const [causal, setCausal] = useState(false);
  const version = useRef(0);
  const pending = useRef<AbortController | null>(null);
  useEffect(() => () => pending.current?.abort(), []);
  // A new cell result (another model) resets the explorer and drops answers still on their way.
  useEffect(() => {
    version.current++;
    pending.current?.abort();
    setOut(first);
    setText(formatTokens(first.tokens));
  }, [first]);

  const show = (next: string) => {
    setText(next);
    const parsed = parseTokens(next);
    if (parsed.error !== undefined) return setError(parsed.error);
    setError(null);
    const v = ++version.current;
    pending.current?.abort(); // the newer sequence wins, in the worker too
    const controller = new AbortController();
    pending.current = controller;
    explore(parsed.tokens, controller.signal).then(
      (e) => v === version.current && setOut(e),
      (e: unknown) => v === version.current && !controller.signal.aborted && setError(errorMessage(e)),
    );
  };

  const L = out.tokens.length;
  const maps = out.maps[causal ? 1 : 0];
  const w = maps[layer][head];
  const heads = maps[0].length;
  const summary = maps.map((layerMaps) => layerMaps.map((m) => samePhaseShare(m, out.tokens, out.period, causal)));
  const names = summary.flatMap((hs, l) => hs.map((_, h) => `L${l + 1} H${h + 1}`));
  const uniform = summary[0][0].uniform;
  return (
    <div>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          show(text);
        }}
      >
        <label className="block-label" htmlFor="attention-input">
          A sequence of token ids 1–15, with _ for each blank
        </label>
        <textarea
          id="attention-input"
          rows={2}
          cols={70}
          value={text}
          onChange={(e) => setText(e.target.value)}
          spellCheck={false}
          aria-invalid={error !== null}
        />
        <div className="button-row">
          <button type="submit" className="run">
            Show its attention
          </button>
          {PRESETS.map((p) => (
            <button key={p.name} type="button" onClick={() => show(p.text)}>
              {p.name}
            </button>
          ))}
        </div>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <TokenRow tokens={out.tokens} label="The sequence whose attention is shown" />
      <div className="button-row">
        <NumberSelect label="Layer" count={maps.length} value={layer} onChange={setLayer} />
        <NumberSelect label="Head" count={heads} value={head} onChange={setHead} />
        <label className="inline">
          <input type="checkbox" checked={causal} onChange={(e) => setCausal(e.target.checked)} /> Causal mask (each position sees only its left)
        </label>
      </div>
      <Plot
        traces={[
          {
            type: 'heatmap',
            z: asRows(w, L),
            x: Array.from({ length: L }, (_, i) => i + 1),
            y: Array.from({ length: L }, (_, i) => i + 1),
            colorscale: 'Viridis',
            name: 'attention weight',
          },
        ]}
        layout={{ xTitle: 'key position (attended to)', yTitle: 'query position', yReversed: true }}
        label={`Attention of layer ${layer + 1}, head ${head + 1}${causal ? ' under a causal mask' : ''} for the sequence above`}
        filename={`explorer-layer${layer + 1}-head${head + 1}${causal ? '-causal' : ''}`}
        height={400}
      />
      <p data-testid="explorer-phase">
        {out.periodProb < 0.99 &&
          (out.periodProb > 0
            ? `The visible tokens leave the period open; period ${out.period} is the likeliest (${(100 * out.periodProb).toFixed(0)}%). `
            : 'No pattern of 2 to 4 tokens fits these tokens; the summary below assumes period 2. ')}
        With period {out.period}, a blank at position i is best filled from the visible tokens at i ± {out.period}, i ± {2 * out.period}, …: the same
        place in the pattern. Attention spread evenly over what a blank can see would put {(100 * uniform).toFixed(0)}% there. The chart shows how
        much each head really does
        {causal ? ', with the causal mask on: every blank has lost the same-place tokens to its right' : ''}.
      </p>
      <Plot
        traces={[
          { type: 'bar', x: names, y: summary.flat().map((s) => 100 * s.share), name: 'same place in the pattern' },
          { type: 'scatter', mode: 'lines', x: names, y: names.map(() => 100 * uniform), name: 'if attention were even', dash: 'dash' },
        ]}
        layout={{ xTitle: 'layer and head', yTitle: "share of a blank's attention (%)", yRange: [0, 100] }}
        label={`Share of the blanks' attention on positions with the same place in a period-${out.period} pattern, per layer and head${causal ? ', causal mask on' : ''}`}
        filename="attention-same-place"
        height={280}
      />
      <p className="hint">Model: {out.label}.</p>
    </div>
  );
}

export const attentionCells = {
  'attention-explorer': cell<Explored>({
    title: 'Attention explorer',
    needsModel: true,
    run: ({ signal }) => explore(parseTokens(PRESETS[0].text).tokens!, signal),
    View: ExplorerView,
  }),
};
