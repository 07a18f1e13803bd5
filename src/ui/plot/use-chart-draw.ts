/**
 * Drawing one chart: Plotly.react through the chart's DrawScheduler (one draw a frame
 * page-wide, throttled to the chart's interval, always with the newest props) once the
 * chart is near the screen, the live canvas while data streams, following the
 * container's size, and a purge on unmount.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { DrawScheduler } from './draw-scheduler.ts';
import { PLOT_CONFIG, toPlotlyFigure } from './figure.ts';
import { canPaintLive, withLegendAnchors } from './live-canvas.ts';
import { frameKey, LiveLayer } from './live-layer.ts';
import { watchNearScreen } from './near-screen.ts';
import type { PlotlyApi } from './plotly.ts';
import { countPoints } from './table.ts';
import { THEMES } from './theme.ts';
import type { PlotLayout, PlotTrace, ThemeName } from './types.ts';

/** Everything a draw depends on. */
export interface ChartProps {
  readonly traces: readonly PlotTrace[];
  readonly layout: PlotLayout;
  readonly theme: ThemeName;
  readonly reducedMotion: boolean;
  readonly height: number;
  readonly fontSize: number;
  /** Data is streaming in: the canvas carries the lines while the frame stays the same. */
  readonly live: boolean;
}

export interface ChartDrawOptions {
  readonly plotly: PlotlyApi | null;
  readonly graph: RefObject<HTMLDivElement | null>;
  readonly canvas: RefObject<HTMLCanvasElement | null>;
  readonly props: ChartProps;
  readonly minIntervalMs: number;
  /** The chart now shows this many points (drawn by Plotly or painted on the canvas). */
  readonly onDrawn: (points: number) => void;
  readonly onError: (e: unknown) => void;
}

const look = (p: ChartProps) => [p.theme, p.height, p.fontSize];

export function useChartDraw({ plotly, graph, canvas, props, minIntervalMs, onDrawn, onError }: ChartDrawOptions): void {
  // What the next frame draws. Frames read it when they run, so a burst of updates
  // (or updates made while Plotly was still loading) draws once, with the newest data.
  const latest = useRef(props);
  const callbacks = useRef({ onDrawn, onError });
  // Bumped by every draw and by unmount: a draw that finishes late only reports if still newest.
  const version = useRef(0);
  useEffect(() => {
    callbacks.current = { onDrawn, onError };
  });

  const layer = useRef<LiveLayer | null>(null);
  layer.current ??= new LiveLayer({
    graph: () => graph.current,
    canvas: () => canvas.current,
    latest: () => latest.current,
    onPainted: (points) => callbacks.current.onDrawn(points),
  });
  const live = layer.current;

  // A chart far from the screen owes its draw until the reader comes near (near-screen.ts).
  const near = useRef(false);
  const owed = useRef(false);

  const scheduler = useRef<DrawScheduler | null>(null);
  /** Ask for a draw. Until it is done the chart is aria-busy (a chart far from the screen only owes it: not busy). */
  const request = useRef((minIntervalMs = 0) => {
    graph.current?.setAttribute('aria-busy', 'true');
    scheduler.current?.request(minIntervalMs);
  });
  useEffect(() => {
    const gd = graph.current;
    if (!plotly || !gd) return;
    const done = () => scheduler.current?.pending || gd.removeAttribute('aria-busy');
    scheduler.current = new DrawScheduler(() => {
      if (!near.current) {
        owed.current = true;
        return done();
      }
      owed.current = false;
      const now = latest.current;
      const v = ++version.current;
      const paintable = canPaintLive(now.traces, now.layout);
      // Wrapped so a synchronous throw (building the figure, or in Plotly) lands in the same place as a rejection.
      new Promise((done) => {
        // A series with no points yet still gets its legend entry, so the frame is final from the start.
        const shown = paintable ? withLegendAnchors(now.traces, now.layout) : now.traces;
        const figure = toPlotlyFigure(shown, now.layout, {
          theme: THEMES[now.theme],
          height: now.height,
          reducedMotion: now.reducedMotion,
          revision: v,
          fontSize: now.fontSize,
          width: gd.clientWidth,
          directLabels: !now.live,
        });
        const started = performance.now();
        done(plotly.react(gd, figure.data, figure.layout, PLOT_CONFIG));
        markDraw(gd, started);
      }).then(
        () => {
          if (v !== version.current) return;
          done();
          live.frame = paintable ? frameKey(now.traces, now.layout, look(now)) : null;
          if (live.streaming) return live.paint();
          live.stepAside();
          callbacks.current.onDrawn(countPoints(now.traces));
        },
        (e: unknown) => {
          if (v !== version.current) return;
          done();
          callbacks.current.onError(e);
        },
      );
    });
    const stopWatching = watchNearScreen(
      gd,
      (isNear) => {
        near.current = isNear;
        if (isNear && owed.current) request.current();
      },
      () => {
        near.current = true;
        if (owed.current) scheduler.current?.drawNow();
      },
    );
    return () => {
      stopWatching();
      scheduler.current?.cancel();
      scheduler.current = null;
    };
  }, [plotly, graph, live]);

  const { traces, layout, theme, reducedMotion, height, fontSize, live: streaming } = props;
  useEffect(() => {
    const now: ChartProps = { traces, layout, theme, reducedMotion, height, fontSize, live: streaming };
    latest.current = now;
    if (!plotly || !scheduler.current) return;
    const paintable = canPaintLive(traces, layout);
    live.streaming = streaming && paintable;
    if (live.streaming && frameKey(traces, layout, look(now)) === live.frame) {
      // Only the data moved: repaint the canvas next frame, and leave Plotly alone.
      live.requestPaint();
      return;
    }
    live.cancelPaint();
    request.current(minIntervalMs);
  }, [plotly, traces, layout, theme, reducedMotion, height, fontSize, streaming, minIntervalMs, live]);

  // Follow the container's width (sidebars, window, a slide shown), then purge on unmount.
  useEffect(() => {
    const gd = graph.current;
    if (!plotly || !gd) return;
    let resizeFrame = 0;
    // Widths come from the observer's reports, never from reading gd.clientWidth here: a read at
    // mount forces a layout of every cell that rendered along with this chart (60 ms in Run all).
    let width: number | null = null; // the latest reported
    let drawnFor: number | null = null; // the width the figure was last drawn for
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver((entries) => {
            width = entries.at(-1)?.contentRect.width ?? width;
            // The first report, or nothing drawn yet: the first draw sizes itself.
            if (drawnFor === null || !version.current) {
              drawnFor = width;
              return;
            }
            if (resizeFrame) return;
            resizeFrame = requestAnimationFrame(() => {
              resizeFrame = 0;
              plotly.Plots.resize(gd)
                .then(() => live.paint()) // the plot area moved
                .catch(() => {}); // rejects while hidden; the next resize catches up
              // The figure depends on the width too (a line's name at its end or a legend, a
              // title on one line or two): draw it again for the new width.
              if (width !== drawnFor) {
                drawnFor = width;
                request.current();
              }
            });
          })
        : null;
    observer?.observe(gd);
    // The counter object itself, not its value now: the cleanup bumps it so late draws of this chart stand down.
    const drawVersion = version;
    return () => {
      observer?.disconnect();
      cancelAnimationFrame(resizeFrame);
      live.dispose();
      drawVersion.current++;
      plotly.purge(gd);
    };
  }, [plotly, graph, live]);
}

/**
 * A user-timing entry for the synchronous part of one chart's draw, named by its cell
 * ("chart: loss-curve"): the browser's performance panel and npm run bench:app (a
 * PerformanceObserver) show which chart a long frame drew. Where user timing is missing (old engines, jsdom), nothing.
 */
function markDraw(gd: HTMLElement, started: number): void {
  try {
    const name = `chart: ${gd.closest('[data-cell]')?.getAttribute('data-cell') ?? 'outside a cell'}`;
    performance.measure(name, { start: started });
    // Live charts draw several times a second for as long as a run lasts: observers and
    // traces have the entry already, so the page's own buffer does not keep every one.
    performance.clearMeasures(name);
  } catch {
    /* no user timing here */
  }
}
