/**
 * Challenge: does the model need to be told t? The precomputed runs (learned
 * MLP, fixed sinusoids, no time input; same recipe, seed and batches) drawn at
 * once, and a short comparison to train here.
 */
import type { TimeInput } from '../../../core/model.ts';
import { pct } from '../../figures/Tokens.tsx';
import { Plot } from '../../plot/index.ts';
import { movingAverage } from '../../../core/numeric.ts';
import {
  accuracyAt,
  breakawayStep,
  describeRepeat,
  describeTimeInputRuns,
  TIME_INPUT_LABELS,
  type TimeInputCurves,
  type VariantCurves,
} from '../../../lesson/challenge-data.ts';
import { MAX_STEPS_EACH, type Variant } from './comparison.ts';
import { TrainHere } from './train-here.tsx';
import { errorMessage } from '../../../core/error-message.ts';

export const TIME_INPUT_VARIANTS: readonly Variant[] = (['learned', 'sinusoidal', 'none'] as const satisfies readonly TimeInput[]).map(
  (timeInput) => ({
    id: timeInput,
    label: TIME_INPUT_LABELS[timeInput],
    overrides: { timeInput },
  }),
);

/** Every n-th point: a 3000-step curve needs no more than ~500 points to draw. */
function thin<T>(xs: readonly T[], most = 500): { index: number[]; values: T[] } {
  const every = Math.max(1, Math.ceil(xs.length / most));
  const index: number[] = [];
  for (let i = every - 1; i < xs.length; i += every) index.push(i);
  return { index, values: index.map((i) => xs[i]) };
}

function Precomputed({ data, repeat }: { data: TimeInputCurves; repeat: TimeInputCurves | null }) {
  const { variants, steps } = data;
  const smoothed = variants.map((v) => thin(movingAverage(v.losses, 50)));
  const mid = data.checkT.indexOf(0.5);
  const best = variants[0].ratios;
  return (
    <div>
      <Plot
        traces={variants.map((v, i) => ({
          type: 'scatter' as const,
          mode: 'lines' as const,
          name: TIME_INPUT_LABELS[v.timeInput],
          x: smoothed[i].index.map((s) => s + 1),
          y: smoothed[i].values,
        }))}
        layout={{ xTitle: 'training step', yTitle: 'loss (nats), smoothed' }}
        label={`Training loss of the ${data.recipe} recipe with each time input, ${steps} steps, seed ${data.seed} (precomputed)`}
        filename="time-input-loss"
        height={300}
      />
      <Plot
        traces={variants.map((v) => ({
          type: 'scatter' as const,
          mode: 'lines+markers' as const,
          name: TIME_INPUT_LABELS[v.timeInput],
          x: v.checkups.map((c) => c.step),
          y: v.checkups.map((c) => 100 * c.accuracy[mid]),
        }))}
        layout={{ xTitle: 'training step', yTitle: 'accuracy at t = 0.5 (%)', yRange: [0, 102] }}
        label={`Accuracy at masking ratio 0.5 during training, for each time input (64 sequences a check-up, precomputed)`}
        filename="time-input-accuracy-during-training"
        height={260}
      />
      <Plot
        traces={[
          ...variants.map((v) => ({
            type: 'scatter' as const,
            mode: 'lines+markers' as const,
            name: TIME_INPUT_LABELS[v.timeInput],
            x: v.ratios.map((r) => r.t),
            y: v.ratios.map((r) => 100 * r.accuracy),
          })),
          {
            type: 'scatter' as const,
            mode: 'lines' as const,
            name: 'best possible',
            dash: 'dash' as const,
            x: best.map((r) => r.t),
            y: best.map((r) => 100 * r.bestPossible),
          },
        ]}
        layout={{ xTitle: 'masking ratio t', yTitle: 'accuracy at masked positions (%)', xRange: [0, 1], yRange: [0, 102] }}
        label={`Accuracy against masking ratio after ${steps} steps for each time input, next to the best possible (${data.evalSeqsPerRatio} sequences a ratio, precomputed)`}
        filename="time-input-accuracy"
        height={320}
      />
      <table className="data-table" data-testid="time-input-summary">
        <caption>
          Accuracy at masked positions after {steps} steps of the {data.recipe} recipe (batch {data.batchSize}, {data.backend} in Node), by time input
          and seed
        </caption>
        <thead>
          <tr>
            <th scope="col">time input</th>
            <th scope="col">seed</th>
            <th scope="col">t = 0.1</th>
            <th scope="col">t = 0.5</th>
            <th scope="col">t = 0.8</th>
            <th scope="col">ELBO (bits/token)</th>
            <th scope="col">training time</th>
          </tr>
        </thead>
        <tbody>
          {variants.flatMap((v) => {
            const again = repeat?.variants.find((r) => r.timeInput === v.timeInput);
            return [
              <SummaryRow key={`${v.timeInput}-${data.seed}`} v={v} seed={data.seed} />,
              again && <SummaryRow key={`${v.timeInput}-${repeat!.seed}`} v={again} seed={repeat!.seed} />,
            ];
          })}
        </tbody>
      </table>
      <p className="hint">
        Made with <code>{data.command}</code>. Accuracy is at masked positions, {data.evalSeqsPerRatio} sequences a ratio; the best possible is{' '}
        {[0.1, 0.5, 0.8].map((t) => `${pct(best.find((r) => Math.abs(r.t - t) < 1e-6)?.bestPossible ?? Number.NaN)} at t = ${t}`).join(', ')}.
      </p>
      <Reading data={data} repeat={repeat} />
    </div>
  );
}

function SummaryRow({ v, seed }: { v: VariantCurves; seed: number }) {
  return (
    <tr>
      <th scope="row">{TIME_INPUT_LABELS[v.timeInput]}</th>
      <td>{seed}</td>
      {[0.1, 0.5, 0.8].map((t) => {
        const a = accuracyAt(v.ratios, t);
        return <td key={t}>{a === null ? 'n/a' : pct(a)}</td>;
      })}
      <td>{v.elboBitsPerToken.toFixed(3)}</td>
      <td>{Math.round(v.seconds)} s</td>
    </tr>
  );
}

/** What the curves show (computed from the file), why, and how far one run can be trusted. */
function Reading({ data, repeat }: { data: TimeInputCurves; repeat: TimeInputCurves | null }) {
  const worst = [...data.variants].sort((a, b) => (accuracyAt(a.ratios, 0.5) ?? 0) - (accuracyAt(b.ratios, 0.5) ?? 0))[0];
  return (
    <div data-testid="time-input-reading">
      <p>
        {describeTimeInputRuns(data).join(' ')}
        {repeat && ` ${describeRepeat(data, repeat)}`}
      </p>
      <p>
        Why can the model do without t? Because x_t already says all that t could: the exact posterior q(x0 | x_t) does not depend on t (the
        derivation above), so a perfect model would ignore it. This is the point MDLM makes (Sahoo et al., 2024), whose models leave the time input
        out. What t can still change is how a network learns, and that is what these runs measure.
      </p>
      {worst.timeInput === 'sinusoidal' && (
        <p>
          The fixed sinusoids did worst here. Our guess, not a measured fact: they add a vector as large as the position signal (norm about 5.7) to
          every position, while this recipe starts the token embeddings tiny (std 0.03) so that positions stand out; the time vector, the same at
          every position, blurs exactly the signal the model needs first. The learned MLP's output starts at about a third of that size (norm 1.3 to
          2.1 at this seed's initial weights) and can shrink as training finds it useless; with no time input there is nothing to blur.
        </p>
      )}
      <p className="hint">
        {repeat ? `Two runs, seeds ${data.seed} and ${repeat.seed}.` : `One run, one seed (${data.seed}).`} When a model breaks away from the plateau
        varies from seed to seed, by hundreds of steps, so read the ordering as what happened in these runs, not a law. Over six seeds and 5000 steps
        in PyTorch (the recipe search), the model told t = 0 ended behind the learned MLP at high ratios: the runs disagree, and neither settles
        whether t helps learning here.
      </p>
    </div>
  );
}

/** Accuracy at t = 0.5 of each precomputed variant at a check-up step, as words. */
function plateauAt(data: TimeInputCurves | null, step: number): string {
  if (!data) return 'precomputed runs not loaded';
  const mid = data.checkT.indexOf(0.5);
  return (
    data.variants
      .map((v) => {
        const c = v.checkups.find((x) => x.step === step);
        return c ? `${pct(c.accuracy[mid], 0)}` : 'n/a';
      })
      .join(', ') + ' at t = 0.5'
  );
}

/** The first step at which a precomputed variant broke away from the plateau. */
function partingStep(data: TimeInputCurves | null): number | null {
  if (!data) return null;
  const steps = data.variants.map(breakawayStep).filter((x): x is number => x !== null);
  return steps.length > 0 ? Math.min(...steps) : null;
}

export interface TimeInputOut {
  readonly data: TimeInputCurves | null;
  /** The same experiment from a second seed, if it loaded. */
  readonly repeat: TimeInputCurves | null;
  readonly error: string | null;
  readonly seed: number;
}

async function fetchCurves(path: string): Promise<TimeInputCurves> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return (await response.json()) as TimeInputCurves;
}

export async function loadTimeInputCurves(seed: number): Promise<TimeInputOut> {
  const [main, repeat] = await Promise.allSettled([fetchCurves('challenges/time-input.json'), fetchCurves('challenges/time-input-seed7.json')]);
  return {
    data: main.status === 'fulfilled' ? main.value : null,
    repeat: repeat.status === 'fulfilled' ? repeat.value : null,
    error: main.status === 'rejected' ? errorMessage(main.reason) : null,
    seed,
  };
}

export function TimeInputView({ out }: { out: TimeInputOut }) {
  return (
    <div>
      {out.data ? (
        <Precomputed data={out.data} repeat={out.repeat} />
      ) : (
        <p className="error" role="alert">
          The precomputed curves could not be loaded ({out.error}); you can still train the three variants below.
        </p>
      )}
      <h4>Train them here</h4>
      <p className="hint" data-testid="time-input-train-note">
        The same recipe three times from the same seed (the toolbar's, {out.seed}), one variant after another in the background worker. The
        precomputed runs above are the comparison: at step 300 all three were still on the plateau ({plateauAt(out.data, 300)}), and they part only
        around step {partingStep(out.data) ?? 'n/a'}. So the default here is {MAX_STEPS_EACH} steps each, the most this cell allows, which reaches
        that region: minutes a variant on a fast GPU, far longer on a CPU. A shorter run shows only the shared plateau. A run here also decays its
        learning rate over its own length, sooner than the {out.data?.steps ?? 3000}-step runs above, so expect it to follow them, not to match them
        step for step.
      </p>
      <TrainHere experiment="time-input" recipe="learns" variants={TIME_INPUT_VARIANTS} seed={out.seed} defaultSteps={MAX_STEPS_EACH} />
    </div>
  );
}
