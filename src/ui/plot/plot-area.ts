/**
 * Where a chart's plot area is, read from what was drawn: the static picture marks it
 * with a `[data-plot-area]` rect; in Plotly's drawing the main drag cover
 * (`.draglayer .nsewdrag`) is a rect laid exactly over it. Either has its attributes in
 * CSS pixels from the chart's top-left corner. Reading the drawn SVG keeps the wrapper
 * off Plotly's private `_fullLayout`.
 */

/** The plot area inside the chart, in CSS pixels. */
export interface PlotArea {
  readonly l: number;
  readonly t: number;
  readonly w: number;
  readonly h: number;
}

/** The plot area of the chart drawn in `gd`, or null when there is none yet (or it has no size). */
export function readPlotArea(gd: Element): PlotArea | null {
  const cover = gd.querySelector('[data-plot-area], .draglayer .nsewdrag');
  if (!cover) return null;
  const num = (name: string) => Number(cover.getAttribute(name));
  const area = { l: num('x'), t: num('y'), w: num('width'), h: num('height') };
  return Object.values(area).every(Number.isFinite) && area.w > 0 && area.h > 0 ? area : null;
}
