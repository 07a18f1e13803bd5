/** Section 8: train live here, or load a shipped checkpoint; watch the loss. */
import { memo, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { movingAverage } from '../../core/numeric.ts';
import { learningRates } from '../../core/optim.ts';
import { RECIPES } from '../../core/recipes.ts';
import { CHECK_T } from '../../worker/protocol.ts';
import { describeBackend } from '../backend/backend-request.ts';
import { formatDuration } from '../figures/format.ts';
import { backends, compute, models } from '../models/index.ts';
import { ModelPicker } from '../models/ModelPicker.tsx';
import { useModelSnapshot } from '../models/use-model-snapshot.ts';
import { openInPyTorch } from '../models/open-in-pytorch.ts';
import { LIVE_CHART_MS, Plot, type PlotLayout, type PlotTrace } from '../plot/index.ts';
import { DEFAULT_RECIPE, liveTraining, stepsProblem, type Checkup, type TrainingSnapshot } from '../training/index.ts';
import { useFocusFollowsControls } from '../training/use-focus-follows.ts';
import { plateauCells } from './plateau.tsx';
import { cell } from './types.ts';

/** The model the lesson uses now: a shipped checkpoint, an upload, or the last run; and the download. */
function ModelChoice() {
  const model = useModelSnapshot();
  return (
    <>
      <p>
        Current model: <strong data-testid="model-label">{model.label ?? 'none yet'}</strong>
      </p>
      <ModelPicker trainingLink={false} />
      <div className="button-row">
        <label className="button-link file-pick">
          Upload weights (.safetensors)
          <input
            type="file"
            accept=".safetensors,application/octet-stream"
            className="visually-hidden"
            data-testid="upload-weights"
            onChange={(e) => {
              const file = e.target.files?.[0];
              e.target.value = ''; // the same file can be chosen again after fixing it
              if (file) void models.loadFile(file);
            }}
          />
        </label>
        <button type="button" disabled={model.label === null} onClick={() => void saveCurrent(model.label ?? 'model')}>
          Download the current model
        </button>
        <button
          type="button"
          disabled={model.label === null}
          onClick={() => void openInPyTorch()}
          title="A Jupyter notebook that rebuilds this model in PyTorch and measures it"
        >
          Open in PyTorch (.ipynb)
        </button>
      </div>
    </>
  );
}

/** Where training runs, the recipe and length of the next run, and its controls while it runs. */
function RunControls({ seed }: { seed: number }) {
  const live = useSyncExternalStore(liveTraining.subscribe, liveTraining.getSnapshot);
  const choice = useSyncExternalStore(backends.subscribe, backends.getSnapshot);
  const [recipe, setRecipe] = useState(DEFAULT_RECIPE);
  const [steps, setSteps] = useState(String(RECIPES[DEFAULT_RECIPE].steps));
  const n = Number(steps);
  const stepsWrong = stepsProblem(n);
  const busy = live.phase === 'running' || live.phase === 'measuring';
  const active = busy || live.phase === 'paused';
  // Before the first run: the backend training will start on, as measured in section 0.
  const trainsOn = live.backend?.name ?? choice.choice?.name ?? backends.order()[0];
  const eta = live.phase === 'running' && live.stepsPerSec > 0 ? (live.totalSteps - live.step) / live.stepsPerSec : null;
  useEffect(() => {
    if (stepsProblem(n) === null) liveTraining.planRun(recipe, n);
  }, [recipe, n]);
  const focus = useFocusFollowsControls();
  const lastLoss = lastDefined(live.losses);
  return (
    <>
      <h4>
        Train one here{' '}
        <span className="badge" data-testid="train-backend" title={describeBackend(trainsOn)}>
          {trainsOn}
          {live.backend?.where === 'page' ? ', on the page' : ''}
        </span>
      </h4>
      <p className="hint">
        {describeBackend(trainsOn, choice.timings?.find((t) => t.name === trainsOn)?.software ?? false)}
        {live.backend?.where === 'worker' && ' Training runs in a background worker, so the lesson stays responsive while it learns.'}
      </p>
      {/* Always mounted, so screen readers announce a notice when it appears. */}
      <div role="status">
        {live.notice && (
          <p className="notice" data-testid="train-notice">
            {live.notice}
          </p>
        )}
      </div>
      <div className="button-row">
        <label className="inline">
          Recipe
          <select
            value={recipe}
            onChange={(e) => {
              setRecipe(e.target.value);
              setSteps(String(RECIPES[e.target.value].steps));
            }}
            disabled={active}
          >
            {Object.keys(RECIPES).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {/* The description beside the menu, not in each option: an option is as wide as its longest text. */}
        <span className="hint recipe-description">{RECIPES[recipe].description}</span>
        <label className="inline">
          Steps
          <input
            value={steps}
            onChange={(e) => setSteps(e.target.value)}
            inputMode="numeric"
            size={6}
            disabled={active}
            aria-invalid={stepsWrong !== null}
          />
        </label>
      </div>
      <div className="button-row" {...focus}>
        {!active && (
          <>
            <button type="button" className="run" disabled={stepsWrong !== null} onClick={() => void liveTraining.start(recipe, n, seed)}>
              Train {stepsWrong === null ? n : ''} steps
            </button>
            <button type="button" onClick={() => void liveTraining.measure(recipe)}>
              Estimate the time
            </button>
          </>
        )}
        {live.phase === 'measuring' && <span role="status">Timing a few steps…</span>}
        {(live.phase === 'running' || live.phase === 'paused') && (
          // One button that turns from Pause into Resume and back, so keyboard focus stays on it.
          <button
            type="button"
            className={live.phase === 'paused' ? 'run' : undefined}
            onClick={live.phase === 'paused' ? () => void liveTraining.resume() : () => liveTraining.pause()}
          >
            {live.phase === 'paused' ? 'Resume' : 'Pause'}
          </button>
        )}
        {(live.phase === 'running' || live.phase === 'paused') && (
          <button type="button" onClick={() => liveTraining.stop()}>
            Stop (keeps the weights so far)
          </button>
        )}
      </div>
      {live.interrupted && live.phase !== 'running' && live.phase !== 'paused' && (
        <div className="interrupted" role="status" data-testid="train-interrupted">
          A run of the {live.interrupted.recipe} recipe was interrupted; it was saved at step {live.interrupted.step} of {live.interrupted.totalSteps}
          .{' '}
          <button type="button" className="run" onClick={() => void liveTraining.resumeSaved()}>
            Resume it
          </button>{' '}
          <button type="button" onClick={() => liveTraining.discardSaved()}>
            Discard it
          </button>
        </div>
      )}
      {stepsWrong !== null && (
        <p className="error" role="alert">
          {stepsWrong}
        </p>
      )}
      {live.secPerStep !== null && stepsWrong === null && !active && (
        <p data-testid="train-estimate">
          Measured here: about {live.secPerStep.toFixed(2)} s a step, so {n} steps take about {formatDuration(n * live.secPerStep)}.
        </p>
      )}
      {(live.phase === 'running' || live.phase === 'paused') && <Progress live={live} eta={eta} lastLoss={lastLoss} />}
      {live.message && <p data-testid="train-message">{live.message}</p>}
      {live.phase === 'done' && lastLoss !== null && (
        <p>
          Last loss <span data-testid="last-loss">{lastLoss.toFixed(4)}</span> nats after {live.losses.length} steps of the {live.recipe} recipe.
        </p>
      )}
      {live.summary && <p data-testid="train-summary">{live.summary}</p>}
    </>
  );
}

function Progress({ live, eta, lastLoss }: { live: TrainingSnapshot; eta: number | null; lastLoss: number | null }) {
  return (
    <div data-testid="train-progress">
      {/* The line below changes every step; screen readers hear only every tenth of the run. */}
      <span className="visually-hidden" role="status">
        {live.phase === 'paused' ? 'Paused' : `${Math.floor((10 * live.step) / Math.max(1, live.totalSteps)) * 10}% of the steps done`}
      </span>
      <progress max={live.totalSteps} value={live.step} aria-label="Training progress" /> Step {live.step} of {live.totalSteps}
      {lastLoss !== null && `, loss ${lastLoss.toFixed(3)}`}
      {live.phase === 'running' && live.stepsPerSec > 0 && `, ${live.stepsPerSec.toFixed(2)} steps/s`}
      {eta !== null && `, about ${formatDuration(eta)} to go`}
    </div>
  );
}

function lastDefined(xs: readonly (number | null)[]): number | null {
  for (let i = xs.length - 1; i >= 0; i--) if (xs[i] !== null) return xs[i];
  return null;
}

function ModelSource({ out }: { out: { seed: number } }) {
  return (
    <div>
      <ModelChoice />
      <RunControls seed={out.seed} />
    </div>
  );
}

/** Save the current model as safetensors: it loads in `unmask eval` and in the notebook (model.load_state_dict). */
async function saveCurrent(label: string): Promise<void> {
  const blob = await models.download();
  if (!blob) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `unmask-${label
    .replace(/[^a-z0-9]+/gi, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
    .slice(0, 60)}.safetensors`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** The notebook smooths its loss curve over 50 steps; the first 49 points average what there is. */
const SMOOTHING = 50;

/**
 * The best-possible accuracy (%) at the check-up ratios: exact, computed once in the compute
 * worker (its first call enumerates every mask class: seconds of a slow CPU, not the page's).
 */
let bestPossible: Promise<number[]> | null = null;
function useBestPossiblePercent(): number[] {
  const [percent, setPercent] = useState<number[]>([]);
  useEffect(() => {
    let live = true;
    bestPossible ??= compute.run('bestPossible', { t: CHECK_T }, { model: null }).then((acc) => acc.map((a) => 100 * a));
    bestPossible.then(
      (p) => live && setPercent(p),
      () => (bestPossible = null), // a failed start is tried again by the next chart
    );
    return () => {
      live = false;
    };
  }, []);
  return percent;
}

function LossCurve() {
  const live = useSyncExternalStore(liveTraining.subscribe, liveTraining.getSnapshot);
  // Before a run, the charts already show the planned run's frame (its steps, its schedule),
  // so starting it redraws nothing: Plotly's first draw of a chart is its slowest.
  const run = live.phase !== 'idle' || live.losses.length > 0;
  const recipe = run ? (live.recipe ?? live.plan.recipe) : live.plan.recipe;
  const totalSteps = run ? live.totalSteps : live.plan.totalSteps;
  const lrs = useSchedule(run ? live.lrs : null, live.plan.recipe, live.plan.totalSteps);
  const streaming = live.phase === 'running';
  const steps = live.losses.map((_, i) => i + 1);
  // Axes fixed for the whole run: nothing jumps as points arrive, and the lines can go on the live canvas.
  const early = live.losses.slice(0, 20).filter((l): l is number => l !== null);
  const lossTop = Math.max(3, Math.ceil(Math.max(0, ...early) * 2) / 2);
  const schedule = useMemo(() => scheduleLine(lrs), [lrs]);
  return (
    <div>
      {live.losses.length === 0 && (
        <p className="hint">
          No live run yet. Start one above and the loss appears here step by step, with the learning rate and an accuracy check-up every few hundred
          steps. The recipes' precomputed runs, further down this section, show what to expect.
        </p>
      )}
      <Plot
        traces={[
          { type: 'scatter', mode: 'lines', x: steps, y: [...live.losses], name: 'loss per step' },
          { type: 'scatter', mode: 'lines', x: steps, y: movingAverage(live.losses, SMOOTHING), name: `moving average (${SMOOTHING} steps)` },
        ]}
        layout={{ xTitle: 'training step', yTitle: 'loss (nats)', xRange: [0, totalSteps], yRange: [0, lossTop] }}
        label={
          live.losses.length > 0
            ? `Training loss over ${live.losses.length} steps of the ${recipe} recipe`
            : `Training loss of the ${recipe} recipe: no steps yet`
        }
        filename="training-loss"
        height={300}
        minIntervalMs={LIVE_CHART_MS}
        live={streaming}
      />
      <Plot
        traces={[schedule.line, { type: 'scatter', mode: 'markers', x: [Math.max(1, live.step)], y: [lrs[Math.max(0, live.step - 1)]], name: 'now' }]}
        layout={{ xTitle: 'training step', yTitle: 'learning rate', xRange: [0, totalSteps], yRange: [0, 1.05 * schedule.top] }}
        label={`The ${recipe} recipe's learning-rate schedule over ${totalSteps} steps`}
        filename="learning-rate"
        height={220}
        minIntervalMs={LIVE_CHART_MS}
        live={streaming}
      />
      <AccuracyChart last={live.checkups.at(-1)} live={streaming} />
    </div>
  );
}

/** The schedule as a line: it changes with the plan, not with every progress message, and needs no more than ~300 points. */
function scheduleLine(lrs: readonly number[]): { line: PlotTrace; top: number } {
  const every = Math.max(1, Math.floor(lrs.length / 300));
  const steps = lrs.map((_, i) => i + 1).filter((_, i) => i % every === 0);
  return { line: { type: 'scatter', mode: 'lines', x: steps, y: steps.map((s) => lrs[s - 1]), name: 'learning rate' }, top: Math.max(...lrs) };
}

/** The run's learning-rate schedule, or the planned run's, computed once per plan. */
function useSchedule(running: readonly number[] | null, recipe: string, totalSteps: number): readonly number[] {
  const planned = useMemo(() => learningRates((RECIPES[recipe] ?? RECIPES.learns).schedule, totalSteps), [recipe, totalSteps]);
  return running && running.length > 0 ? running : planned;
}

/**
 * Accuracy against masking ratio at the latest check-up. Drawn from the start (the best
 * possible only), so a check-up updates a chart instead of creating one mid-run; memoised,
 * so the progress messages in between redraw nothing.
 */
const AccuracyChart = memo(function AccuracyChart({ last, live }: { last: Checkup | undefined; live: boolean }) {
  const best = useBestPossiblePercent();
  // The run's series keeps one name (the step is in the label), so a check-up changes no legend
  // and, while the run streams, only repaints the live canvas.
  const traces = useMemo<PlotTrace[]>(
    () => [
      { type: 'scatter', mode: 'lines+markers', x: last ? [...last.t] : [], y: last ? last.accuracy.map((a) => 100 * a) : [], name: 'this run' },
      { type: 'scatter', mode: 'lines', x: best.length > 0 ? [...CHECK_T] : [], y: best, name: 'best possible', dash: 'dash' },
    ],
    [last, best],
  );
  return (
    <Plot
      traces={traces}
      layout={ACCURACY_LAYOUT}
      label={
        last
          ? `Accuracy against masking ratio at step ${last.step}, next to the best possible`
          : 'Accuracy against masking ratio: the best possible, until the first check-up of this run'
      }
      filename="training-accuracy"
      height={280}
      live={live}
    />
  );
});

const ACCURACY_LAYOUT: PlotLayout = {
  xTitle: 'masking ratio t',
  yTitle: 'accuracy at masked positions (%)',
  xRange: [0, 1],
  yRange: [0, 102],
  showLegend: true,
};

export const cells = {
  'model-source': cell<{ seed: number }>({
    title: 'Choose a model',
    source: () => import('../../core/training.ts?raw'),
    run: async ({ seed }) => {
      // Measure the backends first (once per device), so the badge names where training will run.
      await compute.ready().catch(() => undefined);
      await liveTraining.checkSaved();
      return { seed };
    },
    View: ModelSource,
  }),
  'loss-curve': cell<null>({ title: 'Watching it learn', live: true, run: () => null, View: LossCurve }),
  ...plateauCells,
};
