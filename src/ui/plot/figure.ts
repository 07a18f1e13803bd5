/**
 * Our typed traces and layout, turned into what Plotly.react takes. Pure, so the theme,
 * motion and accessibility choices are tested without a browser.
 */
import { extentOf, markerReachPx, paddedPx } from './axis-scale.ts';
import { lineLabels, referenceTraces } from './labels.ts';
import { CHART_FONT as FONT, type PlotTheme } from './theme.ts';
import type { BarTrace, LineDash, MarkerSymbol, PlotLayout, PlotTrace, ScatterTrace } from './types.ts';

/** Plotly's own shapes are untyped here on purpose: only this file builds them. */
export type PlotlyObject = Record<string, unknown>;

export interface Figure {
  readonly data: PlotlyObject[];
  readonly layout: PlotlyObject;
}

export interface FigureOptions {
  readonly theme: PlotTheme;
  readonly height: number;
  readonly reducedMotion: boolean;
  /** Bumped every draw: Plotly then re-reads arrays that a caller may have changed in place. */
  readonly revision: number;
  /** Chart text in pixels (ticks, legend, labels); titles are a little larger. Default 13. */
  readonly fontSize?: number;
  /** The chart's width in pixels, when known: direct labels give way to a legend on a narrow chart. */
  readonly width?: number;
  /** Label lines at their ends instead of a legend where the chart allows (not while data streams). Default true. */
  readonly directLabels?: boolean;
}

/** No modebar: the wrapper has its own buttons. Hover stays on; zoom by drag, double-click resets. */
export const PLOT_CONFIG: PlotlyObject = Object.freeze({
  displayModeBar: false,
  displaylogo: false,
  scrollZoom: false,
  showTips: false,
  // Resizing follows the container through a ResizeObserver, not only the window.
  responsive: false,
});

// Colour is never the only signal: series also differ in dash and marker.
const DASHES: readonly LineDash[] = ['solid', 'dash', 'dot', 'dashdot'];
const SYMBOLS: readonly MarkerSymbol[] = ['circle', 'square', 'diamond', 'triangle-up', 'x', 'cross'];

function toPlotlyTrace(trace: PlotTrace, series: number, theme: PlotTheme, layout: PlotLayout): PlotlyObject {
  if (trace.type === 'heatmap') {
    return {
      type: 'heatmap',
      z: trace.z,
      x: trace.x,
      y: trace.y,
      name: trace.name,
      colorscale: trace.colorscale ?? 'Viridis',
      zmin: trace.zmin,
      zmax: trace.zmax,
      zmid: trace.zmid ?? (trace.colorscale === 'RdBu' && trace.zmin === undefined && trace.zmax === undefined ? 0 : undefined),
      hoverongaps: false,
      colorbar: { title: { text: trace.zTitle ?? '' }, outlinewidth: 0, tickcolor: theme.axis },
    };
  }
  const { color, dash, symbol } = seriesStyle(trace, series, theme);
  if (trace.type === 'bar') {
    return {
      type: 'bar',
      x: trace.x,
      y: trace.y,
      name: trace.name,
      width: trace.width,
      // Overlaid bars must let the ones behind show through.
      marker: { color, opacity: layout.barmode === 'overlay' ? 0.7 : 1, line: { width: 0 } },
    };
  }
  return {
    type: 'scatter',
    mode: trace.mode ?? 'lines',
    x: trace.x,
    y: trace.y,
    name: trace.name,
    line: { color, width: LINE_WIDTH, dash },
    marker: { color, size: MARKER_SIZE, symbol },
  };
}

export const LINE_WIDTH = 2;
export const MARKER_SIZE = 7;

/** Colour, dash and marker of series number `series`: the live canvas paints with these too. */
export function seriesStyle(
  trace: ScatterTrace | BarTrace,
  series: number,
  theme: PlotTheme,
): { color: string; dash: LineDash; symbol: MarkerSymbol } {
  return {
    color: trace.color ?? theme.palette[series % theme.palette.length],
    dash: (trace.type === 'scatter' && trace.dash) || DASHES[series % DASHES.length],
    symbol: (trace.type === 'scatter' && trace.symbol) || SYMBOLS[series % SYMBOLS.length],
  };
}

interface AxisSpec {
  readonly title?: string;
  readonly range?: readonly [number, number];
  readonly type?: string;
  readonly reversed?: boolean;
  /** The most an automatic range may reach (Plotly's autorangeoptions.maxallowed). */
  readonly maxAllowed?: number;
}

function axis({ title, range, type, reversed, maxAllowed }: AxisSpec, theme: PlotTheme): PlotlyObject {
  return {
    ...(maxAllowed !== undefined && !range ? { autorangeoptions: { maxallowed: maxAllowed } } : {}),
    title: { text: title ?? '', standoff: 8 },
    type: type ?? '-',
    // An explicit autorange lets a chart drop a range it had before.
    ...(range ? { range: reversed ? [range[1], range[0]] : [...range], autorange: false } : { autorange: reversed ? 'reversed' : true }),
    automargin: true,
    // Plotly's default ('hide past div') measures every tick label once per label drawn: a
    // tenth of a chart's first draw. The automatic margins keep labels inside the div anyway.
    ticklabeloverflow: 'allow',
    gridcolor: theme.grid,
    linecolor: theme.axis,
    zerolinecolor: theme.zero,
    tickcolor: theme.axis,
    showline: true,
  };
}

export function toPlotlyLayout(layout: PlotLayout, traces: readonly PlotTrace[], options: FigureOptions): PlotlyObject {
  const { theme, height, reducedMotion, revision } = options;
  const size = options.fontSize ?? 13;
  const scale = size / 13;
  const labels =
    options.directLabels === false
      ? null
      : lineLabels(traces, layout, {
          theme,
          fontSize: size,
          plotHeight: height - 100 * scale,
          width: options.width ?? 0,
          colorOf: (t, series) => seriesStyle(t, series, theme).color,
        });
  const legend = labels ? false : (layout.showLegend ?? traces.length > 1);
  // A line's label sits beside its end and may be pushed up past the plot's top edge: leave it room.
  const top = Math.max((layout.title ? 2.8 * size : 8) + (legend ? 2.2 * size : 0), labels ? 1.5 * size : 0);
  const wrap = (title: string | undefined, px: number) => wrapTitle(title, Math.max(12, Math.floor(px / (size * 0.58))));
  const margin = {
    l: Math.round(56 * scale),
    r: Math.max(Math.round(16 * scale), labels?.rightMargin ?? 0),
    t: Math.round(top),
    b: Math.round(48 * scale),
    pad: 0,
  };
  const width = options.width || 700;
  return {
    height,
    autosize: true,
    title: { text: layout.title ?? '', x: 0, xanchor: 'left', xref: 'paper', font: { size: Math.round(size * 1.15) } },
    font: { family: FONT, size, color: theme.text },
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    colorway: [...theme.palette],
    margin,
    // On a narrow chart a long axis title breaks onto two lines rather than running off the edge.
    xaxis: axis(
      {
        title: wrap(layout.xTitle, width - 80 * scale),
        range: layout.xRange,
        type: layout.xType,
        // Plotly stretches an automatic x range until the lines' names fit inside the plot area
        // (an axis to 4000 for a 3000-step run); they have a margin of their own instead.
        maxAllowed: labels ? dataEnd(traces, width - margin.l - margin.r) : undefined,
      },
      theme,
    ),
    yaxis: axis({ title: wrap(layout.yTitle, height - 90 * scale), range: layout.yRange, type: layout.yType, reversed: layout.yReversed }, theme),
    showlegend: legend,
    // Horizontal, above the plot: long series names do not squeeze the data area.
    legend: { orientation: 'h', x: 0, xanchor: 'left', y: 1.02, yanchor: 'bottom', font: { color: theme.text, size } },
    annotations: labels?.annotations ?? [],
    hovermode: 'closest',
    hoverlabel: { bgcolor: theme.background, bordercolor: theme.axis, font: { family: FONT, color: theme.text, size } },
    barmode: layout.barmode ?? 'group',
    bargap: layout.bargap,
    // Keep a reader's zoom across training updates; data changes still redraw.
    uirevision: 'keep',
    datarevision: revision,
    ...(layout.animate && !reducedMotion ? { transition: { duration: 250, easing: 'cubic-in-out' } } : {}),
  };
}

export function toPlotlyFigure(traces: readonly PlotTrace[], layout: PlotLayout, options: FigureOptions): Figure {
  // Reference lines are series of their own, over a y range fixed to span.
  const reference = referenceTraces(traces, layout, options.theme);
  const all = [...traces, ...reference.traces];
  const shown = reference.yRange === layout.yRange ? layout : { ...layout, yRange: reference.yRange };
  let series = 0;
  const data = all.map((t) => toPlotlyTrace(t, t.type === 'heatmap' ? 0 : series++, options.theme, shown));
  return { data, layout: toPlotlyLayout(shown, all, options) };
}

/**
 * Where Plotly's automatic x range would end for these lines without their labels: at
 * the last x, plus its padding when markers are drawn (5% of the axis and a marker's
 * reach), for a plot area `lengthPx` wide. Undefined for non-numeric x.
 */
export function dataEnd(traces: readonly PlotTrace[], lengthPx: number): number | undefined {
  const xs = traces.flatMap((t) => (t.type === 'heatmap' ? [] : Array.from(t.x as ArrayLike<number | string>)));
  if (xs.some((x) => typeof x !== 'number' || !Number.isFinite(x))) return undefined;
  const extent = extentOf(xs);
  if (!extent) return undefined;
  const [lo, hi] = extent;
  const markers = traces.some((t) => t.type === 'scatter' && (t.mode ?? 'lines') !== 'lines');
  if (!markers || hi === lo) return hi;
  const pad = paddedPx(lengthPx) + markerReachPx(MARKER_SIZE);
  return hi + (pad * (hi - lo)) / (lengthPx - 2 * pad);
}

/** `text` broken at spaces into lines of at most `max` characters (Plotly's <br>), at most two. */
export function wrapTitle(text: string | undefined, max: number): string | undefined {
  if (!text || text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  if (cut <= 0) return text;
  return `${text.slice(0, cut)}<br>${text.slice(cut + 1)}`;
}
