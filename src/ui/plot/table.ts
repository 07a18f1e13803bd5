/**
 * The numbers behind a chart as a table: what a screen reader reads, what "Download CSV"
 * saves, and what e2e tests count. Pure functions of the traces.
 */
import type { Labels, PlotLayout, PlotTable, PlotTrace } from './types.ts';

type Cell = string | number;

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** A trace's display name; unnamed ones are numbered from 1 as a reader would count them. */
export function seriesName(trace: PlotTrace, index: number): string {
  return trace.name ?? `series ${index + 1}`;
}

/** Points Plotly actually draws: paired (x, y) with a finite y, and finite heatmap cells. */
export function countPoints(traces: readonly PlotTrace[]): number {
  let n = 0;
  for (const trace of traces) {
    if (trace.type === 'heatmap') {
      for (const row of trace.z) for (let j = 0; j < row.length; j++) if (finite(row[j])) n++;
    } else {
      const len = Math.min(trace.x.length, trace.y.length);
      for (let i = 0; i < len; i++) if (finite(trace.y[i])) n++;
    }
  }
  return n;
}

const cell = (v: number | string | null | undefined): Cell => (v === null || v === undefined ? '' : v);

function sameLabels(a: Labels, b: Labels): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Row labels of a heatmap axis: the given labels, else column/row indices. */
const axisLabels = (labels: Labels | undefined, n: number): Cell[] =>
  Array.from({ length: n }, (_, i) => (labels && i < labels.length ? labels[i] : i));

/**
 * The friendliest table the traces allow:
 * - one heatmap: the matrix itself, one row per y;
 * - lines/bars sharing one x: a column per series ("wide");
 * - anything else: one row per point, with the series named ("long").
 */
export function deriveTable(traces: readonly PlotTrace[], layout: PlotLayout = {}): PlotTable {
  const xName = layout.xTitle ?? 'x';
  const yName = layout.yTitle ?? 'y';
  const first = traces[0];

  if (traces.length === 1 && first.type === 'heatmap') {
    const cols = first.z.reduce((m, row) => Math.max(m, row.length), 0);
    const xs = axisLabels(first.x, cols);
    const ys = axisLabels(first.y, first.z.length);
    return {
      columns: [`${yName} \\ ${xName}`, ...xs.map(String)],
      rows: first.z.map((row, i) => [ys[i], ...Array.from({ length: cols }, (_, j) => cell(row[j]))]),
    };
  }

  const lines = traces.filter((t) => t.type !== 'heatmap');
  if (lines.length === traces.length && lines.length > 0 && lines.every((t) => sameLabels(t.x, lines[0].x))) {
    return {
      columns: lines.length === 1 && !first.name ? [xName, yName] : [xName, ...lines.map(seriesName)],
      rows: Array.from(lines[0].x, (x, i) => [x, ...lines.map((t) => cell(t.y[i]))]),
    };
  }

  const hasHeatmap = lines.length < traces.length;
  const rows: Cell[][] = [];
  traces.forEach((t, k) => {
    const name = seriesName(t, k);
    if (t.type === 'heatmap') {
      const cols = t.z.reduce((m, row) => Math.max(m, row.length), 0);
      const xs = axisLabels(t.x, cols);
      const ys = axisLabels(t.y, t.z.length);
      t.z.forEach((row, i) => {
        for (let j = 0; j < row.length; j++) rows.push([name, xs[j], ys[i], cell(row[j])]);
      });
    } else {
      const len = Math.min(t.x.length, t.y.length);
      for (let i = 0; i < len; i++) rows.push(hasHeatmap ? [name, t.x[i], cell(t.y[i]), ''] : [name, t.x[i], cell(t.y[i])]);
    }
  });
  return { columns: hasHeatmap ? ['series', xName, yName, 'z'] : ['series', xName, yName], rows };
}

/** RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes. */
export function csvField(v: Cell): string {
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : v;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Full precision, CRLF line ends (RFC 4180), so spreadsheets and pandas read it as is. */
export function toCsv(table: PlotTable): string {
  return [table.columns, ...table.rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** For reading aloud: four significant digits, integers as they are. The CSV keeps full precision. */
export function formatCell(v: Cell): string {
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return '';
  if (Number.isInteger(v) || Math.abs(v) >= 1000) return String(Math.round(v * 10) / 10);
  return String(Number(v.toPrecision(4)));
}
