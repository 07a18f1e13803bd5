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
import { linearTicks } from './axis-scale.ts';
import { colorRange } from './color-scale.ts';
import type { Figure } from './figure.ts';
import { resolveAxis, type Axis, type FigureAxis, type FigureLayout, type FigureTrace } from './static-axis.ts';
import {
  BAR_LABEL_GAP,
  BAR_PAD,
  BAR_THICKNESS,
  EM,
  LINE_HEIGHT,
  SVG,
  drawColorBar,
  drawHeatmap,
  drawLegend,
  drawScatter,
  el,
  layoutBars,
  legendRows,
  lines,
  nextId,
  round,
  unescape,
  type MeasureText,
} from './static-marks.ts';

export { cleanRange } from './static-axis.ts';
export { dashArray, type MeasureText } from './static-marks.ts';

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
  const clipId = nextId('static-clip');
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

const inside = (v: number, [a, b]: readonly [number, number]) => {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  const slack = (hi - lo) * 0.002;
  return v > lo + slack && v < hi - slack;
};
const vertical = (x: number, h: number, color: string) => el('line', { x1: x, x2: x, y1: 0, y2: h, stroke: color, 'stroke-width': 1 });
const horizontal = (y: number, w: number, color: string) => el('line', { x1: 0, x2: w, y1: y, y2: y, stroke: color, 'stroke-width': 1 });

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
