/**
 * One live cell: Run (or Shift+Enter), a running indicator (with the time so far, and
 * progress and Cancel for long runs), its output, and its source on demand. A cell that
 * needs no input runs by itself the first time it scrolls into view. Runs are serialised page-wide so "Run all" goes in
 * reading order and two heavy cells never fight over the backend; a newer run
 * of the same cell always wins over an older one still in flight.
 */
import { startTransition, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { models } from '../models/index.ts';
import { ModelPicker } from '../models/ModelPicker.tsx';
import { useModelSnapshot } from '../models/use-model-snapshot.ts';
import type { CellContext, CellDef } from '../cells/types.ts';
import { formatDuration } from '../figures/format.ts';
import { CellBoundary } from './CellBoundary.tsx';
import { SourceView } from './SourceView.tsx';
import { useSeen } from '../figures/use-seen.ts';
import { useElapsed } from './use-cell-timing.ts';
import { errorMessage } from '../../core/error-message.ts';

let queue: Promise<unknown> = Promise.resolve();
function serially<T>(job: () => Promise<T>): Promise<T> {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  return next;
}

interface Done {
  kind: 'done';
  out: unknown;
  ctx: CellContext;
  /** The model version the run started with. */
  modelVersion: number;
}

type State =
  | { kind: 'idle' }
  // A re-run keeps the previous output on screen (and the view's own state: slider positions, typed values).
  // `started` is false while the run waits its turn behind others (Run all queues every cell at once).
  | { kind: 'running'; prev: Done | null; since: number; started: boolean }
  | Done
  | { kind: 'error'; message: string }
  | { kind: 'cancelled'; prev: Done | null };

export interface CellProps {
  readonly id: string;
  readonly def: CellDef;
  readonly seed: number;
  /** Changes when the cell should run (Run all, a projector auto-run, a re-run after reload); 0 = don't. */
  readonly runSignal: number;
  /** Run once by itself the first time the cell is on screen (cells that need no input). */
  readonly runWhenSeen?: boolean;
  readonly showCodeByDefault: boolean;
  readonly onRan: (id: string) => void;
}

export function Cell({ id, def, seed, runSignal, runWhenSeen = false, showCodeByDefault, onRan }: CellProps) {
  const [state, setState] = useState<State>({ kind: 'idle' });
  /** How far a long run is, 0..1; null when it has not said. */
  const [progress, setProgress] = useState<number | null>(null);
  const [showCode, setShowCode] = useState(showCodeByDefault);
  const model = useModelSnapshot();
  const version = useRef(0);
  const controller = useRef<AbortController | null>(null);
  const needsModel = def.needsModel === true && model.label === null;

  const run = useCallback(() => {
    const mine = ++version.current;
    controller.current?.abort();
    const ac = new AbortController();
    controller.current = ac;
    setState((s) => ({
      kind: 'running',
      prev: s.kind === 'done' ? s : s.kind === 'running' || s.kind === 'cancelled' ? s.prev : null,
      since: Date.now(),
      started: false,
    }));
    setProgress(null);
    const ctx: CellContext = {
      seed,
      signal: ac.signal,
      progress: (done, total) => {
        if (mine === version.current && total > 0) setProgress(Math.min(1, done / total));
      },
    };
    void serially(async () => {
      if (mine !== version.current || ac.signal.aborted) return; // superseded or unmounted while queued
      setState((s) => (s.kind === 'running' ? { ...s, started: true, since: Date.now() } : s));
      const modelVersion = models.getSnapshot().version;
      try {
        const out = await def.run(ctx);
        if (mine === version.current) {
          // A transition: React renders a big output (a table of predictions, a chart's
          // data) in slices, between which the page answers clicks.
          startTransition(() => setState({ kind: 'done', out, ctx, modelVersion }));
          onRan(id);
        }
      } catch (e) {
        if (mine === version.current && !ac.signal.aborted) {
          setState({ kind: 'error', message: errorMessage(e) });
        }
      }
    });
  }, [def, seed, id, onRan]);

  /** Stop a long run: its computation is cancelled and the previous output, if any, stays. */
  const cancel = useCallback(() => {
    version.current++;
    controller.current?.abort();
    setState((s) => (s.kind === 'running' ? { kind: 'cancelled', prev: s.prev } : s));
  }, []);

  // Abort whatever is in flight when the cell goes away.
  useEffect(() => () => controller.current?.abort(), []);

  // Runs requested from outside (Run all, projector, reload). One asked for before any model
  // was loaded waits for it: an instructor who opens Results and then loads a checkpoint
  // sees the outputs without pressing Run on every cell.
  const waitingForModel = useRef(false);
  // The effect below reacts to a new signal only, not to a new `run` or model: it reads those through a ref.
  const latest = useRef({ run, needsModel });
  useEffect(() => {
    latest.current = { run, needsModel };
  });
  useEffect(() => {
    if (runSignal > 0 && latest.current.needsModel) waitingForModel.current = true;
    else if (runSignal > 0) latest.current.run();
  }, [runSignal]);
  useEffect(() => {
    if (needsModel || !waitingForModel.current) return;
    waitingForModel.current = false;
    run();
  }, [needsModel, run]);

  // Cells that need no input run the first time they are seen.
  const article = useRef<HTMLElement>(null);
  const seen = useSeen(article, runWhenSeen && !def.live);
  const ranOnSight = useRef(false);
  useEffect(() => {
    if (!seen || ranOnSight.current || needsModel) return;
    ranOnSight.current = true;
    if (state.kind === 'idle') run();
  }, [seen, needsModel, state.kind, run]);
  // Queued behind other cells, a cell changes nothing but its state (a badge drawn by CSS): Run all
  // turns every cell of the lesson at once, and a "Running…" line and a Cancel button in each cost
  // one frame a full layout of the page (50-80 ms on a 2-core laptop). Only the cell that runs shows them.
  const started = state.kind === 'running' && state.started;
  const queued = state.kind === 'running' && !state.started;
  const elapsed = useElapsed(started ? state.since : null);

  // A new seed redraws what this cell shows or is computing (a run in flight with the old seed is superseded).
  const lastSeed = useRef(seed);
  useEffect(() => {
    if (lastSeed.current !== seed && (state.kind === 'done' || state.kind === 'running') && !def.live) run();
    lastSeed.current = seed;
  }, [seed, state.kind, run, def.live]);

  const onKeyDown = (e: KeyboardEvent) => {
    // Live cells (the editor, the loss curve) have nothing to re-run; the editor keeps Shift+Enter for itself,
    // and so do form fields inside a cell.
    const field = e.target instanceof HTMLElement && (['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName) || e.target.isContentEditable);
    if (e.key === 'Enter' && e.shiftKey && !def.live && !field) {
      e.preventDefault();
      if (!needsModel && state.kind !== 'running') run();
    }
  };

  const View = def.View;
  const titleId = `cell-${id}-title`;
  const shown = state.kind === 'done' ? state : state.kind === 'running' || state.kind === 'cancelled' ? state.prev : null;
  // The same element while the output is the same: the cell re-renders every second while it
  // runs (its clock) and whenever the model changes, and a big view need not render with it.
  const output = useMemo(() => shown && <View out={shown.out} ctx={shown.ctx} />, [View, shown]);
  const stale = def.needsModel && state.kind === 'done' && state.modelVersion !== model.version;
  return (
    <article
      ref={article}
      className="cell"
      data-cell={id}
      data-state={queued ? 'queued' : state.kind}
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
    >
      <header className="cell-head">
        <h3 id={titleId}>{def.title}</h3>
        <div className="cell-actions">
          {def.source && (
            <button type="button" className="quiet code-toggle" aria-expanded={showCode} onClick={() => setShowCode((s) => !s)}>
              {showCode ? 'Hide code' : 'Show code'}
            </button>
          )}
          {!def.live && started && (
            <button type="button" onClick={cancel}>
              Cancel
            </button>
          )}
          {!def.live && (
            <button
              type="button"
              className="run"
              onClick={run}
              disabled={needsModel || state.kind === 'running'}
              aria-keyshortcuts="Shift+Enter"
              title="Run (Shift+Enter)"
            >
              {state.kind === 'done' || state.kind === 'error' || state.kind === 'cancelled' ? 'Run again' : 'Run'}
            </button>
          )}
        </div>
      </header>
      {showCode && def.source && <SourceView load={def.source} />}
      <div className="cell-output" aria-live="polite">
        {needsModel && <ModelPicker />}
        {!needsModel && state.kind === 'idle' && (
          <p className="hint">
            {runWhenSeen ? 'Runs when it comes into view.' : 'Not run yet. Press Run, or Shift+Enter while this cell has focus.'}
          </p>
        )}
        {started && (
          <p className="running" role="status">
            <span className="spinner" aria-hidden="true" /> Running…
            {progress !== null && (
              <>
                {' '}
                <progress max={1} value={progress} aria-label={`${def.title}: progress`} /> {Math.round(100 * progress)}%
              </>
            )}
            {/* The time so far ticks for the eye only: a screen reader hears "Running…" once, not every second. */}
            {elapsed >= 2 && (
              <span className="num" aria-hidden="true">
                {' '}
                {formatDuration(elapsed, 'clock')}
              </span>
            )}
          </p>
        )}
        {state.kind === 'cancelled' && (
          <p className="hint">Cancelled.{state.prev ? ' The output below is from the run before.' : ''} Press Run again to start it anew.</p>
        )}
        {state.kind === 'error' && (
          <p className="error" role="alert">
            This cell failed: {state.message}
          </p>
        )}
        {stale && <p className="hint">This output is from an earlier model. Run again to use the current one ({model.label}).</p>}
        {shown && !needsModel && <CellBoundary output={shown.out}>{output}</CellBoundary>}
      </div>
    </article>
  );
}
