/**
 * Challenges on the objective: the current model's loss broken down by
 * masking ratio, and the notebook's pooled mean against the 1/t-weighted ELBO,
 * with the ELBO in bits per token against the data's exact entropy.
 */
import { useState } from 'react';
import type { Evaluation } from '../../../core/metrics.ts';
import type { LossWeighting } from '../../../core/objective.ts';
import { Plot } from '../../plot/index.ts';
import type { Variant } from './comparison.ts';
import { contributions, dataEntropyPerToken, sum } from '../../../core/elbo-bins.ts';
import type { LossCurve } from '../../../compute/loss-curve.ts';
import { TrainHere } from './train-here.tsx';

export interface ObjectiveOut {
  readonly curve: LossCurve;
  /** Where the model came from, as the model store says. */
  readonly label: string;
  /** The notebook checkpoint's evaluation (public/pretrained), for contrast; null if it did not load. */
  readonly notebook: Evaluation | null;
  readonly seed: number;
}

/** The data's exact entropy, nats and bits a token (0.2877 and 0.415). */
const ENTROPY_NATS = dataEntropyPerToken();
const ENTROPY_BITS = ENTROPY_NATS / Math.LN2;

export async function loadNotebookEvaluation(): Promise<Evaluation | null> {
  try {
    const r = await fetch('pretrained/notebook-3000.eval.json');
    return r.ok ? ((await r.json()) as Evaluation) : null;
  } catch {
    return null;
  }
}

export function LossByRatioView({ out }: { out: ObjectiveOut }) {
  const { curve, notebook } = out;
  const t = [...curve.t];
  const worst = curve.loss.reduce((k, l, j) => (l - curve.best[j] > curve.loss[k] - curve.best[k] ? j : k), 0);
  return (
    <div>
      <Plot
        traces={[
          { type: 'scatter', mode: 'lines+markers', x: t, y: [...curve.loss], name: 'this model' },
          { type: 'scatter', mode: 'lines', x: t, y: [...curve.best], name: 'best possible (exact posterior)', dash: 'dash' },
          ...(notebook
            ? [
                {
                  type: 'scatter' as const,
                  mode: 'lines+markers' as const,
                  x: notebook.ratios.map((r) => r.t),
                  y: notebook.ratios.map((r) => r.meanLoss),
                  name: "notebook's recipe, 3000 steps",
                  dash: 'dot' as const,
                },
              ]
            : []),
        ]}
        layout={{ xTitle: 'masking ratio t', yTitle: 'mean loss per masked token (nats)', xRange: [0, 1] }}
        label="Mean cross-entropy per masked token against the masking ratio, for this model, the best possible, and the notebook's recipe"
        filename="loss-by-ratio"
        height={340}
      />
      <p data-testid="loss-by-ratio-summary">
        {out.label}: {curve.loss[0].toFixed(3)} nats a masked token at t = {t[0]}, {curve.loss[Math.floor(t.length / 2)].toFixed(3)} at t ={' '}
        {t[Math.floor(t.length / 2)]} and {curve.loss[t.length - 1].toFixed(3)} at t = {t[t.length - 1]} ({curve.seqsPerBin} sequences a ratio). The
        best possible is {curve.best[0].toFixed(3)}, {curve.best[Math.floor(t.length / 2)].toFixed(3)} and {curve.best[t.length - 1].toFixed(3)}. The
        widest gap is at t = {t[worst]}: {(curve.loss[worst] - curve.best[worst]).toFixed(3)} nats.
      </p>
    </div>
  );
}

const WEIGHTINGS: readonly { readonly kind: LossWeighting; readonly label: string }[] = [
  { kind: 'masked-mean', label: "The notebook's objective: mean over masked tokens" },
  { kind: 'elbo', label: 'The ELBO: weight 1/t per sequence' },
];

const NAME: Readonly<Record<LossWeighting, string>> = { 'masked-mean': 'pooled mean', elbo: 'ELBO' };

export function ElboView({ out }: { out: ObjectiveOut }) {
  const [kind, setKind] = useState<LossWeighting>('elbo');
  const { curve } = out;
  const t = [...curve.t];
  const other: LossWeighting = kind === 'elbo' ? 'masked-mean' : 'elbo';
  const mine = contributions(kind, curve.loss);
  const theirs = contributions(other, curve.loss);
  const floor = contributions(kind, curve.best);
  const total = sum(mine);
  const binsBits = sum(contributions('elbo', curve.loss)) / Math.LN2;
  return (
    <div>
      <fieldset className="button-row" data-testid="objective-toggle">
        <legend>Weighting</legend>
        {WEIGHTINGS.map((w) => (
          <label key={w.kind} className="inline">
            <input type="radio" name="objective" value={w.kind} checked={kind === w.kind} onChange={() => setKind(w.kind)} /> {w.label}
          </label>
        ))}
      </fieldset>
      <Plot
        traces={[
          { type: 'bar', x: t, y: mine, name: `${NAME[kind]}: this model's share from each bin`, width: 0.04 },
          { type: 'scatter', mode: 'lines+markers', x: t, y: theirs, name: `${NAME[other]}, for comparison`, dash: 'dot', symbol: 'x' },
          { type: 'scatter', mode: 'lines', x: t, y: floor, name: `${NAME[kind]}: best possible model`, dash: 'dash' },
        ]}
        layout={{ xTitle: 'masking ratio t (bins of 0.05)', yTitle: 'contribution to the objective (nats)', xRange: [0, 1] }}
        label={`How much each masking-ratio bin adds to the ${NAME[kind]} for this model, with the ${NAME[other]} and the best possible model for comparison`}
        filename={`objective-${kind}-by-ratio`}
        height={320}
      />
      {kind === 'elbo' ? (
        <p data-testid="elbo-summary">
          The bars add up to <strong>{total.toFixed(3)} nats a token</strong>, {binsBits.toFixed(3)} bits: the area under the loss curve, because the
          1/t weight cancels the t·L masked tokens and every ratio counts the same. The engine's own estimate, with t spread evenly over (0, 1)
          instead of 20 bins (which are coarse near t = 1, where the loss climbs fastest), is{' '}
          <strong data-testid="elbo-bits">{curve.elboBits.toFixed(3)} bits a token</strong> from {curve.seqsPerBin * t.length} sequences; the data's
          exact entropy is <strong>{ENTROPY_BITS.toFixed(3)}</strong>. A perfect model would reach it (its bins add up to{' '}
          {(sum(floor) / Math.LN2).toFixed(3)} bits here), and no model can go below it, so this model is{' '}
          {Math.max(0, curve.elboBits - ENTROPY_BITS).toFixed(3)} bits a token short of perfect.
        </p>
      ) : (
        <p data-testid="elbo-summary">
          The bars add up to <strong>{total.toFixed(3)} nats a masked token</strong>: what the notebook's training loss reads for this model. Each
          ratio counts in proportion to how many tokens it masks, so the heavily masked bins on the right carry most of it. It is not an entropy: even
          the best possible model scores {sum(floor).toFixed(3)} here, against the data's {ENTROPY_NATS.toFixed(4)} nats ({ENTROPY_BITS.toFixed(3)}{' '}
          bits) a token. Switch to the ELBO to set this model against the entropy.
        </p>
      )}
    </div>
  );
}

export const OBJECTIVE_VARIANTS: readonly Variant[] = [
  { id: 'masked-mean', label: 'pooled mean (the notebook)', overrides: { loss: 'masked-mean' } },
  { id: 'elbo', label: 'ELBO, 1/t weight', overrides: { loss: 'elbo' } },
];

export function ObjectiveTraining({ seed }: { seed: number }) {
  return (
    <>
      <h4>Train with each objective here</h4>
      <p className="hint">
        The learns recipe twice from the same seed ({seed}), once with each weighting. The difference to look for shows from the first steps: the two
        losses are in different units (per masked token against per token, weighted by 1/t), so the ELBO's curve sits at another height, and its 1/t
        weights can make it jump more from batch to batch, where a heavily or lightly masked sequence weighs in. Do not expect different accuracy: in
        the recipe search, over 5000 steps and six seeds, the two weightings ended close together (section text above), and a short run here leaves
        both on the plateau.
      </p>
      <TrainHere
        experiment="objective"
        recipe="learns"
        variants={OBJECTIVE_VARIANTS}
        seed={seed}
        defaultSteps={300}
        lossNote="Different units: the pooled mean is per masked token, the ELBO per token with the 1/t weight."
      />
    </>
  );
}
