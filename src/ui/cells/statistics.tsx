/** Section 6: the forward process checked against its expected statistics. */
import { useEffect, useState } from 'react';
import { DEFAULT_DATA } from '../../core/config.ts';
import { binomialPmf } from '../../core/numeric.ts';
import { NOTEBOOK } from '../../core/recipes.ts';
import {
  TRIALS,
  type MaskedCountHistogram,
  type MaskedFractions as Fractions,
  type TrainingRatios as Ratios,
} from '../../compute/masking-statistics.ts';
import { errorMessage } from '../../core/error-message.ts';
import { compute } from '../models/index.ts';
import { Plot } from '../plot/index.ts';
import { cell } from './types.ts';

const L = DEFAULT_DATA.seqLen;

function FractionView({ out }: { out: Fractions }) {
  const worst = Math.max(...out.t.map((t, i) => Math.abs(out.fraction[i] - t)));
  return (
    <div>
      <Plot
        traces={[
          { type: 'scatter', mode: 'lines+markers', x: out.t, y: out.fraction, name: 'measured masked fraction' },
          { type: 'scatter', mode: 'lines', x: [0, 1], y: [0, 1], name: 'expected: y = t', dash: 'dash' },
        ]}
        layout={{ xTitle: 'masking ratio t', yTitle: 'fraction of tokens masked', xRange: [0, 1], yRange: [0, 1] }}
        label="Measured masked fraction against t, on the line y = t"
        filename="masked-fraction-vs-t"
        height={340}
      />
      <p data-testid="fraction-worst">
        Largest gap from y = t over {out.t.length} ratios × {TRIALS} sequences: {worst.toFixed(4)}. Each ratio averages {TRIALS * L} coin flips, so
        its standard error is at most {Math.sqrt(0.25 / (TRIALS * L)).toFixed(4)}; the largest of {out.t.length} gaps rarely passes three of those (
        {(3 * Math.sqrt(0.25 / (TRIALS * L))).toFixed(4)}).
      </p>
    </div>
  );
}

type Histogram = MaskedCountHistogram & { readonly seed: number };

/**
 * The masked-count histogram at the slider's ratio. The cell draws t = 0.5; each other ratio is
 * counted in the compute worker (1000 sequences, 32,000 coin flips), and the last histogram
 * stays on screen, marked busy, until the new one arrives.
 */
function HistogramView({ out }: { out: Histogram }) {
  const [t, setT] = useState(out.t);
  const [shown, setShown] = useState(out);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    if (t === out.t) {
      setShown(out);
      setProblem(null);
      return;
    }
    const stop = new AbortController();
    compute
      .run('maskedCountHistogram', { seed: out.seed, t }, { signal: stop.signal, model: null })
      .then((h) => {
        setShown({ ...h, seed: out.seed });
        setProblem(null);
      })
      .catch((e: unknown) => stop.signal.aborted || setProblem(errorMessage(e)));
    return () => stop.abort();
  }, [out, t]);
  const k = shown.share.map((_, i) => i);
  const pmf = binomialPmf(L, shown.t);
  return (
    <div aria-busy={shown.t !== t}>
      <label className="inline" htmlFor="hist-t">
        t <input id="hist-t" type="range" min={0.05} max={0.95} step={0.05} value={t} onChange={(e) => setT(Number(e.target.value))} />
        <span className="num">{t.toFixed(2)}</span>
      </label>
      {problem && (
        <p className="error" role="alert">
          Could not count the masks at t = {t.toFixed(2)}: {problem}
        </p>
      )}
      <Plot
        traces={[
          { type: 'bar', x: k, y: shown.share, name: `${TRIALS} masked sequences` },
          { type: 'scatter', mode: 'lines+markers', x: k, y: pmf, name: `Binomial(${L}, ${shown.t.toFixed(2)})` },
        ]}
        layout={{
          xTitle: 'masked tokens in a sequence of 32',
          yTitle: 'share of sequences',
          vLines: [{ x: L * shown.t, label: `expected L·t = ${(L * shown.t).toFixed(1)}` }],
        }}
        label={`Histogram of masked counts at t = ${shown.t} against the Binomial expectation`}
        filename="masked-count-histogram"
        height={320}
      />
      <p>
        Mean masked count {shown.mean.toFixed(2)}; the Binomial's mean is L·t = {(L * shown.t).toFixed(2)}.
      </p>
    </div>
  );
}

export const cells = {
  'fraction-vs-t': cell<Fractions>({
    title: 'Masked fraction against t',
    auto: true,
    // Twenty thousand sequences: simulated in the compute worker, drawn here.
    run: ({ seed, signal, progress }) => compute.run('maskedFractions', { seed }, { signal, model: null, onProgress: progress }),
    View: FractionView,
  }),

  histogram: cell<Histogram>({
    title: 'How many tokens get masked',
    auto: true,
    // Counted in the compute worker, as every ratio the slider picks later.
    run: async ({ seed, signal }) => ({ ...(await compute.run('maskedCountHistogram', { seed, t: 0.5 }, { signal, model: null })), seed }),
    View: HistogramView,
  }),

  'bert-vs-diffusion': cell<Ratios>({
    title: "BERT's one ratio against diffusion's every ratio",
    auto: true,
    source: () => import('../../core/training.ts?raw'),
    // The ratios training really sees: the engine's own batch sampler, notebook recipe (in the compute worker).
    run: ({ seed, signal, progress }) => compute.run('trainingRatios', { seed }, { signal, model: null, onProgress: progress }),
    // Two panels, each on its own scale: on one axis, BERT's single bar of 1 flattens diffusion's bars of 0.05.
    View: ({ out }) => (
      <div>
        <div className="plot-pair">
          <Plot
            traces={[{ type: 'bar', x: [0.15], y: [1], name: 'BERT: always 15%', width: 0.03 }]}
            layout={{
              title: 'BERT: every sequence at t = 0.15',
              xTitle: 'masking ratio t',
              yTitle: 'share of training sequences',
              xRange: [0, 1],
              yRange: [0, 1.05],
            }}
            label="BERT trains every sequence at one masking ratio, 15%"
            filename="bert-ratios"
            height={300}
          />
          <Plot
            traces={[
              {
                type: 'bar',
                x: out.binCentres,
                y: out.diffusion,
                name: `diffusion: t ~ U(${NOTEBOOK.tMin}, ${NOTEBOOK.tMax}), ${out.draws} draws`,
                width: 0.045,
                color: '#009E73',
              },
            ]}
            layout={{
              title: `Diffusion: t ~ U(${NOTEBOOK.tMin}, ${NOTEBOOK.tMax}), ${out.draws} draws`,
              xTitle: 'masking ratio t',
              yTitle: 'share of training sequences',
              xRange: [0, 1],
              yRange: [0, 0.1],
            }}
            label="Diffusion spreads its training evenly over every ratio: about 5% of sequences in each 0.05-wide slice of t"
            filename="diffusion-ratios"
            height={300}
          />
        </div>
        <p className="hint">Each diffusion bar is a 0.05-wide slice of t holding about 5% of sequences; BERT puts all of its weight on one ratio.</p>
      </div>
    ),
  }),
};
