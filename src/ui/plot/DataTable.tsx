/**
 * The chart's numbers as a real table, shown from the chart's menu (and by itself when the
 * chart cannot be drawn). Rows render only while it is shown: a training curve's table can
 * be thousands of rows, updated every frame.
 */
import { useMemo } from 'react';
import { formatCell } from './table.ts';
import type { PlotTable } from './types.ts';

interface DataTableProps {
  /** Computed only while shown, for the same reason as above. */
  readonly table: () => PlotTable;
  readonly caption: string;
}

export function DataTable({ table, caption }: DataTableProps) {
  const { columns, rows } = useMemo(table, [table]);
  return (
    // Focusable so a keyboard can scroll a long table (axe: scrollable-region-focusable).
    <div className="plot-table-scroll" tabIndex={0} role="region" aria-label={`${caption}: data`}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {columns.map((c, j) => (
              <th key={j} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={i}>
              {row.map((v, j) =>
                j === 0 ? (
                  <th key={j} scope="row">
                    {formatCell(v)}
                  </th>
                ) : (
                  <td key={j}>{formatCell(v)}</td>
                ),
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
