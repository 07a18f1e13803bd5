/**
 * An axis of the static chart (static-chart.ts): the range Plotly's autorange would pick,
 * the ticks its "auto" tick mode would place, and their labels as it would write them, so
 * that Plotly taking the chart over when the reader engages it moves nothing. Pure.
 *
 * Only the cases the lesson's charts use: linear and category axes, no dates, no logs.
 */

/** A data extreme and how many pixels of room it wants beyond it (a marker's radius, Plotly's 5% padding). */
export interface Extreme {
  readonly value: number;
  readonly padPx: number;
}

/**
 * The range that fits every extreme with its padding on an axis `lengthPx` long: Plotly's
 * autorange, which takes the pair of a low and a high extreme that needs the most units a
 * pixel (padding may take at most 90% of the axis), and one value alone spans ±1.
 */
export function autoRange(
  lows: readonly Extreme[],
  highs: readonly Extreme[],
  lengthPx: number,
  fallback: readonly [number, number],
): [number, number] {
  if (lows.length === 0 || highs.length === 0) return [...fallback];
  const lowest = Math.min(...lows.map((e) => e.value));
  if (lowest === Math.max(...highs.map((e) => e.value))) return [lowest - 1, lowest + 1];
  let unitsPerPx = 0;
  let best: [Extreme, Extreme] | null = null;
  for (const lo of lows) {
    for (const hi of highs) {
      const units = hi.value - lo.value;
      if (!(units > 0)) continue;
      const px = lengthPx - lo.padPx - hi.padPx;
      if (px > lengthPx / 10) {
        if (units / px > unitsPerPx) [unitsPerPx, best] = [units / px, [lo, hi]];
      } else if (units / lengthPx > unitsPerPx) {
        // Padding longer than the axis: at least the data itself fits.
        [unitsPerPx, best] = [
          units / lengthPx,
          [
            { value: lo.value, padPx: 0 },
            { value: hi.value, padPx: 0 },
          ],
        ];
      }
    }
  }
  if (!best) return [...fallback];
  const [lo, hi] = best;
  return [lo.value - unitsPerPx * lo.padPx, hi.value + unitsPerPx * hi.padPx];
}

/** Plotly's padding for "padded" extremes: 5% of the axis length, in pixels. */
export const paddedPx = (lengthPx: number) => 0.05 * lengthPx;

/** How far a marker of this size reaches past its point, in pixels, as Plotly pads for it. */
export const markerReachPx = (size: number) => Math.max(size / 1.6, 3);

/** The lowest and highest finite value, or null: a loop, as a spread would overflow the stack on a long series. */
export function extentOf(values: Iterable<number | string | null>): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (typeof v !== 'number' || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : null;
}

export interface Tick {
  readonly value: number;
  readonly label: string;
}

/** The first of `set` above `value` (Plotly's roundUp, whose binary search passes an equal one): 2 → 5 of [2, 5, 10]. */
function roundUp(value: number, set: readonly number[]): number {
  return set.find((s) => s > value) ?? set[set.length - 1];
}

/** Tick spacing on a linear axis: Plotly's rough count for the length, then a 1-2-5 step. */
export function linearStep(range: readonly [number, number], lengthPx: number, direction: 'x' | 'y'): number {
  const minPx = direction === 'y' ? 40 : 80;
  const count = Math.min(9, Math.max(4, lengthPx / minPx)) + 1;
  const rough = Math.abs(range[1] - range[0]) / count;
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const base = 10 ** Math.floor(Math.log10(rough));
  return base * roundUp(rough / base, [2, 5, 10]);
}

const MINUS = '\u2212';
const SI_PREFIXES = ['f', 'p', 'n', 'μ', 'm', '', 'k', 'M', 'G', 'T'];

/** A tick label as Plotly writes it: digits from the step, trailing zeros dropped, SI suffixes past 9999, a true minus. */
export function formatTick(value: number, step: number, range: readonly [number, number]): string {
  let digits = 2 - Math.floor(Math.log10(step) + 0.01);
  const biggest = Math.max(Math.abs(range[0]), Math.abs(range[1]));
  const magnitude = Math.floor(Math.log10(biggest) + 0.01);
  const exponent = Math.abs(magnitude) > 3 && Math.abs(magnitude) < 15 ? 3 * Math.round((magnitude - 1) / 3) : 0;
  const epsilon = 10 ** -digits / 2;
  let v = Math.abs(value);
  if (v < epsilon) return '0';
  v += epsilon;
  if (exponent) {
    v *= 10 ** -exponent;
    digits += exponent;
  }
  let text: string;
  if (digits === 0) text = String(Math.floor(v));
  else if (digits < 0) {
    const whole = String(Math.round(v));
    text = whole.slice(0, Math.max(0, whole.length + digits)) + '0'.repeat(-digits);
  } else {
    text = String(v);
    const point = text.indexOf('.') + 1;
    if (point) text = text.slice(0, point + digits).replace(/\.?0+$/, '');
  }
  if (exponent) text += SI_PREFIXES[exponent / 3 + 5] ?? `e${exponent}`;
  return value < 0 ? MINUS + text : text;
}

/** Ticks of a linear axis, at multiples of the step inside the range (either way round). */
export function linearTicks(range: readonly [number, number], lengthPx: number, direction: 'x' | 'y'): Tick[] {
  const step = linearStep(range, lengthPx, direction);
  const [lo, hi] = range[0] <= range[1] ? range : [range[1], range[0]];
  const ticks: Tick[] = [];
  const slack = step * 1e-6;
  for (let k = Math.ceil((lo - slack) / step); k * step <= hi + slack && ticks.length < 100; k++) {
    const value = k * step;
    ticks.push({ value, label: formatTick(value, step, range) });
  }
  return ticks;
}

/** Ticks of a category axis: every category, or every n-th where they would crowd (Plotly's spacing for the font). */
export function categoryTicks(categories: readonly string[], range: readonly [number, number], lengthPx: number, fontSize: number): Tick[] {
  const minPx = Math.round(1.2 * fontSize);
  const rough = Math.abs(range[1] - range[0]) / (lengthPx / minPx);
  const step = Math.ceil(Math.max(rough, 1));
  const ticks: Tick[] = [];
  for (let i = 0; i < categories.length; i += step) ticks.push({ value: i, label: categories[i] });
  return ticks;
}
