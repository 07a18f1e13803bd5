/** Section 8: train live here, or load a shipped checkpoint; watch the loss. */
import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore, type FocusEvent } from 'react';
import { exactBestPossibleAccuracy } from '../../core/bayes.ts';
import { describeBackend } from '../../core/backend.ts';
import { learningRates } from '../../core/optim.ts';
import { RECIPES } from '../../core/recipes.ts';
import { models, startEngine } from '../engine.ts';
import { liveTraining, MAX_LIVE_STEPS, type Checkup } from '../live-training.ts';
import { CHECK_T } from '../../worker/session.ts';
import { ModelPicker } from '../notebook/Cell.tsx';
import { Plot, type PlotLayout, type PlotTrace } from '../plot/index.ts';
import { plateauCells } from './plateau.tsx';
import { cell } from './types.ts';

function formatSeconds(sec: number): string {
  if (sec < 90) return `${Math.round(sec)} s`;
  if (sec < 5400) return `${Math.round(sec / 60)} min`;
  return `${(sec / 3600).toFixed(1)} h`;
}

function ModelSource({ out }: { out: { backend: string; seed: number } }) {
  const model = useSyncExternalStore(models.subscribe, models.getSnapshot);
  const live = useSyncExternalStore(liveTraining.subscribe, liveTraining.getSnapshot);
  const [recipe, setRecipe] = useState('learns');
  const [steps, setSteps] = useState(String(RECIPES.learns.steps));
  const n = Number(steps);
  const validSteps = Number.isInteger(n) && n >= 1 && n <= MAX_LIVE_STEPS;
  const busy = live.phase === 'running' || live.phase === 'measuring';
  const active = busy || live.phase === 'paused';
  const trainsOn = live.backend?.name ?? out.backend;
  const eta = live.phase === 'running' && live.stepsPerSec > 0 ? (live.totalSteps - live.step) / live.stepsPerSec : null;
  useEffect(() => {
    if (validSteps) liveTraining.planRun(recipe, n);
  }, [recipe, n, validSteps]);
  // Start, Pause/Resume and Stop replace one another as a run starts and ends: when the
  // button that had focus goes, focus moves to the one that takes its place, instead of
  // falling back to the page.
  const controls = useRef<HTMLDivElement>(null);
  const hadFocus = useRef(false);
  useEffect(() => {
    const box = controls.current;
    if (!box) return;
    const focused = document.activeElement;
    if (hadFocus.current && (!focused || focused === document.body)) box.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    hadFocus.current = box.contains(document.activeElement);
  });
  const onControlsFocus = () => (hadFocus.current = true);
  // Focus moved elsewhere on purpose (not a button vanishing under it): let it go.
  const onControlsBlur = (e: FocusEvent) => {
    if (e.target.isConnected && !controls.current?.contains(e.relatedTarget)) hadFocus.current = false;
  };
  return (
    <div>
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
      </div>
      <h4>
        Train one here{' '}
        <span className="badge" data-testid="train-backend" title={describeBackend(trainsOn)}>
          {trainsOn}
          {live.backend?.where === 'page' ? ', on the page' : ''}
        </span>
      </h4>
      <p className="hint">
        {describeBackend(trainsOn)}
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
            {Object.entries(RECIPES).map(([name, r]) => (
              <option key={name} value={name}>
                {name}: {r.description}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          Steps
          <input value={steps} onChange={(e) => setSteps(e.target.value)} inputMode="numeric" size={6} disabled={active} aria-invalid={!validSteps} />
        </label>
      </div>
      <div className="button-row" ref={controls} onFocus={onControlsFocus} onBlur={onControlsBlur}>
        {!active && (
          <>
            <button type="button" className="run" disabled={!validSteps} onClick={() => void liveTraining.start(recipe, n, out.seed)}>
              Train {validSteps ? n : ''} steps
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
      {live.interrupted && live.phase === 'idle' && (
        <div className="interrupted" role="status" data-testid="train-interrupted">
          A run of the {live.interrupted.recipe} recipe was interrupted; it was saved at step {live.interrupted.step} of {live.interrupted.totalSteps}.{' '}
          <button type="button" className="run" onClick={() => void liveTraining.resumeSaved()}>
            Resume it
          </button>{' '}
          <button type="button" onClick={() => liveTraining.discardSaved()}>
            Discard it
          </button>
        </div>
      )}
      {!validSteps && <p className="error" role="alert">Steps must be a whole number from 1 to {MAX_LIVE_STEPS}.</p>}
      {live.secPerStep !== null && validSteps && !active && (
        <p data-testid="train-estimate">
          Measured here: about {live.secPerStep.toFixed(2)} s a step, so {n} steps take about {formatSeconds(n * live.secPerStep)}.
        </p>
      )}
      {(live.phase === 'running' || live.phase === 'paused') && (
        <div data-testid="train-progress">
          {/* The line below changes every step; screen readers hear only every tenth of the run. */}
          <span className="visually-hidden" role="status">
            {live.phase === 'paused' ? 'Paused' : `${Math.floor((10 * live.step) / Math.max(1, live.totalSteps)) * 10}% of the steps done`}
          </span>
          <progress max={live.totalSteps} value={live.step} aria-label="Training progress" />{' '}
          Step {live.step} of {live.totalSteps}
          {live.losses.length > 0 && `, loss ${live.losses[live.losses.length - 1].toFixed(3)}`}
          {live.phase === 'running' && live.stepsPerSec > 0 && `, ${live.stepsPerSec.toFixed(2)} steps/s`}
          {eta !== null && `, about ${formatSeconds(eta)} to go`}
        </div>
      )}
      {live.message && <p data-testid="train-message">{live.message}</p>}
      {live.phase === 'done' && live.losses.length > 0 && (
        <p>
          Last loss <span data-testid="last-loss">{live.losses[live.losses.length - 1].toFixed(4)}</span> nats after {live.losses.length} steps of the {live.recipe} recipe.
        </p>
      )}
      {live.summary && <p data-testid="train-summary">{live.summary}</p>}
    </div>
  );
}

/** Save the current model as safetensors: it loads in `unmask eval` and in the notebook (model.load_state_dict). */
async function saveCurrent(label: string): Promise<void> {
  const blob = await models.download();
  if (!blob) return;
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `unmask-${label.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60)}.safetensors`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Moving average over `window` steps (the notebook smooths over 50). */
function smooth(xs: readonly number[], window: number): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < xs.length; i++) {
    sum += xs[i];
    if (i >= window) sum -= xs[i - window];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}

/** The notebook smooths its loss curve over 50 steps; the first 49 points average what there is. */
const SMOOTHING = 50;

/** The best-possible accuracy (%) at the check-up ratios: exact, and computed once, not on every progress message. */
let bestPossible: number[] | null = null;
const bestPossiblePercent = () => (bestPossible ??= CHECK_T.map((t) => 100 * exactBestPossibleAccuracy(t)));

/** Live charts redraw at most this often: a Plotly draw costs tens of milliseconds on a slow laptop. */
const LIVE_CHART_MS = 250;

function LossCurve() {
  const live = useSyncExternalStore(liveTraining.subscribe, liveTraining.getSnapshot);
  // Before a run, the charts already show the planned run's frame (its steps, its schedule),
  // so starting it redraws nothing: Plotly's first draw of a chart is its slowest.
  const run = live.phase !== 'idle' || live.losses.length > 0;
  const recipe = run ? live.recipe ?? live.plan.recipe : live.plan.recipe;
  const totalSteps = run ? live.totalSteps : live.plan.totalSteps;
  const lrs = useSchedule(run ? live.lrs : null, live.plan.recipe, live.plan.totalSteps);
  const streaming = live.phase === 'running';
  const steps = live.losses.map((_, i) => i + 1);
  // Axes fixed for the whole run: nothing jumps as points arrive, and the lines can go on the live canvas.
  const lossTop = Math.max(3, Math.ceil(Math.max(0, ...live.losses.slice(0, 20)) * 2) / 2);
  const schedule = useMemo(() => scheduleLine(lrs), [lrs]);
  return (
    <div>
      {live.losses.length === 0 && (
        <p className="hint">
          No live run yet. Start one above and the loss appears here step by step, with the learning rate and an accuracy check-up every few hundred steps. The
          three recipes' precomputed runs, further down this section, show what to expect.
        </p>
      )}
      <Plot
        traces={[
          { type: 'scatter', mode: 'lines', x: steps, y: [...live.losses], name: 'loss per step' },
          { type: 'scatter', mode: 'lines', x: steps, y: smooth(live.losses, SMOOTHING), name: `moving average (${SMOOTHING} steps)` },
        ]}
        layout={{ xTitle: 'training step', yTitle: 'loss (nats)', xRange: [0, totalSteps], yRange: [0, lossTop] }}
        label={live.losses.length > 0 ? `Training loss over ${live.losses.length} steps of the ${recipe} recipe` : `Training loss of the ${recipe} recipe: no steps yet`}
        filename="training-loss"
        height={300}
        minIntervalMs={LIVE_CHART_MS}
        live={streaming}
      />
      <Plot
        traces={[
          schedule.line,
          { type: 'scatter', mode: 'markers', x: [Math.max(1, live.step)], y: [lrs[Math.max(0, live.step - 1)]], name: 'now' },
        ]}
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
  // The run's series keeps one name (the step is in the label), so a check-up changes no legend
  // and, while the run streams, only repaints the live canvas.
  const traces = useMemo<PlotTrace[]>(
    () => [
      { type: 'scatter', mode: 'lines+markers', x: last ? [...last.t] : [], y: last ? last.accuracy.map((a) => 100 * a) : [], name: 'this run' },
      { type: 'scatter', mode: 'lines', x: [...CHECK_T], y: bestPossiblePercent(), name: 'best possible', dash: 'dash' },
    ],
    [last],
  );
  return (
    <Plot
      traces={traces}
      layout={ACCURACY_LAYOUT}
      label={last ? `Accuracy against masking ratio at step ${last.step}, next to the best possible` : 'Accuracy against masking ratio: the best possible, until the first check-up of this run'}
      filename="training-accuracy"
      height={280}
      live={live}
    />
  );
});

const ACCURACY_LAYOUT: PlotLayout = { xTitle: 'masking ratio t', yTitle: 'accuracy at masked positions (%)', xRange: [0, 1], yRange: [0, 102], showLegend: true };

export const cells = {
  'model-source': cell<{ backend: string; seed: number }>({
    title: 'Choose a model',
    source: () => import('../../core/training.ts?raw'),
    run: async ({ seed }) => {
      const backend = (await startEngine()).name;
      await liveTraining.checkSaved();
      return { backend, seed };
    },
    View: ModelSource,
  }),
  'loss-curve': cell<null>({ title: 'Watching it learn', live: true, run: () => null, View: LossCurve }),
  ...plateauCells,
};
