/**
 * Labels written on the chart instead of in a legend: each line's name at its last point,
 * in its own colour, and reference lines (a dotted vertical line at, say, the expected
 * value) with their label on top. A legend above the plot makes the reader match colours
 * across the chart; a label at the line's end does not.
 */
import type { PlotlyObject } from './figure.ts';
import type { PlotTheme } from './theme.ts';
import type { PlotLayout, PlotTrace, ScatterTrace } from './types.ts';

/** Longer names are left to a legend: they would eat the plot area. */
const MAX_LABEL_CHARS = 30;
/** Roughly how wide a character of the chart font is, in ems. */
const CHAR_EM = 0.58;

export interface LineLabelOptions {
  readonly theme: PlotTheme;
  readonly fontSize: number;
  /** The plot area's height in pixels, roughly: labels closer than a line of text are pushed apart. */
  readonly plotHeight: number;
  /** The chart's width in pixels when known (0 = unknown): labels that would take over 40% of it give way to a legend. */
  readonly width: number;
  readonly colorOf: (trace: ScatterTrace, series: number) => string;
}

export interface LineLabels {
  readonly annotations: PlotlyObject[];
  /** Room the labels need right of the plot area, in pixels. */
  readonly rightMargin: number;
}

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** The last point of a trace with a finite y, or null. */
function lastPoint(trace: ScatterTrace): { x: number | string; y: number } | null {
  for (let i = Math.min(trace.x.length, trace.y.length) - 1; i >= 0; i--) {
    const y = trace.y[i];
    if (finite(y)) return { x: trace.x[i], y };
  }
  return null;
}

/**
 * Whether the chart's lines are labelled directly: two to five named lines, each with
 * data, on a linear y axis, and no legend asked for explicitly.
 */
export function wantsLineLabels(traces: readonly PlotTrace[], layout: PlotLayout): traces is readonly ScatterTrace[] {
  return (
    layout.showLegend === undefined &&
    traces.length >= 2 &&
    traces.length <= 5 &&
    (layout.yType === undefined || layout.yType === 'linear') &&
    !layout.yReversed &&
    traces.every(
      (t) => t.type === 'scatter' && (t.mode ?? 'lines') !== 'markers' && !!t.name && t.name.length <= MAX_LABEL_CHARS && lastPoint(t) !== null,
    )
  );
}

/**
 * Each line's name at its last point, pushed apart vertically where two ends are closer
 * than a line of text. Null when the chart should keep its legend.
 */
export function lineLabels(traces: readonly PlotTrace[], layout: PlotLayout, o: LineLabelOptions): LineLabels | null {
  if (!wantsLineLabels(traces, layout)) return null;
  const ends = traces.map((t, series) => ({ name: t.name!, color: o.colorOf(t, series), ...lastPoint(t)! }));
  const rightMargin = Math.ceil(Math.max(...ends.map((e) => e.name.length)) * o.fontSize * CHAR_EM) + 12;
  if (o.width > 0 && rightMargin > 0.4 * o.width) return null;

  // Pixel heights of the ends, from the axis range (or the data's extent when it autoranges).
  const ys = traces.flatMap((t) => Array.from(t.y as ArrayLike<number | null>).filter(finite));
  const [y0, y1] = layout.yRange ?? [Math.min(...ys), Math.max(...ys)];
  const span = y1 - y0 || 1;
  const px = ends.map((e) => ((e.y - y0) / span) * o.plotHeight);
  const placed = spreadApart(px, o.fontSize * 1.25);
  return {
    rightMargin,
    annotations: ends.map((e, i) => ({
      xref: 'x',
      yref: 'y',
      x: e.x,
      y: e.y,
      xanchor: 'left',
      yanchor: 'middle',
      xshift: 6,
      yshift: Math.round(placed[i] - px[i]),
      text: escapeLabel(e.name),
      showarrow: false,
      font: { color: e.color, size: o.fontSize },
      cliponaxis: false,
    })),
  };
}

/**
 * Positions (pixels, up) moved as little as possible so that neighbours are at least
 * `gap` apart: labels that would collide form a group, spaced `gap` apart and centred on
 * their own lines' mean; groups that then collide merge, until none do. A label with
 * room around it never moves.
 */
export function spreadApart(positions: readonly number[], gap: number): number[] {
  const order = positions.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  type Group = { members: { p: number; i: number }[]; start: number };
  const centred = (members: Group['members']): Group => {
    const mean = members.reduce((s, m) => s + m.p, 0) / members.length;
    return { members, start: mean - ((members.length - 1) * gap) / 2 };
  };
  const groups: Group[] = [];
  for (const m of order) {
    groups.push(centred([m]));
    // Merge backwards while the newest group runs into the one below it.
    while (groups.length > 1) {
      const top = groups[groups.length - 1];
      const below = groups[groups.length - 2];
      if (below.start + (below.members.length - 1) * gap + gap <= top.start + 1e-9) break;
      groups.splice(-2, 2, centred([...below.members, ...top.members]));
    }
  }
  const out = new Array<number>(positions.length);
  for (const g of groups) g.members.forEach((m, k) => (out[m.i] = g.start + k * gap));
  return out;
}

/** Plotly renders annotation text as a tiny HTML subset: a series name is shown as text. */
function escapeLabel(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Dotted vertical reference lines (an expected value, a threshold) as line series of their
 * own, from the bottom of the y range to its top: they take their place in the legend (or
 * get a direct label) like any other line, so their label never collides with it. The y
 * range is fixed so the line spans it exactly.
 */
export function referenceTraces(
  traces: readonly PlotTrace[],
  layout: PlotLayout,
  theme: PlotTheme,
): { traces: PlotTrace[]; yRange: readonly [number, number] | undefined } {
  const lines = layout.vLines ?? [];
  if (lines.length === 0) return { traces: [], yRange: layout.yRange };
  let range = layout.yRange;
  if (!range) {
    const ys = traces.flatMap((t) => (t.type === 'heatmap' ? [] : Array.from(t.y as ArrayLike<number | null>).filter(finite)));
    const top = Math.max(0, ...ys);
    range = [Math.min(0, ...ys), top > 0 ? top * 1.08 : 1];
  }
  return {
    yRange: range,
    traces: lines.map((l) => ({
      type: 'scatter',
      mode: 'lines',
      x: [l.x, l.x],
      y: [range[0], range[1]],
      name: l.label,
      dash: 'dot',
      color: theme.text,
    })),
  };
}
