/** Section 10: what the model predicts, and how accuracy falls with the masking ratio against the best possible. */
import { MASK_ID } from '../../core/config.ts';
import { generatePatterns } from '../../core/data.ts';
import { maskArrays } from '../../core/masking.ts';
import type { Evaluation } from '../../core/metrics.ts';
import type { MaskPrediction } from '../../core/predict.ts';
import type { AccuracyCurve } from '../../compute/model-readouts.ts';
import { predictForLesson } from '../exercises/predictor.ts';
import { pct, TokenRow } from '../figures/Tokens.tsx';
import { models } from '../models/index.ts';
import { Plot } from '../plot/index.ts';
import { cell, rngFor } from './types.ts';

interface AtRatio {
  readonly t: number;
  readonly xt: Int32Array;
  readonly correct: number;
  readonly total: number;
}

interface Predictions {
  readonly x0: Int32Array;
  readonly rows: AtRatio[];
  readonly label: string;
  readonly by: string;
}

interface Top3 {
  readonly x0: Int32Array;
  readonly xt: Int32Array;
  readonly preds: MaskPrediction[];
  readonly label: string;
  readonly by: string;
}

function Top3Figure({ out }: { out: Top3 }) {
  const byPos = new Map(out.preds.map((p) => [p.position, p.top]));
  const right = out.preds.filter((p) => p.top[0].token === out.x0[p.position]).length;
  return (
    <figure style={{ margin: 0 }}>
      <div className="pred-grid" role="list" aria-label="Masked sequence with the model's top three guesses under each mask">
        {Array.from(out.xt, (tok, pos) => {
          const top = byPos.get(pos);
          return (
            <div key={pos} className="pred-col" role="listitem">
              <TokenRow tokens={[tok]} label={`position ${pos + 1}`} />
              {tok === MASK_ID &&
                top?.map((g, j) => {
                  const ok = g.token === out.x0[pos];
                  return (
                    <span key={j} className={`pred ${ok ? 'good' : 'bad'}${j === 0 ? ' top' : ''}`}>
                      <span aria-label={ok ? 'correct' : 'wrong'}>{ok ? '✓' : '✗'}</span> {g.token} ({g.prob.toFixed(2)})
                    </span>
                  );
                })}
            </div>
          );
        })}
      </div>
      <figcaption className="hint">
        Under each [M]: the model's three likeliest tokens with their probabilities, best first (bold). ✓ and green mark the true token, ✗ and red a
        wrong one. Top guess right at {right} of {out.preds.length} masks. Model: {out.label}. Predictions by {out.by}.
      </figcaption>
    </figure>
  );
}

interface Curve extends AccuracyCurve {
  readonly notebook: Evaluation | null;
  readonly label: string;
}

function CurveView({ out }: { out: Curve }) {
  const r = out.evaluation.ratios;
  const traces = [
    { type: 'scatter' as const, mode: 'lines+markers' as const, x: r.map((x) => x.t), y: r.map((x) => 100 * x.accuracy), name: 'this model' },
    {
      type: 'scatter' as const,
      mode: 'lines' as const,
      x: out.best.t,
      y: out.best.acc.map((a) => 100 * a),
      name: 'best possible (exact Bayes-optimal)',
      dash: 'dash' as const,
    },
  ];
  if (out.notebook) {
    const n = out.notebook.ratios;
    traces.push({
      type: 'scatter',
      mode: 'lines+markers',
      x: n.map((x) => x.t),
      y: n.map((x) => 100 * x.accuracy),
      name: "notebook's recipe, 3000 steps",
      dash: 'dot' as never,
    });
  }
  return (
    <div>
      <Plot
        traces={traces}
        layout={{ xTitle: 'masking ratio t', yTitle: 'accuracy at masked positions (%)', xRange: [0, 1], yRange: [0, 102] }}
        label="Accuracy against masking ratio for this model, the best possible, and the notebook's recipe"
        filename="accuracy-vs-masking-ratio"
        height={380}
      />
      <p data-testid="accuracy-summary">
        {out.label}: {pct(r[0].accuracy)} at t = {r[0].t.toFixed(2)}, {pct(r[r.length - 1].accuracy)} at t = {r[r.length - 1].t.toFixed(2)} (
        {out.seqs} sequences a ratio). ELBO {out.evaluation.elboBitsPerToken.toFixed(3)} bits a token; the data's entropy is 0.415.
      </p>
    </div>
  );
}

export const cells = {
  predictions: cell<Predictions>({
    title: 'Predictions at three ratios',
    source: () => import('../../core/predict.ts?raw'),
    needsModel: true,
    run: async ({ seed, signal }) => {
      const rng = rngFor(seed, 'predictions');
      const { x0 } = generatePatterns(rng, 1);
      const rows: AtRatio[] = [];
      let by = '';
      let label = '';
      for (const t of [0.2, 0.5, 0.8]) {
        const { xt } = maskArrays(x0, [t], rng);
        const predicted = await predictForLesson(x0, xt, t, 1, signal);
        by = predicted.by;
        label = predicted.label;
        const preds = predicted.preds;
        rows.push({ t, xt, total: preds.length, correct: preds.filter((p) => p.top[0].token === x0[p.position]).length });
      }
      return { x0, rows, label, by };
    },
    View: ({ out }) => (
      <div>
        <p className="token-row-label">Original</p>
        <TokenRow tokens={out.x0} label="The original sequence" />
        {out.rows.map((r) => (
          <div key={r.t}>
            <p className="token-row-label">
              t = {r.t}: top guess right at {r.correct} of {r.total} masks = {r.total ? pct(r.correct / r.total, 0) : 'n/a'}
            </p>
            <TokenRow tokens={r.xt} label={`Masked at t = ${r.t}`} />
          </div>
        ))}
        <p className="hint" data-testid="predictions-by">
          Model: {out.label}. Predictions by {out.by}.
        </p>
      </div>
    ),
  }),

  'top3-figure': cell<Top3>({
    title: "The model's top three guesses at each mask",
    needsModel: true,
    run: async ({ seed, signal }) => {
      const rng = rngFor(seed, 'top3-figure');
      const { x0 } = generatePatterns(rng, 1);
      const { xt } = maskArrays(x0, [0.5], rng);
      const { preds, by, label } = await predictForLesson(x0, xt, 0.5, 3, signal);
      return { x0, xt, preds, label, by };
    },
    View: Top3Figure,
  }),

  'accuracy-curve': cell<Curve>({
    title: 'Accuracy against masking ratio',
    source: () => import('../../core/metrics.ts?raw'),
    needsModel: true,
    run: async ({ seed, signal, progress }) => {
      const [{ result, label }, notebook] = await Promise.all([
        models.run('accuracyCurve', { seed, seqs: 200 }, { signal, onProgress: progress }),
        fetch('pretrained/notebook-3000.eval.json')
          .then((r) => (r.ok ? (r.json() as Promise<Evaluation>) : null))
          .catch(() => null),
      ]);
      return { ...result, notebook, label };
    },
    View: CurveView,
  }),
};
