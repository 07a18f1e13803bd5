/**
 * The heatmap colour scales the lesson uses, with Plotly's stops, so a heatmap drawn by the
 * static chart has the colours Plotly gives it. Pure.
 */
import type { HeatmapTrace } from './types.ts';

export type ScaleName = NonNullable<HeatmapTrace['colorscale']>;
type Stops = readonly (readonly [number, string])[];

const hexes = (colors: readonly string[]): Stops => colors.map((c, i) => [i / (colors.length - 1), c]);

/** Plotly's definitions (src/components/colorscale/scales.js). */
export const SCALES: Readonly<Record<ScaleName, Stops>> = Object.freeze({
  Viridis: hexes([
    '#440154',
    '#48186a',
    '#472d7b',
    '#424086',
    '#3b528b',
    '#33638d',
    '#2c728e',
    '#26828e',
    '#21918c',
    '#1fa088',
    '#28ae80',
    '#3fbc73',
    '#5ec962',
    '#84d44b',
    '#addc30',
    '#d8e219',
    '#fde725',
  ]),
  Cividis: hexes([
    '#00204c',
    '#002a66',
    '#00346e',
    '#273f6c',
    '#3c4a6b',
    '#4c556b',
    '#5b5f6d',
    '#686a70',
    '#757575',
    '#838178',
    '#928c78',
    '#a19876',
    '#b0a572',
    '#c0b16d',
    '#d1bf66',
    '#e1cc5c',
    '#f3db4f',
    '#ffe945',
  ]),
  Greys: [
    [0, '#000000'],
    [1, '#ffffff'],
  ],
  Blues: [
    [0, '#050aac'],
    [0.35, '#283cbe'],
    [0.5, '#4664f5'],
    [0.6, '#5a78f5'],
    [0.7, '#6a89f7'],
    [1, '#dcdcdc'],
  ],
  RdBu: [
    [0, '#050aac'],
    [0.35, '#6a89f7'],
    [0.5, '#bebebe'],
    [0.6, '#dcaa84'],
    [0.7, '#e6915a'],
    [1, '#b20a1c'],
  ],
});

const channels = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** The colour at `f` in 0..1 (clamped), blended in RGB between the stops around it, as Plotly does. */
export function colorAt(scale: ScaleName, f: number): string {
  const stops = SCALES[scale];
  const x = Number.isFinite(f) ? Math.min(1, Math.max(0, f)) : 0;
  let i = 1;
  while (i < stops.length - 1 && stops[i][0] < x) i++;
  const [p0, c0] = stops[i - 1];
  const [p1, c1] = stops[i];
  const w = p1 > p0 ? (x - p0) / (p1 - p0) : 0;
  const a = channels(c0);
  const b = channels(c1);
  return `rgb(${a.map((v, k) => Math.round(v + w * (b[k] - v))).join(',')})`;
}

/** The z range a heatmap's colours span: its own min and max, or the trace's, made symmetric about zmid when given. */
export function colorRange(z: readonly ArrayLike<number | null>[], zmin?: number, zmax?: number, zmid?: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of z) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v !== null && Number.isFinite(v)) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  }
  lo = zmin ?? (Number.isFinite(lo) ? lo : 0);
  hi = zmax ?? (Number.isFinite(hi) ? hi : 1);
  if (zmid !== undefined && zmin === undefined && zmax === undefined) {
    const reach = Math.max(Math.abs(hi - zmid), Math.abs(zmid - lo));
    [lo, hi] = [zmid - reach, zmid + reach];
  }
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}
