/**
 * Live series painted on a canvas over a Plotly chart's fixed axes.
 *
 * A Plotly redraw of the training loss costs 20-70 ms of the page's thread on a
 * modest laptop, several times a second while a run streams in: the page's
 * single biggest cost while it trains. With the axes fixed for the whole run,
 * Plotly draws the frame (axes, grid, legend) once and its own lines are
 * hidden; the lines go on a canvas laid over its plot area, about a
 * millisecond a frame. When the data stops streaming, Plotly draws everything
 * itself again, hover included.
 */
import { LINE_WIDTH, MARKER_SIZE, seriesStyle } from './figure.ts';
import type { PlotArea } from './plot-area.ts';
import type { PlotTheme } from './theme.ts';
import type { LineDash, PlotLayout, PlotTrace, ScatterTrace } from './types.ts';

export type { PlotArea } from './plot-area.ts';

/** Fixed linear axes and only scatter traces: what a canvas can stand in for. */
export function canPaintLive(traces: readonly PlotTrace[], layout: PlotLayout): traces is readonly ScatterTrace[] {
  const linear = (type: string | undefined) => type === undefined || type === 'linear' || type === '-';
  return (
    layout.xRange !== undefined &&
    layout.yRange !== undefined &&
    !layout.yReversed &&
    linear(layout.xType) &&
    linear(layout.yType) &&
    traces.every((t) => t.type === 'scatter' && t.x.length === t.y.length && (t.x.length === 0 || typeof t.x[0] === 'number'))
  );
}

/** Canvas dash patterns for Plotly's, at our line width. */
export const CANVAS_DASH: Readonly<Record<LineDash, readonly number[]>> = Object.freeze({
  solid: [],
  dash: [4 * LINE_WIDTH, 2 * LINE_WIDTH],
  dot: [LINE_WIDTH, 2 * LINE_WIDTH],
  dashdot: [4 * LINE_WIDTH, 2 * LINE_WIDTH, LINE_WIDTH, 2 * LINE_WIDTH],
});

/** The slice of CanvasRenderingContext2D used here, so tests can record what is painted. */
export type Painter = Pick<
  CanvasRenderingContext2D,
  'clearRect' | 'save' | 'restore' | 'beginPath' | 'rect' | 'clip' | 'moveTo' | 'lineTo' | 'stroke' | 'arc' | 'fill' | 'setLineDash' | 'setTransform'
> & { strokeStyle: unknown; fillStyle: unknown; lineWidth: number; lineJoin: CanvasLineJoin };

/**
 * Paint `traces` over a plot area `area.w` x `area.h` CSS pixels (the canvas
 * is scaled by `ratio` device pixels a CSS pixel). Lines break at null values,
 * as Plotly's do.
 */
export function paintLive(ctx: Painter, area: PlotArea, ratio: number, traces: readonly ScatterTrace[], layout: PlotLayout, theme: PlotTheme): void {
  const [x0, x1] = layout.xRange!;
  const [y0, y1] = layout.yRange!;
  const px = (x: number) => ((x - x0) / (x1 - x0)) * area.w;
  const py = (y: number) => area.h - ((y - y0) / (y1 - y0)) * area.h;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, area.w, area.h);
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, 0, area.w, area.h);
  ctx.clip();
  traces.forEach((trace, series) => {
    const { color, dash } = seriesStyle(trace, series, theme);
    const mode = trace.mode ?? 'lines';
    const x = trace.x as ArrayLike<number>;
    const y = trace.y as ArrayLike<number | null>;
    if (mode !== 'markers') {
      ctx.strokeStyle = color;
      ctx.lineWidth = LINE_WIDTH;
      ctx.lineJoin = 'round';
      ctx.setLineDash([...CANVAS_DASH[dash]]);
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < x.length; i++) {
        const v = y[i];
        if (v === null || !Number.isFinite(v)) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(px(x[i]), py(v));
        else ctx.moveTo(px(x[i]), py(v));
        pen = true;
      }
      ctx.stroke();
    }
    if (mode !== 'lines') {
      ctx.fillStyle = color;
      for (let i = 0; i < x.length; i++) {
        const v = y[i];
        if (v === null || !Number.isFinite(v)) continue;
        ctx.beginPath();
        ctx.arc(px(x[i]), py(v), MARKER_SIZE / 2, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  });
  ctx.restore();
}

/**
 * The traces as Plotly should draw the frame: Plotly leaves a series with no points out of
 * the legend, so each empty one gets a single point beyond the fixed axes, where nothing shows.
 */
export function withLegendAnchors(traces: readonly PlotTrace[], layout: PlotLayout): PlotTrace[] {
  if (!canPaintLive(traces, layout)) return [...traces];
  const [x0, x1] = layout.xRange!;
  const [y0, y1] = layout.yRange!;
  return traces.map((t) => (t.x.length > 0 ? t : { ...t, x: [x0 - (x1 - x0)], y: [y0 - (y1 - y0)] }));
}
