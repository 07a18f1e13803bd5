/**
 * "Train them here": a few variants of one recipe trained one after another
 * in the training worker, their live loss curves overlaid, and their accuracy
 * against t once each finishes. Shared by the challenges. The run belongs to
 * the page, not the view: leaving the section and coming back shows it still going.
 */
import { useState, useSyncExternalStore } from 'react';
import { pct } from '../../figures/Tokens.tsx';
import { LIVE_CHART_MS, Plot } from '../../plot/index.ts';
import { formatDuration } from '../../figures/format.ts';
import { movingAverage } from '../../../core/numeric.ts';
import { comparison, MAX_STEPS_EACH, type ComparisonSnapshot, type Variant, type VariantProgress } from './comparison.ts';

export interface TrainHereProps {
  /** The challenge's id: the comparison shown is only this challenge's. */
  readonly experiment: string;
  readonly recipe: string;
  readonly variants: readonly Variant[];
  readonly seed: number;
  readonly defaultSteps: number;
  /** Says what the loss curves can and cannot be compared on (objectives differ in scale). */
  readonly lossNote?: string;
}

function Status({ snap }: { snap: ComparisonSnapshot }) {
  const i = snap.variants.findIndex((v) => v.status === 'running');
  const running = snap.variants[i];
  const left = snap.variants.reduce((n, v) => n + (v.status === 'waiting' || v.status === 'running' ? snap.stepsEach - v.step : 0), 0);
  return (
    <p role="status" data-testid="comparison-status">
      {running ? `Training ${running.label} (${i + 1} of ${snap.variants.length}): step ${running.step} of ${snap.stepsEach}` : (snap.message ?? '')}
      {running && snap.stepsPerSec > 0 && `, ${snap.stepsPerSec.toFixed(1)} steps/s, about ${formatDuration(left / snap.stepsPerSec)} to go in all`}
      {running && snap.backend && ` (${snap.backend.name}${snap.backend.where === 'page' ? ', on the page' : ', in a background worker'})`}
    </p>
  );
}

function LiveLoss({ snap, note }: { snap: ComparisonSnapshot; note?: string }) {
  const started = snap.variants.filter((v) => v.losses.length > 0);
  if (started.length === 0) return null;
  const window = Math.min(50, Math.max(1, Math.floor(snap.stepsEach / 10)));
  return (
    <>
      <Plot
        traces={started.map((v) => ({
          type: 'scatter' as const,
          mode: 'lines' as const,
          x: v.losses.map((_, s) => s + 1),
          y: movingAverage(v.losses, window),
          name: v.label,
        }))}
        layout={{ xTitle: 'training step', yTitle: 'loss (nats), smoothed' }}
        label={`Live training loss of each variant, ${window}-step moving average, ${snap.stepsEach} steps each`}
        filename="comparison-live-loss"
        height={280}
        minIntervalMs={LIVE_CHART_MS}
      />
      {note && <p className="hint">{note}</p>}
    </>
  );
}

function FinalAccuracy({ variants }: { variants: readonly VariantProgress[] }) {
  const checked = variants.filter((v) => v.checkup !== null);
  if (checked.length === 0) return null;
  const t = [...checked[0].checkup!.t];
  return (
    <>
      <Plot
        traces={[
          ...checked.map((v) => ({
            type: 'scatter' as const,
            mode: 'lines+markers' as const,
            x: t,
            y: v.checkup!.accuracy.map((a) => 100 * a),
            name: `${v.label}, step ${v.checkup!.step}`,
          })),
          {
            type: 'scatter' as const,
            mode: 'lines' as const,
            x: t,
            y: checked[0].checkup!.best.map((a) => 100 * a),
            name: 'best possible',
            dash: 'dash' as const,
          },
        ]}
        layout={{ xTitle: 'masking ratio t', yTitle: 'accuracy at masked positions (%)', xRange: [0, 1], yRange: [0, 102] }}
        label="Accuracy against masking ratio of each variant trained here, at its last check-up, next to the best possible"
        filename="comparison-accuracy"
        height={280}
      />
      <ul data-testid="comparison-results">
        {checked.map((v) => (
          <li key={v.id}>
            {v.label} after {v.checkup!.step} steps: {v.checkup!.t.map((tv, j) => `${pct(v.checkup!.accuracy[j], 0)} at t = ${tv}`).join(', ')}.
          </li>
        ))}
      </ul>
    </>
  );
}

export function TrainHere({ experiment, recipe, variants, seed, defaultSteps, lossNote }: TrainHereProps) {
  const runner = comparison();
  const all = useSyncExternalStore(runner.subscribe, runner.getSnapshot);
  const [steps, setSteps] = useState(String(defaultSteps));
  const n = Number(steps);
  const valid = Number.isInteger(n) && n >= 1 && n <= MAX_STEPS_EACH;
  const mine = all.experiment === experiment;
  const snap = mine ? all : null;
  const busy = runner.busy();
  const inputId = `${experiment}-steps`;
  return (
    <section className="train-here" aria-label={`Train the ${variants.length} variants here`}>
      <div className="button-row">
        <label className="inline" htmlFor={inputId}>
          Steps for each
          <input
            id={inputId}
            value={steps}
            onChange={(e) => setSteps(e.target.value)}
            inputMode="numeric"
            size={6}
            disabled={busy}
            aria-invalid={!valid}
            data-testid="comparison-steps"
          />
        </label>
        {!(busy && mine) && (
          <button
            type="button"
            className="run"
            disabled={!valid || busy}
            onClick={() => void runner.start({ experiment, recipe, stepsEach: n, seed, variants })}
          >
            Train them here{valid ? ` (${variants.length} × ${n} steps)` : ''}
          </button>
        )}
        {busy && mine && (
          <button type="button" onClick={() => runner.cancel()} disabled={all.phase === 'cancelling'}>
            Cancel
          </button>
        )}
      </div>
      {!valid && (
        <p className="error" role="alert">
          Steps must be a whole number from 1 to {MAX_STEPS_EACH}.
        </p>
      )}
      {busy && !mine && <p className="hint">Another comparison on this page is training; this one can start when it ends or is cancelled.</p>}
      {snap && (
        <>
          <Status snap={snap} />
          <LiveLoss snap={snap} note={lossNote} />
          <FinalAccuracy variants={snap.variants} />
        </>
      )}
    </section>
  );
}
