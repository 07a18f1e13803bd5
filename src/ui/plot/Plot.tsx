/**
 * The one chart component of the lesson. Plotly arrives lazily; until then (or if it never
 * does) the reader gets a sized placeholder, and the numbers behind the chart's menu.
 * Drawing (the scheduler, the live canvas, resizing) is useChartDraw's; this file only
 * lays out the chart, its menu and its table.
 */
import { useCallback, useRef, useState } from 'react';
import { saveText } from './download.ts';
import { DataTable } from './DataTable.tsx';
import { PlotMenu } from './PlotMenu.tsx';
import { useReducedMotion, useTheme } from './preferences.ts';
import { countPoints, deriveTable, toCsv } from './table.ts';
import { scaledHeight, useChartTextSize } from './text-size.tsx';
import type { PlotLayout, PlotTable, PlotTrace } from './types.ts';
import { useChartDraw } from './use-chart-draw.ts';
import { usePlotly } from './use-plotly.ts';
import './plot.css';

export interface PlotProps {
  readonly traces: readonly PlotTrace[];
  readonly layout?: PlotLayout;
  /** What the chart shows, for screen readers (aria-label) and the table's caption. */
  readonly label: string;
  /** Download name without extension, e.g. 'accuracy-vs-t'. */
  readonly filename: string;
  /** The screen-reader table and CSV; derived from the traces when left out. */
  readonly table?: PlotTable;
  /** Pixels at the page's text size; the placeholder has the same height, so nothing jumps when Plotly arrives. */
  readonly height?: number;
  /** Least time between two draws, for charts fed many times a second (live training): LIVE_CHART_MS. */
  readonly minIntervalMs?: number;
  /**
   * Data is streaming in (live training): while the axes stay fixed, Plotly draws the frame
   * once and the lines are painted on a canvas over it every frame (live-canvas.ts). Plotly
   * draws everything again once this turns false.
   */
  readonly live?: boolean;
}

const NO_LAYOUT: PlotLayout = {};

export function Plot({ traces, layout = NO_LAYOUT, label, filename, table, height = 320, minIntervalMs = 0, live = false }: PlotProps) {
  const graph = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const theme = useTheme();
  const reducedMotion = useReducedMotion();
  const fontSize = useChartTextSize();
  const shownHeight = scaledHeight(height, fontSize);
  const { plotly, failure, fail } = usePlotly();
  const [drawnPoints, setDrawnPoints] = useState<number | null>(null); // null until the first draw
  const [tableChoice, setTableOpen] = useState(false);
  const tableOpen = tableChoice || failure !== null; // no chart, so show the numbers

  useChartDraw({
    plotly,
    graph,
    canvas,
    props: { traces, layout, theme, reducedMotion, height: shownHeight, fontSize, live },
    minIntervalMs,
    onDrawn: setDrawnPoints,
    onError: fail,
  });

  const tableData = useCallback(() => table ?? deriveTable(traces, layout), [table, traces, layout]);
  const downloadPng = () => {
    const gd = graph.current;
    if (!plotly || !gd) return;
    plotly.downloadImage(gd, { format: 'png', filename, width: gd.clientWidth || 800, height: shownHeight, scale: 2 }).catch(fail);
  };
  const downloadCsv = () => saveText(toCsv(tableData()), `${filename}.csv`, 'text/csv;charset=utf-8');

  const ready = drawnPoints !== null && !failure;
  // Nothing to save or tabulate on an empty chart (a live chart before its run).
  const empty = countPoints(traces) === 0 && (table?.rows.length ?? 0) === 0;
  return (
    <div className="plot">
      <div className="plot-stage" style={{ height: shownHeight }}>
        <div
          ref={graph}
          className="plot-graph"
          data-testid="plot"
          role={failure ? undefined : 'img'}
          aria-label={failure ? undefined : label}
          data-ready={ready ? 'true' : 'false'}
          data-points={drawnPoints ?? 0}
        />
        <canvas ref={canvas} className="plot-live" aria-hidden="true" />
        {failure ? (
          <p className="plot-error" role="alert">
            <span>
              The chart could not be drawn, but its numbers are in the data table below.
              <small>{failure}</small>
            </span>
          </p>
        ) : (
          !ready && (
            <div className="plot-placeholder" role="status">
              Loading chart…
            </div>
          )
        )}
      </div>
      {!empty && (
        <div className="plot-actions">
          <PlotMenu
            chart={label}
            onPng={failure ? null : downloadPng}
            pngReady={ready}
            onCsv={downloadCsv}
            tableOpen={tableOpen}
            onTable={setTableOpen}
          />
        </div>
      )}
      {tableOpen && <DataTable table={tableData} caption={label} />}
    </div>
  );
}
