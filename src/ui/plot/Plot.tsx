/**
 * The one chart component of the lesson. Plotly arrives lazily; until then (or if it never
 * does) the reader gets a sized placeholder and the data table. Updates go through
 * Plotly.react, one chart an animation frame page-wide (draw-queue.ts), always with the
 * newest props.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { saveText } from './download.ts';
import { DataTable } from './DataTable.tsx';
import { enqueueDraw } from './draw-queue.ts';
import { PLOT_CONFIG, toPlotlyFigure } from './figure.ts';
import { canPaintLive, paintLive, withLegendAnchors, type PlotArea } from './live-canvas.ts';
import { loadPlotly, type PlotlyApi } from './plotly.ts';
import { useReducedMotion, useTheme } from './preferences.ts';
import { countPoints, deriveTable, toCsv } from './table.ts';
import { THEMES } from './theme.ts';
import type { PlotLayout, PlotTable, PlotTrace } from './types.ts';
import './plot.css';

export interface PlotProps {
  readonly traces: readonly PlotTrace[];
  readonly layout?: PlotLayout;
  /** What the chart shows, for screen readers (aria-label) and the table's caption. */
  readonly label: string;
  /** Download name without extension, e.g. 'accuracy-vs-t'. */
  readonly filename: string;
  /** The screen-reader table and CSV; derived from the traces when left out. */
  readonly table?: PlotTable;
  /** Pixels; the placeholder has the same height, so nothing jumps when Plotly arrives. */
  readonly height?: number;
  /** Least time between two draws, for charts fed many times a second (live training). */
  readonly minIntervalMs?: number;
  /**
   * Data is streaming in (live training): while the axes stay fixed, Plotly draws the frame
   * once and the lines are painted on a canvas over it every frame (live-canvas.ts). Plotly
   * draws everything again once this turns false.
   */
  readonly live?: boolean;
}

/** Plotly's private record of where the plot area sits, read to lay the live canvas over it. */
type PlotlyHost = HTMLDivElement & { _fullLayout?: { _size?: PlotArea } };

const NO_LAYOUT: PlotLayout = {};

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

export function Plot({ traces, layout = NO_LAYOUT, label, filename, table, height = 320, minIntervalMs = 0, live = false }: PlotProps) {
  const graph = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useTheme();
  const reducedMotion = useReducedMotion();
  const [plotly, setPlotly] = useState<PlotlyApi | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [drawnPoints, setDrawnPoints] = useState<number | null>(null); // null until the first draw
  const [tableOpen, setTableOpen] = useState(false);

  // What the next frame draws. Frames read it when they run, so a burst of updates
  // (or updates made while Plotly was still loading) draws once, with the newest data.
  const latest = useRef({ traces, layout, theme, reducedMotion, height });
  /** Cancels the draw waiting in the queue (or its throttle timer); null when none is pending. */
  const pending = useRef<(() => void) | null>(null);
  const lastDraw = useRef(-Infinity);
  // Bumped by every draw and by unmount: a draw that finishes late only reports if still newest.
  const version = useRef(0);
  /** The frame (frameKey) of Plotly's last draw, when the live canvas can paint over it; else null. */
  const drawnFrame = useRef<string | null>(null);
  /** True while the newest props are live and the canvas carries the lines. */
  const streaming = useRef(false);
  const paintRequest = useRef(0);

  /** Paint the newest traces on the live canvas, over the plot area of the frame Plotly drew. */
  const paint = useCallback(() => {
    paintRequest.current = 0;
    const gd = graph.current as PlotlyHost | null;
    const c = canvas.current;
    const area = gd?._fullLayout?._size;
    const now = latest.current;
    if (!streaming.current || drawnFrame.current === null) return; // Plotly has the data again
    const ctx = c?.getContext('2d');
    if (!gd || !c || !area || !ctx || !canPaintLive(now.traces, now.layout)) return;
    const ratio = window.devicePixelRatio || 1;
    Object.assign(c.style, { left: `${area.l}px`, top: `${area.t}px`, width: `${area.w}px`, height: `${area.h}px` });
    const [w, h] = [Math.round(area.w * ratio), Math.round(area.h * ratio)];
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
    paintLive(ctx, area, ratio, now.traces, now.layout, THEMES[now.theme]);
    gd.dataset.live = 'true'; // hides Plotly's own (stale) lines and hover: plot.css
    setDrawnPoints(countPoints(now.traces));
  }, []);

  const fail = useCallback((e: unknown) => {
    setFailure(describe(e));
    setTableOpen(true); // no chart, so show the numbers
  }, []);

  useEffect(() => {
    let live = true;
    loadPlotly().then(
      (p) => live && setPlotly(p),
      (e: unknown) => live && fail(e),
    );
    return () => {
      live = false;
    };
  }, [fail]);

  useEffect(() => {
    latest.current = { traces, layout, theme, reducedMotion, height };
    const gd = graph.current;
    if (!plotly || !gd) return;
    const paintable = canPaintLive(traces, layout);
    const frame = paintable ? frameKey(traces, layout, theme, height) : null;
    streaming.current = live && paintable;
    if (streaming.current && frame === drawnFrame.current) {
      // Only the data moved: repaint the canvas next frame, and leave Plotly alone.
      paintRequest.current ||= requestAnimationFrame(paint);
      return;
    }
    cancelAnimationFrame(paintRequest.current);
    paintRequest.current = 0;
    if (pending.current) return;
    const draw = () => {
      pending.current = null;
      lastDraw.current = performance.now();
      const now = latest.current;
      const v = ++version.current;
      const paintableNow = canPaintLive(now.traces, now.layout);
      // Wrapped so a synchronous throw (building the figure, or in Plotly) lands in the same place as a rejection.
      new Promise((done) => {
        // A series with no points yet still gets its legend entry, so the frame is final from the start.
        const shown = paintableNow ? withLegendAnchors(now.traces, now.layout) : now.traces;
        const figure = toPlotlyFigure(shown, now.layout, { theme: THEMES[now.theme], height: now.height, reducedMotion: now.reducedMotion, revision: v });
        done(plotly.react(gd, figure.data, figure.layout, PLOT_CONFIG));
      }).then(
        () => {
          if (v !== version.current) return;
          drawnFrame.current = paintableNow ? frameKey(now.traces, now.layout, now.theme, now.height) : null;
          if (streaming.current) return paint();
          // Plotly drew the data itself: the canvas steps aside.
          if (gd.dataset.live) {
            delete gd.dataset.live;
            canvas.current?.getContext('2d')?.clearRect(0, 0, canvas.current.width, canvas.current.height);
          }
          setDrawnPoints(countPoints(now.traces));
        },
        (e: unknown) => v === version.current && fail(e),
      );
    };
    const wait = lastDraw.current + minIntervalMs - performance.now();
    if (wait <= 0) {
      pending.current = enqueueDraw(draw);
    } else {
      let cancelDraw = () => {};
      const timer = setTimeout(() => (cancelDraw = enqueueDraw(draw)), wait);
      pending.current = () => {
        clearTimeout(timer);
        cancelDraw();
      };
    }
  }, [plotly, traces, layout, theme, reducedMotion, height, minIntervalMs, live, fail, paint]);

  // Follow the container's width (sidebars, window), then purge on unmount.
  useEffect(() => {
    const gd = graph.current;
    if (!plotly || !gd) return;
    let resizeFrame = 0;
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver(() => {
            if (resizeFrame || !version.current) return; // nothing drawn yet: the first draw sizes itself
            resizeFrame = requestAnimationFrame(() => {
              resizeFrame = 0;
              plotly.Plots
                .resize(gd)
                .then(() => paint()) // the plot area moved
                .catch(() => {}); // rejects while hidden; the next resize catches up
            });
          })
        : null;
    observer?.observe(gd);
    // The counter object itself, not its value now: the cleanup bumps it so late draws of this chart stand down.
    const drawVersion = version;
    return () => {
      observer?.disconnect();
      cancelAnimationFrame(resizeFrame);
      cancelAnimationFrame(paintRequest.current);
      paintRequest.current = 0;
      drawnFrame.current = null;
      pending.current?.();
      pending.current = null;
      drawVersion.current++;
      plotly.purge(gd);
    };
  }, [plotly, paint]);

  const tableData = useCallback(() => table ?? deriveTable(traces, layout), [table, traces, layout]);

  const downloadPng = () => {
    const gd = graph.current;
    if (!plotly || !gd) return;
    plotly
      .downloadImage(gd, { format: 'png', filename, width: gd.clientWidth || 800, height, scale: 2 })
      .catch(fail);
  };
  const downloadCsv = () => saveText(toCsv(tableData()), `${filename}.csv`, 'text/csv;charset=utf-8');

  const ready = drawnPoints !== null && !failure;
  return (
    <div className="plot">
      <div className="plot-stage" style={{ height }}>
        <div
          ref={graph}
          className="plot-graph"
          data-testid="plot"
          role={failure ? undefined : 'img'}
          aria-label={failure ? undefined : label}
          data-ready={ready ? 'true' : 'false'}
          data-points={drawnPoints ?? 0}
        />
        <canvas ref={canvas} className="plot-live" aria-hidden="true" />
        {failure ? (
          <p className="plot-error" role="alert">
            <span>
              The chart could not be drawn, but its numbers are in the data table below.
              <small>{failure}</small>
            </span>
          </p>
        ) : (
          !ready && (
            <div className="plot-placeholder" role="status">
              Loading chart…
            </div>
          )
        )}
      </div>
      <div className="plot-actions">
        {!failure && (
          <button type="button" onClick={downloadPng} disabled={!ready}>
            Download PNG
          </button>
        )}
        <button type="button" onClick={downloadCsv}>
          Download CSV
        </button>
      </div>
      <DataTable table={tableData} caption={label} open={tableOpen} onToggle={setTableOpen} />
    </div>
  );
}

/** What Plotly's frame depends on, besides the points: while it stays the same, the canvas can carry the lines. */
function frameKey(traces: readonly PlotTrace[], layout: PlotLayout, theme: string, height: number): string {
  const series = traces.map((t) => [t.type, t.name, t.type === 'scatter' ? [t.mode, t.color, t.dash] : null]);
  return JSON.stringify([series, layout, theme, height]);
}
