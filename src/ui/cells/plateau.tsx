/**
 * Section 8's puzzle: why does the notebook's recipe stop at about 38%? Three
 * cells that draw precomputed evidence, so a learner on a slow machine sees it
 * without training anything:
 *  - recipe-curves: the four recipes' training runs (loss, and accuracy at the
 *    live runs' check-up ratios), from bench/recipe-curves.ts;
 *  - plateau-puzzle: what a plateaued model guesses at the blanks of a few
 *    sequences (bench/plateau-example.ts), and the 1/k arithmetic, exact;
 *  - stall-ablation: one change at a time, several seeds (bench/stall-ablation).
 */
import { useState } from 'react';
import { movingAverage } from '../../core/numeric.ts';
import { meanInverseDistinctTokens } from '../../core/periodicity.ts';
import type { PlateauExample, RecipeCurve, RecipeCurves, StallAblation } from '../../lesson/measured-types.ts';
import { pct, TokenRow } from '../figures/Tokens.tsx';
import { Plot } from '../plot/index.ts';
import { cell } from './types.ts';
import { errorMessage } from '../../core/error-message.ts';
import { compute } from '../models/index.ts';

/** Off the plateau: the first check-up at 90% or more at the lowest check-up ratio (t = 0.1). */
export const ESCAPE_ACCURACY = 0.9;

async function fetchJson<T>(path: string): Promise<T> {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

/** Every n-th point: a 6500-step curve needs no more than ~400 points to draw. */
function thin(xs: readonly (number | null)[], most = 400): { x: number[]; y: (number | null)[] } {
  const every = Math.max(1, Math.ceil(xs.length / most));
  const x: number[] = [];
  const y: (number | null)[] = [];
  for (let i = every - 1; i < xs.length; i += every) {
    x.push(i + 1);
    y.push(xs[i]);
  }
  return { x, y };
}

/** The first check-up step at which the run is off the plateau, or null. */
export function escapeStep(run: RecipeCurve, checkT: readonly number[]): number | null {
  const k = checkT.indexOf(Math.min(...checkT));
  return run.checkups.find((c) => c.accuracy[k] >= ESCAPE_ACCURACY)?.step ?? null;
}

/** Mean loss over steps (from, to], skipped steps left out. */
function meanLoss(run: RecipeCurve, from: number, to: number): number {
  const xs = run.losses.slice(from, to).filter((x): x is number => x !== null);
  return xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
}

export function describeRecipeCurves(data: RecipeCurves): string[] {
  const out: string[] = [];
  for (const run of data.recipes) {
    const at = escapeStep(run, data.checkT);
    const last = run.checkups.at(-1)!;
    const lo = data.checkT.indexOf(Math.min(...data.checkT));
    out.push(
      `${run.recipe}: loss ${meanLoss(run, 0, 10).toFixed(2)} over the first 10 steps, ${meanLoss(run, run.losses.length - 100, run.losses.length).toFixed(2)} over the last 100; ` +
        (at === null
          ? `never off the plateau in ${run.steps} steps (${pct(last.accuracy[lo], 0)} at t = ${data.checkT[lo]} at the end).`
          : `off the plateau by step ${at} (${pct(ESCAPE_ACCURACY, 0)} or more at t = ${data.checkT[lo]}).`),
    );
  }
  return out;
}

/** The precomputed runs, and the exact best possible accuracy at their check-up ratios (from the compute worker). */
interface CurvesOut {
  readonly data: RecipeCurves | null;
  readonly error: string | null;
  readonly best: readonly number[] | null;
}

function RecipeCurvesView({ out }: { out: CurvesOut }) {
  const [ratio, setRatio] = useState(0);
  const { data } = out;
  if (!data) {
    return (
      <p className="error" role="alert">
        The precomputed runs could not be loaded ({out.error}). Train one above to see the plateau for yourself.
      </p>
    );
  }
  const t = data.checkT[ratio];
  const longest = Math.max(...data.recipes.map((r) => r.steps));
  return (
    <div>
      <Plot
        traces={data.recipes.map((run) => ({
          type: 'scatter' as const,
          mode: 'lines' as const,
          name: `${run.recipe} (batch ${run.batchSize})`,
          ...thin(movingAverage(run.losses, 50)),
        }))}
        layout={{ xTitle: 'training step', yTitle: 'loss (nats), 50-step average', xRange: [0, longest], yRange: [0, 3.2] }}
        label={`Training loss of the ${data.recipes.map((r) => r.recipe).join(', ')} recipes, seed ${data.seed}, precomputed`}
        filename="recipe-curves-loss"
        height={300}
      />
      <label className="inline">
        Accuracy at t ={' '}
        <select value={ratio} onChange={(e) => setRatio(Number(e.target.value))}>
          {data.checkT.map((x, i) => (
            <option key={x} value={i}>
              {x}
            </option>
          ))}
        </select>
      </label>
      <Plot
        traces={[
          ...data.recipes.map((run) => ({
            type: 'scatter' as const,
            mode: 'lines+markers' as const,
            name: `${run.recipe} (batch ${run.batchSize})`,
            x: run.checkups.map((c) => c.step),
            y: run.checkups.map((c) => 100 * c.accuracy[ratio]),
          })),
          ...(out.best
            ? [
                {
                  type: 'scatter' as const,
                  mode: 'lines' as const,
                  name: 'best possible',
                  dash: 'dash' as const,
                  x: [0, longest],
                  y: [100 * out.best[ratio], 100 * out.best[ratio]],
                },
              ]
            : []),
        ]}
        layout={{ xTitle: 'training step', yTitle: `accuracy at t = ${t} (%)`, xRange: [0, longest], yRange: [0, 102] }}
        label={`Accuracy at masking ratio ${t} during training, for each recipe (${data.checkupSeqs} sequences a check-up, precomputed)`}
        filename="recipe-curves-accuracy"
        height={280}
      />
      <ul data-testid="recipe-curves-summary">
        {describeRecipeCurves(data).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="hint">
        Made with <code>{data.command}</code> ({data.backend} in Node, seed {data.seed}, the runs that made the shipped checkpoints). The check-ups
        are the live runs': {data.checkupSeqs} sequences at each of t = {data.checkT.join(', ')}, every {data.checkupEvery} steps.
      </p>
    </div>
  );
}

function distinct(pattern: readonly number[]): number {
  return new Set(pattern).size;
}

function PuzzleView({ out }: { out: { data: PlateauExample | null; error: string | null } }) {
  const [pick, setPick] = useState(0);
  const [model, setModel] = useState('notebook-3000');
  const law = meanInverseDistinctTokens();
  const { data } = out;
  if (!data) {
    return (
      <p className="error" role="alert">
        The precomputed predictions could not be loaded ({out.error}).
      </p>
    );
  }
  const ex = data.examples[pick];
  const preds = ex.predictions[model] ?? [];
  const right = preds.filter((p) => p.top[0].token === ex.x0[p.position]).length;
  return (
    <div>
      <div className="button-row" role="group" aria-label="Choose a sequence">
        {data.examples.map((e, i) => (
          <button key={i} type="button" aria-pressed={i === pick} onClick={() => setPick(i)}>
            pattern {e.pattern.join(' ')}
          </button>
        ))}
      </div>
      <label className="inline">
        Model{' '}
        <select value={model} onChange={(e) => setModel(e.target.value)}>
          <option value="notebook-3000">notebook recipe, 3000 steps (on the plateau)</option>
          <option value="learns-5000">learns recipe, 5000 steps</option>
        </select>
      </label>
      <TokenRow tokens={ex.xt} label={`Pattern ${ex.pattern.join(' ')} masked at t = ${data.t}`} />
      <table className="data-table" data-testid="plateau-guesses">
        <caption>The model's three likeliest tokens at the first six blanks (the sequence uses {distinct(ex.pattern)} different tokens)</caption>
        <thead>
          <tr>
            <th scope="col">position</th>
            <th scope="col">true token</th>
            <th scope="col">top three guesses</th>
          </tr>
        </thead>
        <tbody>
          {preds.slice(0, 6).map((p) => (
            <tr key={p.position}>
              <td className="num">{p.position + 1}</td>
              <td className="num">{ex.x0[p.position]}</td>
              <td>
                {p.top.map((g, j) => (
                  <span key={j} className={`pred ${g.token === ex.x0[p.position] ? 'good' : 'bad'}`}>
                    {g.token === ex.x0[p.position] ? '✓' : '✗'} {g.token} ({g.prob.toFixed(2)}){' '}
                  </span>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p data-testid="plateau-right">
        Top guess right at {right} of {ex.masked} blanks ({pct(right / Math.max(1, ex.masked), 0)}).
      </p>
      <details>
        <summary>The arithmetic: what is "knowing which tokens occur" worth?</summary>
        <p>
          Suppose a model knows which k different tokens a sequence uses but not where they go, and spreads its guess evenly over them. It is right
          1/k of the time. Averaged over the data, exactly:
        </p>
        <table className="data-table" data-testid="plateau-arithmetic">
          <thead>
            <tr>
              <th scope="col">pattern length p</th>
              <th scope="col">average of 1/k</th>
            </tr>
          </thead>
          <tbody>
            {law.byPeriod.map((v, p) =>
              v > 0 ? (
                <tr key={p}>
                  <td className="num">{p}</td>
                  <td className="num">{pct(v)}</td>
                </tr>
              ) : null,
            )}
            <tr>
              <th scope="row">all (p uniform on 2, 3, 4)</th>
              <td className="num">
                <strong>{pct(law.overall)}</strong>
              </td>
            </tr>
          </tbody>
        </table>
        <p className="hint">
          k is below p when the pattern repeats a token (4 4 11 has k = 2), which is why p = 3 gives {pct(law.byPeriod[3])} and not 33.3%. Masks:{' '}
          {data.examples.length} fixed sequences at t = {data.t}, seed {data.maskSeed}; made with <code>{data.command}</code>.
        </p>
      </details>
    </div>
  );
}

/**
 * What the ablation measured, in sentences computed from the file (so they stay
 * true for a run still going, or made again): which variants left the plateau,
 * on how many seeds, and when.
 */
export function describeAblation(data: StallAblation): string[] {
  return data.groups.map((g) => {
    const reached = Math.min(...g.variants.map((v) => v.lastStep));
    const left = g.variants.filter((v) => v.escaped > 0);
    const stayed = g.variants.filter((v) => v.escaped === 0);
    const when = (v: StallAblation['groups'][number]['variants'][number]) =>
      `${v.name} (${v.escaped} of ${v.seeds.length} seeds, ${v.seeds
        .map((s) => s.escapeStep)
        .filter((x): x is number => x !== null)
        .sort((a, b) => a - b)
        .map((x) => `step ${x}`)
        .join(', ')})`;
    const title = GROUP_TITLES[g.group] ?? g.group;
    if (reached === 0) return `${title}: started, no check-up yet (the first is at step ${g.evalEvery} of ${g.steps}).`;
    const head = `${title}, ${g.done ? `${g.steps} steps` : `first ${reached} of ${g.steps} steps (still running)`}: `;
    if (left.length === 0) return `${head}no variant has left the plateau.`;
    return `${head}off the plateau: ${left.map(when).join('; ')}. ${stayed.length > 0 ? `Still on it: ${stayed.map((v) => v.name).join(', ')}.` : 'None stayed on it.'}`;
  });
}

const GROUP_TITLES: Record<string, string> = {
  'add-one': "The notebook's recipe with one change",
  'leave-one-out': 'The learns recipe with one change undone',
};

function AblationView({ out }: { out: { data: StallAblation | null; error: string | null } }) {
  const [t, setT] = useState('0.1');
  const { data } = out;
  if (!data || data.groups.length === 0) {
    return (
      <p className="error" role="alert">
        The ablation's results could not be loaded ({out.error ?? 'no runs in the file'}).
      </p>
    );
  }
  const ts = Object.keys(data.groups[0].bayesOnSet);
  return (
    <div>
      <label className="inline">
        Accuracy at t ={' '}
        <select value={t} onChange={(e) => setT(e.target.value)}>
          {ts.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      </label>
      {data.groups.map((g) => (
        <div key={g.group}>
          <h4>
            {GROUP_TITLES[g.group] ?? g.group}
            {!g.done && ` (still running: step ${Math.min(...g.variants.map((v) => v.lastStep))} of ${g.steps})`}
          </h4>
          <Plot
            traces={[
              ...g.variants.map((v) => {
                // The seed-mean curve, over the checkpoints every seed has reached.
                const n = Math.min(...v.seeds.map((s) => s.checkpoints.length));
                const steps = v.seeds[0].checkpoints.slice(0, n).map((c) => c.step);
                const mean = steps.map((_, k) => (100 * v.seeds.reduce((sum, s) => sum + s.checkpoints[k].accuracy[t], 0)) / v.seeds.length);
                return { type: 'scatter' as const, mode: 'lines+markers' as const, name: v.name, x: steps, y: mean };
              }),
              {
                type: 'scatter' as const,
                mode: 'lines' as const,
                name: 'best possible on this eval set',
                dash: 'dash' as const,
                x: [0, g.steps],
                y: [100 * g.bayesOnSet[t], 100 * g.bayesOnSet[t]],
              },
            ]}
            layout={{ xTitle: 'training step (mean over seeds)', yTitle: `accuracy at t = ${t} (%)`, xRange: [0, g.steps], yRange: [0, 102] }}
            label={`${GROUP_TITLES[g.group] ?? g.group}: accuracy at t = ${t} during training, mean over seeds`}
            filename={`stall-ablation-${g.group}`}
            height={300}
          />
          <table className="data-table" data-testid={`ablation-${g.group}`}>
            <thead>
              <tr>
                <th scope="col">variant</th>
                <th scope="col">seeds off the plateau</th>
                <th scope="col">step each seed left it</th>
                <th scope="col">t = 0.5 / 0.7 at step {Math.min(...g.variants.map((v) => v.lastStep))}</th>
              </tr>
            </thead>
            <tbody>
              {g.variants.map((v) => (
                <tr key={v.name}>
                  <th scope="row" style={{ textAlign: 'left', fontWeight: 'normal' }}>
                    {v.name}
                  </th>
                  <td className="num">
                    {v.escaped} of {v.seeds.length}
                  </td>
                  <td>{v.seeds.map((s) => (s.escapeStep === null ? 'not yet' : String(s.escapeStep))).join(', ')}</td>
                  <td className="num">
                    {v.meanFinalAccuracy ? `${pct(v.meanFinalAccuracy['0.5'], 0)} / ${pct(v.meanFinalAccuracy['0.7'], 0)}` : 'n/a'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
      <ul data-testid="ablation-measured">
        {describeAblation(data).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="hint">
        PyTorch, the same model and data (bench/recipe-search/ens.py), {data.groups[0].steps} steps each with the learning rate decaying to 0 over
        them, batch 64, on one CPU thread. Off the plateau: {pct(data.escape.accuracy, 0)} or more at t = {data.escape.t} at a check-up, every{' '}
        {data.groups[0].evalEvery} steps on {data.groups[0].evalSeqsPerRatio} sequences a ratio. Made with <code>{data.command}</code>.
      </p>
    </div>
  );
}

async function load<T>(path: string): Promise<{ data: T | null; error: string | null }> {
  try {
    return { data: await fetchJson<T>(path), error: null };
  } catch (e) {
    return { data: null, error: errorMessage(e) };
  }
}

export const plateauCells = {
  'recipe-curves': cell<CurvesOut>({
    title: 'The recipes, trained: precomputed runs',
    run: async ({ signal }) => {
      const loaded = await load<RecipeCurves>('measured/recipe-curves.json');
      // The exact best possible enumerates every mask class on its first call: the compute worker's work, not the page's.
      const best = loaded.data ? await compute.run('bestPossible', { t: loaded.data.checkT }, { signal, model: null }) : null;
      return { ...loaded, best };
    },
    View: RecipeCurvesView,
  }),
  'plateau-puzzle': cell<{ data: PlateauExample | null; error: string | null }>({
    title: 'What does a model on the plateau guess?',
    run: () => load<PlateauExample>('measured/plateau-example.json'),
    View: PuzzleView,
  }),
  'stall-ablation': cell<{ data: StallAblation | null; error: string | null }>({
    title: 'One change at a time: the ablation',
    run: () => load<StallAblation>('measured/stall-ablation.json'),
    View: AblationView,
  }),
};
