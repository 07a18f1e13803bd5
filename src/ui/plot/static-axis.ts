/**
 * The static chart's axes (static-chart.ts): the shapes of figure.ts's Plotly objects it
 * reads, and each axis resolved from them as Plotly would: a category list or a range
 * (its automatic range from the data, with the padding each kind of trace gets), its
 * ticks, and where a value lands in pixels. Pure.
 */
import { autoRange, categoryTicks, extentOf, linearTicks, markerReachPx, paddedPx, type Extreme, type Tick } from './axis-scale.ts';
import type { ScaleName } from './color-scale.ts';
import type { LineDash, MarkerSymbol } from './types.ts';

/** The parts of figure.ts's Plotly objects read here. */
export type Values = ArrayLike<number | string | null>;
export interface FigureTrace {
  readonly type: 'scatter' | 'bar' | 'heatmap';
  readonly x?: Values;
  readonly y?: Values;
  readonly z?: readonly ArrayLike<number | null>[];
  readonly name?: string;
  readonly mode?: 'lines' | 'markers' | 'lines+markers';
  readonly line?: { readonly color: string; readonly width: number; readonly dash: LineDash };
  readonly marker?: { readonly color: string; readonly size?: number; readonly symbol?: MarkerSymbol; readonly opacity?: number };
  readonly width?: number;
  readonly colorscale?: ScaleName;
  readonly zmin?: number;
  readonly zmax?: number;
  readonly zmid?: number;
  readonly colorbar?: { readonly title?: { readonly text?: string } };
}
export interface FigureAxis {
  readonly title: { readonly text: string; readonly standoff: number };
  readonly type: string;
  readonly range?: readonly [number, number];
  readonly autorange?: boolean | 'reversed';
  readonly gridcolor: string;
  readonly linecolor: string;
  readonly zerolinecolor: string;
}
export interface FigureAnnotation {
  readonly x: number | string;
  readonly y: number;
  readonly xshift: number;
  readonly yshift: number;
  readonly text: string;
  readonly font: { readonly color: string };
}
export interface FigureLayout {
  readonly height: number;
  readonly title: { readonly text: string; readonly font: { readonly size: number } };
  readonly font: { readonly family: string; readonly size: number; readonly color: string };
  readonly paper_bgcolor: string;
  readonly margin: { readonly l: number; readonly r: number; readonly t: number; readonly b: number };
  readonly xaxis: FigureAxis;
  readonly yaxis: FigureAxis;
  readonly showlegend: boolean;
  readonly annotations: readonly FigureAnnotation[];
  readonly barmode: 'group' | 'overlay' | 'stack';
  readonly bargap?: number;
}

export const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** One axis, resolved: a category list or a linear range, and where a value lands in pixels. */
export interface Axis {
  readonly categories: readonly string[] | null;
  readonly range: [number, number];
  readonly ticks: readonly Tick[];
  /** A value (a number, or a category) as a position on the axis: categories count 0, 1, 2… */
  readonly coord: (v: number | string | null | undefined) => number;
  /** A position on the axis in pixels from the plot area's start (left, or top for y). */
  readonly toPx: (c: number) => number;
  /** A value in pixels: toPx(coord(v)). */
  readonly px: (v: number | string | null | undefined) => number;
}

/** Values of a trace along one axis ('x' or 'y'); a heatmap without labels counts its columns or rows. */
export function valuesOf(t: FigureTrace, dir: 'x' | 'y'): Values {
  const given = t[dir];
  if (given) return given;
  if (t.type !== 'heatmap') return [];
  const n = dir === 'x' ? (t.z?.[0]?.length ?? 0) : (t.z?.length ?? 0);
  return Array.from({ length: n }, (_, i) => i);
}

export function resolveAxis(dir: 'x' | 'y', traces: readonly FigureTrace[], layout: FigureLayout, length: number, fontSize: number): Axis {
  const spec = dir === 'x' ? layout.xaxis : layout.yaxis;
  const isCategory =
    spec.type === 'category' || (spec.type === '-' && traces.some((t) => typeof Array.from(valuesOf(t, dir)).find((v) => v !== null) === 'string'));
  const categories: string[] = [];
  if (isCategory)
    for (const t of traces)
      for (const v of Array.from(valuesOf(t, dir))) if (v !== null && !categories.includes(String(v))) categories.push(String(v));
  const coord = (v: number | string | null | undefined): number => (isCategory ? categories.indexOf(String(v)) : typeof v === 'number' ? v : NaN);

  let range: [number, number];
  if (spec.range) range = cleanRange(spec.range, dir === 'x' ? [-1, 6] : [-1, 4]);
  else {
    const { lows, highs } = extremes(dir, traces, layout, coord, length);
    range = autoRange(lows, highs, length, dir === 'x' ? [-1, 6] : [-1, 4]);
    if (spec.autorange === 'reversed') range.reverse();
  }
  const ticks = isCategory ? categoryTicks(categories, range, length, fontSize) : linearTicks(range, length, dir);
  const [r0, r1] = range;
  // y grows upward unless reversed: pixels count from the top.
  const toPx = (c: number) => {
    const f = (c - r0) / (r1 - r0);
    return dir === 'x' ? f * length : (1 - f) * length;
  };
  return { categories: isCategory ? categories : null, range, ticks, coord, toPx, px: (v) => toPx(coord(v)) };
}

/**
 * A fixed range as Plotly cleans it: a missing end from the other (×10 or ÷10), both
 * missing the default, and one that spans nothing split by 1 (or 1 ppm) either way.
 */
export function cleanRange(given: readonly [number, number], fallback: readonly [number, number]): [number, number] {
  const [a, b] = given;
  const ok = (v: number) => Number.isFinite(v);
  let range: [number, number] = ok(a) && ok(b) ? [a, b] : ok(a) ? [a, a * 10] : ok(b) ? [b * 0.1, b] : [fallback[0], fallback[1]];
  if (range[0] === range[1]) {
    const inc = Math.max(1, Math.abs(range[0] * 1e-6));
    range = [range[0] - inc, range[1] + inc];
  }
  return range;
}

/** The data's extremes on one axis, with the padding Plotly gives each kind of trace. */
function extremes(
  dir: 'x' | 'y',
  traces: readonly FigureTrace[],
  layout: FigureLayout,
  coord: (v: number | string | null) => number,
  length: number,
) {
  const lows: Extreme[] = [];
  const highs: Extreme[] = [];
  const add = (values: number[], padPx: number) => {
    const extent = extentOf(values);
    if (!extent) return;
    lows.push({ value: extent[0], padPx });
    highs.push({ value: extent[1], padPx });
  };
  for (const t of traces) {
    const vs = Array.from(valuesOf(t, dir), coord);
    if (t.type === 'scatter') {
      const markers = (t.mode ?? 'lines') !== 'lines';
      const markerPad = markers ? markerReachPx(t.marker?.size ?? 6) : 0;
      // Lines alone sit tight against the x ends; everything else gets Plotly's 5%.
      const padded = dir === 'y' || markers;
      add(vs, markerPad + (padded ? paddedPx(length) : 0));
    } else if (t.type === 'heatmap') {
      add(edges(vs), 0);
    }
  }
  const bars = traces.filter((t) => t.type === 'bar');
  if (bars.length > 0) {
    if (dir === 'x') {
      for (const b of bars) {
        const half = barWidth(b, traces, layout, coord) / 2;
        add(
          Array.from(valuesOf(b, 'x'), coord).flatMap((v) => [v - half, v + half]),
          0,
        );
      }
    } else {
      // Bars grow from zero, which gets no padding; their far ends get Plotly's 5%.
      const [lowest, highest] = extentOf([0, ...barTops(bars, layout, coord)])!;
      const pad = paddedPx(length);
      lows.push({ value: lowest, padPx: lowest < 0 ? pad : 0 });
      highs.push({ value: highest, padPx: highest > 0 ? pad : 0 });
    }
  }
  return { lows, highs };
}

/** Cell edges along a heatmap axis: halfway between neighbours, half a step beyond the ends. */
export function edges(centres: readonly number[]): number[] {
  if (centres.length === 0) return [];
  if (centres.length === 1) return [centres[0] - 0.5, centres[0] + 0.5];
  const out = [centres[0] - (centres[1] - centres[0]) / 2];
  for (let i = 1; i < centres.length; i++) out.push((centres[i - 1] + centres[i]) / 2);
  out.push(centres[centres.length - 1] + (centres[centres.length - 1] - centres[centres.length - 2]) / 2);
  return out;
}

/** The smallest gap between neighbouring positions of all bar traces: one slot. */
function slotOf(traces: readonly FigureTrace[], coord: (v: number | string | null) => number): number {
  const xs = [...new Set(traces.filter((t) => t.type === 'bar').flatMap((t) => Array.from(valuesOf(t, 'x'), coord)))]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  let slot = Infinity;
  for (let i = 1; i < xs.length; i++) slot = Math.min(slot, xs[i] - xs[i - 1]);
  return Number.isFinite(slot) && slot > 0 ? slot : 1;
}

/** A bar's width in x units: its own, or its share of the slot. */
export function barWidth(t: FigureTrace, traces: readonly FigureTrace[], layout: FigureLayout, coord: (v: number | string | null) => number): number {
  if (t.width) return t.width;
  const filled = slotOf(traces, coord) * (1 - (layout.bargap ?? 0.2));
  return layout.barmode === 'group' ? filled / traces.filter((b) => b.type === 'bar').length : filled;
}

/** Every bar's top: stacked bars add up per position. */
function barTops(bars: readonly FigureTrace[], layout: FigureLayout, coord: (v: number | string | null) => number): number[] {
  if (layout.barmode !== 'stack') return bars.flatMap((b) => Array.from(b.y ?? [], (v) => (finite(v) ? v : NaN)));
  const sums = new Map<number, number>();
  for (const b of bars)
    Array.from(valuesOf(b, 'x'), coord).forEach((x, i) => finite(b.y?.[i]) && sums.set(x, (sums.get(x) ?? 0) + (b.y![i] as number)));
  return [...sums.values()];
}
