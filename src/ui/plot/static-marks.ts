/**
 * What the static chart (static-chart.ts) draws inside and around its plot area, as SVG
 * elements: lines and markers, bars, heatmap cells, the legend and the colour bar, with
 * Plotly's dash patterns, marker shapes and spacings.
 */
import type { Tick } from './axis-scale.ts';
import { colorAt } from './color-scale.ts';
import { barWidth, edges, finite, valuesOf, type Axis, type FigureLayout, type FigureTrace } from './static-axis.ts';
import type { LineDash, MarkerSymbol } from './types.ts';

/** Text width in pixels for a font size; the chart's own font, measured where a canvas is at hand. */
export type MeasureText = (text: string, size: number) => number;

export const SVG = 'http://www.w3.org/2000/svg';
/**
 * Where Plotly puts things, in ems of the chart's font, as measured on its drawings at
 * 13 px: the gap between the plot area and tick labels, a line of axis title, the room
 * kept outside it, a legend row and its padding.
 */
export const EM = {
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
export const LINE_HEIGHT = 1.3;
/** Plotly's colour bar: 2% of the plot's width from it, padded 10 px, 30 px thick, labels 7 px beyond. */
export const BAR_THICKNESS = 30;
export const BAR_PAD = 10;
export const BAR_LABEL_GAP = 7;

type Attrs = Record<string, string | number>;
/** An SVG element with its attributes and children. */
export function el(tag: string, attrs: Attrs, ...children: (Element | string)[]): SVGElement {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  node.append(...children);
  return node;
}

/** Labels from figure.ts are escaped for Plotly's HTML subset; the SVG takes them as text. */
export const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
export const lines = (text: string) => (text ? text.split('<br>').map(unescape) : []);
export const round = (v: number) => Math.round(v * 100) / 100;

let ids = 0;
/** An id for a clip path or gradient, unique in the page. */
export const nextId = (prefix: string) => `${prefix}-${++ids}`;

export interface Bar {
  readonly x0: number;
  readonly x1: number;
  readonly y0: number;
  readonly y1: number;
  readonly color: string;
  readonly opacity: number;
}

export function layoutBars(traces: readonly FigureTrace[], layout: FigureLayout, x: Axis, y: Axis): Bar[] {
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

export function drawHeatmap(t: FigureTrace, x: Axis, y: Axis, [lo, hi]: readonly [number, number]): SVGElement {
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

export function drawScatter(t: FigureTrace, x: Axis, y: Axis): SVGElement {
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

export function markerPath(symbol: MarkerSymbol, x: number, y: number, r: number): string {
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

export interface LegendItem {
  readonly t: FigureTrace;
  /** From the plot area's left edge. */
  readonly x: number;
}

/** The legend's items in rows, as Plotly lays out a horizontal legend: a 40 px sample, the name, 5 px, the next. */
export function legendRows(traces: readonly FigureTrace[], width: number, size: number, measure: MeasureText): LegendItem[][] {
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
export function drawLegend(rows: readonly LegendItem[][], area: { l: number; t: number; w: number; h: number }, size: number): SVGElement {
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
export function drawColorBar(
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
  const id = nextId('static-scale');
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
