/**
 * A chart's picture, drawn as plain SVG from the figure Plotly would draw (figure.ts).
 *
 * Plotly's first draw of a chart is one synchronous task of 50-170 ms on a 2-core laptop
 * (defaults, automatic margins, text measured through the DOM, hover layers), however
 * small the chart: the longest task the page had while cells ran. Until the reader
 * reaches for a chart (pointer, touch, focus), nothing Plotly adds is needed, so the
 * chart shows this picture instead: the same axes, ticks, colours, labels and legend, in
 * a few milliseconds. Plotly takes over, hover and zoom included, the first time the
 * reader engages it (Plot.tsx), and draws the same frame from then on.
 *
 * It reads only the subset of Plotly's schema that figure.ts writes. A figure outside
 * it (a log axis) gets null, and Plotly draws that chart from the start.
 */
import { autoRange, categoryTicks, linearTicks, paddedPx, type Extreme, type Tick } from './axis-scale.ts';
import { colorAt, colorRange, type ScaleName } from './color-scale.ts';
import type { Figure } from './figure.ts';
import type { LineDash, MarkerSymbol } from './types.ts';

/** The parts of figure.ts's Plotly objects read here. */
type Values = ArrayLike<number | string | null>;
interface FigureTrace {
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
interface FigureAxis {
  readonly title: { readonly text: string; readonly standoff: number };
  readonly type: string;
  readonly range?: readonly [number, number];
  readonly autorange?: boolean | 'reversed';
  readonly gridcolor: string;
  readonly linecolor: string;
  readonly zerolinecolor: string;
}
interface FigureAnnotation {
  readonly x: number | string;
  readonly y: number;
  readonly xshift: number;
  readonly yshift: number;
  readonly text: string;
  readonly font: { readonly color: string };
}
interface FigureLayout {
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

/** Text width in pixels for a font size; the chart's own font, measured where a canvas is at hand. */
export type MeasureText = (text: string, size: number) => number;

const SVG = 'http://www.w3.org/2000/svg';
/**
 * Where Plotly puts things, in ems of the chart's font, as measured on its drawings at
 * 13 px: the gap between the plot area and tick labels, a line of axis title, the room
 * kept outside it, a legend row and its padding.
 */
const EM = {
  yLabelGap: 8 / 13,
  xLabelTop: 10 / 13,
  labelHeight: 15 / 13,
  titleGap: 3 / 13,
  /** A line of axis title, in ems of the title's own font (Plotly's: 1.2 times the chart's). */
  titleLine: 19 / 16,
  /** Room Plotly keeps between an end tick label and the chart's edge. */
  edgeRoom: 12.5 / 13,
  /** Ascent: from a line's top to its baseline. */
  ascent: 0.9,
  xOutside: 9 / 13,
  yOutside: 3 / 13,
  legendRow: 20 / 13,
  legendPad: 5 / 13,
  legendTop: 12 / 13,
} as const;
const LINE_HEIGHT = 1.3;
/** Plotly's colour bar: 2% of the plot's width from it, padded 10 px, 30 px thick, labels 7 px beyond. */
const BAR_THICKNESS = 30;
const BAR_PAD = 10;
const BAR_LABEL_GAP = 7;

type Attrs = Record<string, string | number>;
function el(tag: string, attrs: Attrs, ...children: (Element | string)[]): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/** Labels from figure.ts are escaped for Plotly's HTML subset; the SVG takes them as text. */
const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const lines = (text: string) => (text ? text.split('<br>').map(unescape) : []);
const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const round = (v: number) => Math.round(v * 100) / 100;

/** One axis, resolved: a category list or a linear range, and where a value lands in pixels. */
interface Axis {
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

interface Bar {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly color: string;
  readonly opacity: number;
}

/** The static picture of `figure` at `width` pixels, or null where it needs Plotly itself. */
export function drawStaticChart(figure: Figure, width: number, measure: MeasureText): SVGSVGElement | null {
  const layout = figure.layout as unknown as FigureLayout;
  const traces = figure.data as unknown as FigureTrace[];
  const supported = (a: FigureAxis) => ['-', 'linear', 'category'].includes(a.type);
  if (!supported(layout.xaxis) || !supported(layout.yaxis) || !(width > 0)) return null;

  const size = layout.font.size;
  const H = layout.height;
  const heatmap = traces.find((t) => t.type === 'heatmap');
  const colors = heatmap ? colorRange(heatmap.z ?? [], heatmap.zmin, heatmap.zmax, heatmap.zmid) : null;
  const margin = { ...layout.margin };

  // The colour bar sits right of the plot area, with its tick labels; Plotly widens the margin to fit it.
  const barTicks = colors ? linearTicks(colors, H - margin.t - margin.b - 2 * BAR_PAD, 'y') : [];
  if (colors) {
    const labels = Math.max(0, ...barTicks.map((t) => measure(t.label, size)));
    const title = measure(lines(heatmap?.colorbar?.title?.text ?? '').join(' '), size);
    const bar = BAR_PAD + Math.max(BAR_THICKNESS + BAR_LABEL_GAP + labels, title) + BAR_PAD;
    margin.r = Math.max(margin.r, Math.ceil((bar + 0.02 * (width - margin.l)) / 1.02));
  }

  // Axes depend on the plot area and the plot area on the axes' labels (Plotly's automatic
  // margins): y's labels set the left margin, which sets x's length and labels, which set
  // the bottom margin, which sets y's length.
  let y = resolveAxis('y', traces, layout, H - margin.t - margin.b, size);
  const yLabels = Math.max(0, ...y.ticks.map((t) => measure(t.label, size)));
  const yTitle = lines(layout.yaxis.title.text);
  const axisTitleSize = Math.round(1.2 * size);
  const yTitleBlock = yTitle.length ? layout.yaxis.title.standoff + 1 + yTitle.length * EM.titleLine * axisTitleSize : 0;
  margin.l = Math.max(margin.l, Math.ceil(yLabels + EM.yLabelGap * size + yTitleBlock + EM.yOutside * size));
  let x = resolveAxis('x', traces, layout, width - margin.l - margin.r, size);
  // A label centred on the last tick may reach past the plot area: Plotly widens the right margin for it.
  const overhang = Math.max(0, ...x.ticks.map((t) => x.toPx(t.value) + measure(t.label, size) / 2 - (width - margin.l - margin.r)));
  if (overhang > 0) {
    margin.r = Math.max(margin.r, Math.ceil(overhang + EM.edgeRoom * size));
    x = resolveAxis('x', traces, layout, width - margin.l - margin.r, size);
  }
  const xWidths = x.ticks.map((t) => measure(t.label, size));
  const spacing = x.ticks.length > 1 ? Math.abs(x.toPx(x.ticks[1].value) - x.toPx(x.ticks[0].value)) : Infinity;
  // Labels that would run into each other turn 30 degrees, as Plotly's do.
  const tilted = Math.max(0, ...xWidths) > spacing - 4;
  const xLabelHeight = tilted ? Math.max(0, ...xWidths) * 0.5 + size * EM.labelHeight : size * EM.labelHeight;
  const xTitle = lines(layout.xaxis.title.text);
  const xTitleTop = (EM.xLabelTop + EM.titleGap) * size + xLabelHeight;
  const xTitleBlock = xTitle.length ? EM.titleGap * size + xTitle.length * EM.titleLine * axisTitleSize : 0;
  margin.b = Math.max(margin.b, Math.ceil(EM.xLabelTop * size + xLabelHeight + xTitleBlock + EM.xOutside * size));

  // A legend above the plot pushes the top margin down to make room for it.
  const legend = layout.showlegend ? legendRows(traces, width - margin.l, size, measure) : null;
  if (legend) {
    const legendHeight = 2 * EM.legendPad * size + legend.length * EM.legendRow * size;
    margin.t = Math.max(margin.t, Math.ceil((EM.legendTop * size + legendHeight + 0.02 * (H - margin.b)) / 1.02));
  }
  const area = { l: margin.l, t: margin.t, w: Math.max(10, width - margin.l - margin.r), h: Math.max(10, H - margin.t - margin.b) };
  x = resolveAxis('x', traces, layout, area.w, size);
  y = resolveAxis('y', traces, layout, area.h, size);

  const svg = el('svg', {
    xmlns: SVG,
    width,
    height: H,
    viewBox: `0 0 ${width} ${H}`,
    'font-family': layout.font.family,
    'font-size': size,
    fill: layout.font.color,
    'aria-hidden': 'true',
    class: 'static-chart',
  }) as SVGSVGElement;
  svg.append(el('rect', { x: 0, y: 0, width, height: H, fill: layout.paper_bgcolor }));
  const clipId = `static-clip-${++clipCount}`;
  svg.append(el('defs', {}, el('clipPath', { id: clipId }, el('rect', { x: 0, y: 0, width: area.w, height: area.h }))));
  const plot = el('g', { transform: `translate(${area.l},${area.t})` });
  svg.append(plot);

  // Grid, then the zero lines over it.
  const grid = el('g', { 'stroke-width': 1, fill: 'none' });
  for (const t of x.ticks) grid.append(vertical(round(x.toPx(t.value)), area.h, layout.xaxis.gridcolor));
  for (const t of y.ticks) grid.append(horizontal(round(y.toPx(t.value)), area.w, layout.yaxis.gridcolor));
  if (!x.categories && inside(0, x.range)) grid.append(vertical(round(x.toPx(0)), area.h, layout.xaxis.zerolinecolor));
  if (!y.categories && inside(0, y.range)) grid.append(horizontal(round(y.toPx(0)), area.w, layout.yaxis.zerolinecolor));
  plot.append(grid);

  const data = el('g', { class: 'static-data', 'clip-path': `url(#${clipId})` });
  if (heatmap && colors) data.append(drawHeatmap(heatmap, x, y, colors));
  for (const bar of layoutBars(traces, layout, x, y)) {
    data.append(
      el('rect', {
        x: round(Math.min(bar.x0, bar.x1)),
        y: round(Math.min(bar.y0, bar.y1)),
        width: round(Math.abs(bar.x1 - bar.x0)),
        height: round(Math.abs(bar.y1 - bar.y0)),
        fill: bar.color,
        'fill-opacity': bar.opacity,
      }),
    );
  }
  for (const t of traces) if (t.type === 'scatter') data.append(drawScatter(t, x, y));
  plot.append(data);

  // Axis lines, tick labels and titles.
  plot.append(horizontal(area.h, area.w, layout.xaxis.linecolor), vertical(0, area.h, layout.yaxis.linecolor));
  const ticks = el('g', {});
  x.ticks.forEach((t, i) => {
    const at = round(x.toPx(t.value));
    const baseline = area.h + (EM.xLabelTop + EM.ascent) * size;
    const label = el('text', { x: at, y: round(baseline), 'text-anchor': tilted ? 'end' : 'middle' }, t.label);
    if (tilted) label.setAttribute('transform', `rotate(-30 ${at} ${round(baseline - 0.4 * size)})`);
    if (xWidths[i] > 0) ticks.append(label);
  });
  for (const t of y.ticks)
    ticks.append(
      el('text', { x: round(-EM.yLabelGap * size), y: round(y.toPx(t.value)), 'text-anchor': 'end', 'dominant-baseline': 'central' }, t.label),
    );
  plot.append(ticks);
  xTitle.forEach((text, i) => {
    const baseline = area.h + xTitleTop + axisTitleSize * (EM.titleLine * i + 0.91);
    plot.append(el('text', { x: area.w / 2, y: round(baseline), 'text-anchor': 'middle', 'font-size': axisTitleSize }, text));
  });
  // Rotated a quarter turn, a line's baseline is its right-hand side.
  const yTitleRight = -(yLabels + EM.yLabelGap * size + layout.yaxis.title.standoff + 1);
  yTitle.forEach((text, i) => {
    const at = round(yTitleRight - axisTitleSize * (0.25 + (yTitle.length - 1 - i) * EM.titleLine));
    plot.append(
      el('text', { x: at, y: area.h / 2, 'text-anchor': 'middle', 'font-size': axisTitleSize, transform: `rotate(-90 ${at} ${area.h / 2})` }, text),
    );
  });

  // Lines' names at their ends (labels.ts), unclipped.
  // As Plotly does, a label whose point lies off the axes is not shown (a live chart's legend anchors).
  const onAxis = (axis: Axis, v: number | string) => {
    const c = axis.coord(v);
    const [lo, hi] = axis.range[0] <= axis.range[1] ? axis.range : [axis.range[1], axis.range[0]];
    return c >= lo && c <= hi;
  };
  for (const a of layout.annotations.filter((a) => onAxis(x, a.x) && onAxis(y, a.y))) {
    plot.append(
      el(
        'text',
        { x: round(x.px(a.x) + a.xshift), y: round(y.px(a.y) - a.yshift), 'dominant-baseline': 'central', fill: a.font.color },
        unescape(a.text),
      ),
    );
  }

  const titleSize = layout.title.font.size;
  lines(layout.title.text).forEach((text, i, all) => {
    const middle = margin.t / 2 + (i - (all.length - 1) / 2) * titleSize * LINE_HEIGHT;
    svg.append(el('text', { x: area.l, y: round(middle), 'dominant-baseline': 'central', 'font-size': titleSize }, text));
  });
  if (legend) svg.append(drawLegend(legend, area, size));
  if (heatmap && colors) svg.append(drawColorBar(heatmap, colors, barTicks, area, size));

  // Where the data is drawn: the live canvas paints over exactly this (plot-area.ts).
  svg.append(el('rect', { 'data-plot-area': '', x: area.l, y: area.t, width: area.w, height: area.h, fill: 'none' }));
  return svg;
}

let clipCount = 0;

const inside = (v: number, [a, b]: readonly [number, number]) => {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const slack = (hi - lo) * 0.002;
  return v > lo + slack && v < hi - slack;
};
const vertical = (x: number, h: number, color: string) => el('line', { x1: x, x2: x, y1: 0, y2: h, stroke: color, 'stroke-width': 1 });
const horizontal = (y: number, w: number, color: string) => el('line', { x1: 0, x2: w, y1: y, y2: y, stroke: color, 'stroke-width': 1 });

/** Values of a trace along one axis ('x' or 'y'); a heatmap without labels counts its columns or rows. */
function valuesOf(t: FigureTrace, dir: 'x' | 'y'): Values {
  const given = t[dir];
  if (given) return given;
  if (t.type !== 'heatmap') return [];
  const n = dir === 'x' ? (t.z?.[0]?.length ?? 0) : (t.z?.length ?? 0);
  return Array.from({ length: n }, (_, i) => i);
}

function resolveAxis(dir: 'x' | 'y', traces: readonly FigureTrace[], layout: FigureLayout, length: number, fontSize: number): Axis {
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
    const ok = values.filter(Number.isFinite);
    if (ok.length === 0) return;
    lows.push({ value: Math.min(...ok), padPx });
    highs.push({ value: Math.max(...ok), padPx });
  };
  for (const t of traces) {
    const vs = Array.from(valuesOf(t, dir), coord);
    if (t.type === 'scatter') {
      const markers = (t.mode ?? 'lines') !== 'lines';
      const markerPad = markers ? Math.max((t.marker?.size ?? 6) / 1.6, 3) : 0;
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
      const tops = barTops(bars, layout, coord).filter(Number.isFinite);
      const pad = paddedPx(length);
      const lowest = Math.min(0, ...tops);
      const highest = Math.max(0, ...tops);
      lows.push({ value: lowest, padPx: lowest < 0 ? pad : 0 });
      highs.push({ value: highest, padPx: highest > 0 ? pad : 0 });
    }
  }
  return { lows, highs };
}

/** Cell edges along a heatmap axis: halfway between neighbours, half a step beyond the ends. */
function edges(centres: readonly number[]): number[] {
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
function barWidth(t: FigureTrace, traces: readonly FigureTrace[], layout: FigureLayout, coord: (v: number | string | null) => number): number {
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

function layoutBars(traces: readonly FigureTrace[], layout: FigureLayout, x: Axis, y: Axis): Bar[] {
  const bars = traces.filter((t) => t.type === 'bar');
  const base = new Map<number, number>();
  const out: Bar[] = [];
  bars.forEach((b, k) => {
    const w = barWidth(b, traces, layout, x.coord);
    const offset = layout.barmode === 'group' && !b.width ? (k - (bars.length - 1) / 2) * w : 0;
    Array.from(valuesOf(b, 'x'), x.coord).forEach((c, i) => {
      const v = b.y?.[i];
      if (!finite(v) || !Number.isFinite(c)) return;
      const from = layout.barmode === 'stack' ? (base.get(c) ?? 0) : 0;
      if (layout.barmode === 'stack') base.set(c, from + v);
      out.push({
        x0: x.toPx(c + offset - w / 2),
        x1: x.toPx(c + offset + w / 2),
        y0: y.px(from),
        y1: y.px(from + v),
        color: b.marker?.color ?? '#888',
        opacity: b.marker?.opacity ?? 1,
      });
    });
  });
  return out;
}

function drawHeatmap(t: FigureTrace, x: Axis, y: Axis, [lo, hi]: readonly [number, number]): SVGElement {
  const g = el('g', { 'shape-rendering': 'crispEdges' });
  const z = t.z ?? [];
  const xs = edges(Array.from(valuesOf(t, 'x'), x.coord));
  const ys = edges(Array.from(valuesOf(t, 'y'), y.coord));
  const at = (axis: Axis, c: number) => axis.toPx(c);
  for (let r = 0; r < z.length; r++) {
    const [top, bottom] = [at(y, ys[r]), at(y, ys[r + 1])];
    for (let c = 0; c < z[r].length; c++) {
      const v = z[r][c];
      if (v === null || !Number.isFinite(v)) continue;
      const [left, right] = [at(x, xs[c]), at(x, xs[c + 1])];
      g.append(
        el('rect', {
          x: round(Math.min(left, right)),
          y: round(Math.min(top, bottom)),
          width: round(Math.abs(right - left)),
          height: round(Math.abs(bottom - top)),
          fill: colorAt(t.colorscale ?? 'Viridis', (v - lo) / (hi - lo)),
        }),
      );
    }
  }
  return g;
}

function drawScatter(t: FigureTrace, x: Axis, y: Axis): SVGElement {
  const g = el('g', {});
  const xs = t.x ?? [];
  const ys = t.y ?? [];
  const n = Math.min(xs.length, ys.length);
  const mode = t.mode ?? 'lines';
  if (mode !== 'markers' && t.line) {
    let d = '';
    let pen = false;
    for (let i = 0; i < n; i++) {
      const v = ys[i];
      const px = x.px(xs[i]);
      if (!finite(v) || !Number.isFinite(px)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${round(px)},${round(y.px(v))}`;
      pen = true;
    }
    const dash = dashArray(t.line.dash, t.line.width);
    g.append(
      el('path', {
        d,
        fill: 'none',
        stroke: t.line.color,
        'stroke-width': t.line.width,
        'stroke-linejoin': 'round',
        ...(dash ? { 'stroke-dasharray': dash } : {}),
      }),
    );
  }
  if (mode !== 'lines' && t.marker) {
    const r = (t.marker.size ?? 6) / 2;
    const symbol = t.marker.symbol ?? 'circle';
    let d = '';
    for (let i = 0; i < n; i++) {
      const v = ys[i];
      const px = x.px(xs[i]);
      if (finite(v) && Number.isFinite(px)) d += markerPath(symbol, round(px), round(y.px(v)), r);
    }
    const open = symbol === 'x' || symbol === 'cross';
    g.append(el('path', open ? { d, fill: 'none', stroke: t.marker.color, 'stroke-width': 2 } : { d, fill: t.marker.color }));
  }
  return g;
}

/** Plotly's dash patterns (Drawing.dashStyle): lengths scale with the line, at least 3 px. */
export function dashArray(dash: LineDash, width: number): string | null {
  const w = Math.max(width, 3);
  if (dash === 'dot') return `${w},${w}`;
  if (dash === 'dash') return `${3 * w},${3 * w}`;
  if (dash === 'dashdot') return `${3 * w},${w},${w},${w}`;
  return null;
}

function markerPath(symbol: MarkerSymbol, x: number, y: number, r: number): string {
  const k = round(r);
  switch (symbol) {
    case 'square':
      return `M${x - k},${y - k}h${2 * k}v${2 * k}h${-2 * k}Z`;
    case 'diamond': {
      const d = round(r * 1.3);
      return `M${x},${y - d}L${x + d},${y}L${x},${y + d}L${x - d},${y}Z`;
    }
    case 'triangle-up': {
      const h = round(r * 1.2);
      return `M${x - h},${y + h / 2}L${x + h},${y + h / 2}L${x},${y - h}Z`;
    }
    case 'x':
      return `M${x - k},${y - k}L${x + k},${y + k}M${x - k},${y + k}L${x + k},${y - k}`;
    case 'cross':
      return `M${x - k},${y}h${2 * k}M${x},${y - k}v${2 * k}`;
    default:
      return `M${x + k},${y}A${k},${k} 0 1 1 ${x},${y - k}A${k},${k} 0 0 1 ${x + k},${y}Z`;
  }
}

interface LegendItem {
  readonly t: FigureTrace;
  /** From the plot area's left edge. */
  readonly x: number;
}

/** The legend's items in rows, as Plotly lays out a horizontal legend: a 40 px sample, the name, 5 px, the next. */
function legendRows(traces: readonly FigureTrace[], width: number, size: number, measure: MeasureText): LegendItem[][] {
  const rows: LegendItem[][] = [[]];
  let at = 0;
  // Plotly leaves a series with no points out of its legend.
  for (const t of traces.filter((t) => t.name && t.type !== 'heatmap' && (t.x?.length ?? 0) > 0)) {
    const w = 40 + measure(unescape(t.name!), size) + 5;
    if (at > 0 && at + w > width) [rows[rows.length], at] = [[], 0];
    rows[rows.length - 1].push({ t, x: at });
    at += w;
  }
  return rows[0].length ? rows : [];
}

/** The legend, above the plot area at 2% of its height: a sample of each series and its name. */
function drawLegend(rows: readonly LegendItem[][], area: { l: number; t: number; w: number; h: number }, size: number): SVGElement {
  const g = el('g', {});
  const height = 2 * EM.legendPad * size + rows.length * EM.legendRow * size;
  const top = area.t - 0.02 * area.h - height;
  rows.forEach((row, r) => {
    const middle = round(top + EM.legendPad * size + (r + 0.5) * EM.legendRow * size + 1);
    for (const { t, x } of row) {
      const left = area.l + x;
      if (t.type === 'bar') {
        g.append(
          el('rect', { x: left + 14, y: middle - 6, width: 12, height: 12, fill: t.marker?.color ?? '#888', 'fill-opacity': t.marker?.opacity ?? 1 }),
        );
      } else {
        if ((t.mode ?? 'lines') !== 'markers' && t.line) {
          const dash = dashArray(t.line.dash, t.line.width);
          g.append(
            el('line', {
              x1: left + 5,
              x2: left + 35,
              y1: middle,
              y2: middle,
              stroke: t.line.color,
              'stroke-width': t.line.width,
              ...(dash ? { 'stroke-dasharray': dash } : {}),
            }),
          );
        }
        if ((t.mode ?? 'lines') !== 'lines' && t.marker) {
          const symbol = t.marker.symbol ?? 'circle';
          const open = symbol === 'x' || symbol === 'cross';
          const d = markerPath(symbol, left + 20, middle, (t.marker.size ?? 6) / 2);
          g.append(el('path', open ? { d, fill: 'none', stroke: t.marker.color, 'stroke-width': 2 } : { d, fill: t.marker.color }));
        }
      }
      g.append(el('text', { x: left + 40, y: middle, 'dominant-baseline': 'central' }, unescape(t.name!)));
    }
  });
  return g;
}

/** The colour bar right of the plot area: the scale, top to bottom, with ticks and its title above. */
function drawColorBar(
  t: FigureTrace,
  [lo, hi]: readonly [number, number],
  ticks: readonly Tick[],
  area: { l: number; t: number; w: number; h: number },
  size: number,
): SVGElement {
  const left = area.l + area.w + 0.02 * area.w + BAR_PAD;
  const title = lines(t.colorbar?.title?.text ?? '');
  const top = area.t + BAR_PAD + (title.length ? title.length * size * LINE_HEIGHT + 4 : 0);
  const height = Math.max(10, area.t + area.h - BAR_PAD - top);
  const id = `static-scale-${++clipCount}`;
  const stops = Array.from({ length: 11 }, (_, i) => el('stop', { offset: i / 10, 'stop-color': colorAt(t.colorscale ?? 'Viridis', 1 - i / 10) }));
  const g = el('g', {}, el('defs', {}, el('linearGradient', { id, x1: 0, x2: 0, y1: 0, y2: 1 }, ...stops)));
  g.append(el('rect', { x: left, y: top, width: BAR_THICKNESS, height, fill: `url(#${id})` }));
  for (const tick of ticks) {
    const f = (tick.value - lo) / (hi - lo);
    if (f < -1e-9 || f > 1 + 1e-9) continue;
    g.append(
      el('text', { x: round(left + BAR_THICKNESS + BAR_LABEL_GAP), y: round(top + (1 - f) * height), 'dominant-baseline': 'central' }, tick.label),
    );
  }
  title.forEach((text, i) => g.append(el('text', { x: round(left), y: round(area.t + BAR_PAD + size * (0.9 + i * LINE_HEIGHT)) }, text)));
  return g;
}

/** Text widths through a canvas in the chart's font, cached; a fair estimate where no canvas draws text (tests). */
export function canvasMeasure(family: string): MeasureText {
  const cache = new Map<string, number>();
  let ctx: OffscreenCanvasRenderingContext2D | null | undefined;
  return (text, size) => {
    const key = `${size}|${text}`;
    let w = cache.get(key);
    if (w === undefined) {
      if (ctx === undefined) {
        try {
          ctx = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(1, 1).getContext('2d') : null;
        } catch {
          ctx = null;
        }
      }
      if (ctx) {
        ctx.font = `${size}px ${family}`;
        w = ctx.measureText(text).width;
      } else w = text.length * size * 0.58;
      // Widths measured while the page's fonts still load may be a fallback font's: not kept.
      if (typeof document.fonts === 'undefined' || document.fonts.status === 'loaded') cache.set(key, w);
    }
    return w;
  };
}
