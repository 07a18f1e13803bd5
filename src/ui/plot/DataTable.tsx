/**
 * The chart's numbers as a real table, behind a "Data table" disclosure. Rows render only
 * while it is open: a training curve's table can be thousands of rows, updated every frame.
 */
import { useMemo } from 'react';
import { formatCell } from './table.ts';
import type { PlotTable } from './types.ts';

interface DataTableProps {
  /** Computed only while open, for the same reason as above. */
  readonly table: () => PlotTable;
  readonly caption: string;
  readonly open: boolean;
  readonly onToggle: (open: boolean) => void;
}

export function DataTable({ table, caption, open, onToggle }: DataTableProps) {
  return (
    <details className="plot-table" open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>Data table</summary>
      {open && <Rows table={table} caption={caption} />}
    </details>
  );
}

function Rows({ table, caption }: Pick<DataTableProps, 'table' | 'caption'>) {
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
