/**
 * Drawing one chart, through the chart's DrawScheduler (one draw a frame page-wide,
 * throttled to the chart's interval, always with the newest props) once the chart is near
 * the screen: as a static picture (static-chart.ts) until the reader engages the chart,
 * then by Plotly; the live canvas while data streams; following the container's size; a
 * purge on unmount.
 */
import { useEffect, useRef, type RefObject } from 'react';
import { DrawScheduler } from './draw-scheduler.ts';
import { PLOT_CONFIG, toPlotlyFigure } from './figure.ts';
import { canPaintLive, withLegendAnchors } from './live-canvas.ts';
import { frameKey, LiveLayer } from './live-layer.ts';
import { watchNearScreen } from './near-screen.ts';
import type { PlotlyApi } from './plotly.ts';
import { canvasMeasure, drawStaticChart } from './static-chart.ts';
import { countPoints } from './table.ts';
import { CHART_FONT, THEMES } from './theme.ts';
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
  /** Plotly, once loaded; null before (the chart is then drawn as a static picture). */
  readonly plotly: PlotlyApi | null;
  /** The reader has reached for the chart: Plotly draws it from now on (hover, zoom). */
  readonly engaged: boolean;
  /** The static picture cannot show this chart (a log axis, no width yet): Plotly must draw it. */
  readonly onNeedsPlotly: () => void;
  readonly graph: RefObject<HTMLDivElement | null>;
  readonly canvas: RefObject<HTMLCanvasElement | null>;
  readonly props: ChartProps;
  readonly minIntervalMs: number;
  /** The chart now shows this many points (drawn by Plotly or painted on the canvas). */
  readonly onDrawn: (points: number) => void;
  readonly onError: (e: unknown) => void;
}

/**
 * A static picture is drawn for the container's width, which a ResizeObserver reports;
 * without one (old engines, jsdom) every chart is Plotly's, which sizes itself.
 */
export const picturesPossible = () => typeof ResizeObserver === 'function';

/** Text widths in the charts' font, shared by every static picture. */
const measure = canvasMeasure(CHART_FONT);

const look = (p: ChartProps) => [p.theme, p.height, p.fontSize];

export function useChartDraw({ plotly, engaged, onNeedsPlotly, graph, canvas, props, minIntervalMs, onDrawn, onError }: ChartDrawOptions): void {
  // What the next frame draws. Frames read it when they run, so a burst of updates
  // (or updates made while Plotly was still loading) draws once, with the newest data.
  const latest = useRef(props);
  const callbacks = useRef({ onDrawn, onError, onNeedsPlotly });
  // Read by draws when they run: Plotly draws once it is here and the chart is engaged (or has to).
  const drawer = useRef({ plotly, engaged, needsPlotly: !picturesPossible() });
  // Bumped by every draw and by unmount: a draw that finishes late only reports if still newest.
  const version = useRef(0);
  useEffect(() => {
    callbacks.current = { onDrawn, onError, onNeedsPlotly };
    drawer.current.plotly = plotly;
    drawer.current.engaged = engaged;
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
    if (!gd) return;
    const done = () => scheduler.current?.pending || gd.removeAttribute('aria-busy');
    scheduler.current = new DrawScheduler(() => {
      if (!near.current) {
        owed.current = true;
        return done();
      }
      owed.current = false;
      const now = latest.current;
      const paintable = canPaintLive(now.traces, now.layout);
      const { plotly, engaged, needsPlotly } = drawer.current;
      const byPlotly = plotly !== null && (engaged || needsPlotly);
      const width = gd.clientWidth;
      // Not laid out yet (hidden): the container's first width asks for this draw again.
      if (!byPlotly && width === 0 && !needsPlotly) return done();
      if (!byPlotly && needsPlotly) {
        // Plotly is on its way (Plot.tsx loads it); its arrival asks for this draw again.
        callbacks.current.onNeedsPlotly();
        return;
      }
      const v = ++version.current;
      // Wrapped so a synchronous throw (building the figure, or in Plotly) lands in the same place as
      // a rejection. It settles true once the chart shows the figure, false when the picture cannot.
      new Promise<boolean>((drawn) => {
        // A series with no points yet still gets its legend entry, so the frame is final from the start.
        const shown = paintable ? withLegendAnchors(now.traces, now.layout) : now.traces;
        const figure = toPlotlyFigure(shown, now.layout, {
          theme: THEMES[now.theme],
          height: now.height,
          reducedMotion: now.reducedMotion,
          revision: v,
          fontSize: now.fontSize,
          width,
          directLabels: !now.live,
        });
        const started = performance.now();
        if (byPlotly) {
          if (gd.dataset.renderer === 'static') gd.replaceChildren();
          gd.dataset.renderer = 'plotly';
          drawn(plotly.react(gd, figure.data, figure.layout, PLOT_CONFIG).then(() => true));
        } else {
          const picture = drawStaticChart(figure, width, measure);
          if (picture) {
            gd.replaceChildren(picture);
            gd.dataset.renderer = 'static';
          }
          drawn(picture !== null);
        }
        markDraw(gd, started);
      }).then(
        (shown) => {
          if (v !== version.current) return;
          if (!shown) {
            // A figure outside the picture's reach: Plotly's arrival asks for this draw again.
            drawer.current.needsPlotly = true;
            return callbacks.current.onNeedsPlotly();
          }
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
  }, [graph, live]);

  // Plotly has arrived for a chart the reader engaged (or one the picture cannot show): it draws it now.
  useEffect(() => {
    if (plotly && (engaged || drawer.current.needsPlotly)) request.current();
  }, [plotly, engaged]);

  const { traces, layout, theme, reducedMotion, height, fontSize, live: streaming } = props;
  useEffect(() => {
    const now: ChartProps = { traces, layout, theme, reducedMotion, height, fontSize, live: streaming };
    latest.current = now;
    if (!scheduler.current) return;
    const paintable = canPaintLive(traces, layout);
    live.streaming = streaming && paintable;
    if (live.streaming && frameKey(traces, layout, look(now)) === live.frame) {
      // Only the data moved: repaint the canvas next frame, and leave Plotly alone.
      live.requestPaint();
      return;
    }
    live.cancelPaint();
    request.current(minIntervalMs);
  }, [traces, layout, theme, reducedMotion, height, fontSize, streaming, minIntervalMs, live]);

  // Follow the container's width (sidebars, window, a slide shown), then purge on unmount.
  useEffect(() => {
    const gd = graph.current;
    if (!gd) return;
    let resizeFrame = 0;
    // Widths come from the observer's reports, never from reading gd.clientWidth here: a read at
    // mount forces a layout of every cell that rendered along with this chart (60 ms in Run all).
    let width: number | null = null; // the latest reported
    let drawnFor: number | null = null; // the width the figure was last drawn for
    const observer =
      typeof ResizeObserver === 'function'
        ? new ResizeObserver((entries) => {
            width = entries.at(-1)?.contentRect.width ?? width;
            // The first report, or nothing drawn yet: the first draw sizes itself. A chart
            // waiting for a width (drawn by neither) gets its draw now.
            if (drawnFor === null || !version.current) {
              drawnFor = width;
              if (width && !gd.dataset.renderer) request.current();
              return;
            }
            if (resizeFrame) return;
            resizeFrame = requestAnimationFrame(() => {
              resizeFrame = 0;
              // Plotly follows the width itself; a static picture is simply drawn again, below.
              const { plotly } = drawer.current;
              if (plotly && gd.dataset.renderer === 'plotly') {
                plotly.Plots.resize(gd)
                  .then(() => live.paint()) // the plot area moved
                  .catch(() => {}); // rejects while hidden; the next resize catches up
              }
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
    // Likewise the drawer: Plotly may arrive after this effect ran, and the cleanup purges what it drew.
    const drawnBy = drawer;
    return () => {
      observer?.disconnect();
      cancelAnimationFrame(resizeFrame);
      live.dispose();
      drawVersion.current++;
      if (gd.dataset.renderer === 'plotly') drawnBy.current.plotly?.purge(gd);
    };
  }, [graph, live]);
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
