/**
 * The one chart component of the lesson. A chart is first drawn as a static picture
 * (static-chart.ts: Plotly's frame, without Plotly's cost); Plotly is loaded and takes
 * over the first time the reader reaches for the chart (pointer or touch), for hover and
 * zoom. Until the first draw the reader gets a sized placeholder, and the numbers are
 * behind the chart's menu all along. Drawing (the scheduler, the live canvas, resizing)
 * is useChartDraw's; this file only lays out the chart, its menu and its table.
 */
import { useCallback, useRef, useState, type PointerEvent } from 'react';
import { saveText } from './download.ts';
import { errorMessage } from '../../core/error-message.ts';
import { DataTable } from './DataTable.tsx';
import { toPlotlyFigure } from './figure.ts';
import { loadPlotly } from './plotly.ts';
import { PlotMenu } from './PlotMenu.tsx';
import { useReducedMotion, useTheme } from './preferences.ts';
import { countPoints, deriveTable, toCsv } from './table.ts';
import { THEMES } from './theme.ts';
import { scaledHeight, useChartTextSize } from './text-size.tsx';
import type { PlotLayout, PlotTable, PlotTrace } from './types.ts';
import { picturesPossible, useChartDraw } from './use-chart-draw.ts';
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
  // The reader reached for the chart; or its picture cannot show it: either way Plotly draws it.
  const [engaged, setEngaged] = useState(false);
  const [needsPlotly, setNeedsPlotly] = useState(() => !picturesPossible());
  const { plotly, failure: loadFailure } = usePlotly(engaged || needsPlotly);
  // Plotly failing to arrive (offline) costs an engaged chart only its hover: the picture stays.
  const [drawFailure, setDrawFailure] = useState<string | null>(null);
  const failure = drawFailure ?? (needsPlotly ? loadFailure : null);
  const [drawnPoints, setDrawnPoints] = useState<number | null>(null); // null until the first draw
  const [tableChoice, setTableOpen] = useState(false);
  const tableOpen = tableChoice || failure !== null; // no chart, so show the numbers

  const onNeedsPlotly = useCallback(() => setNeedsPlotly(true), []);
  // A pointer that really moves over the chart, not one the page scrolled under (the browser
  // then sends moves of zero): a wheel scroll down the lesson engages nothing.
  const engageOnMove = (e: PointerEvent<HTMLDivElement>) => {
    if (!engaged && (e.movementX !== 0 || e.movementY !== 0)) setEngaged(true);
  };
  const onDrawError = useCallback((e: unknown) => setDrawFailure(errorMessage(e)), []);
  useChartDraw({
    plotly,
    engaged,
    onNeedsPlotly,
    graph,
    canvas,
    props: { traces, layout, theme, reducedMotion, height: shownHeight, fontSize, live },
    minIntervalMs,
    onDrawn: setDrawnPoints,
    onError: onDrawError,
  });

  const tableData = useCallback(() => table ?? deriveTable(traces, layout), [table, traces, layout]);
  // The image is drawn by Plotly off screen from the same figure, whichever way the chart is shown.
  const downloadPng = () => {
    const width = graph.current?.clientWidth || 800;
    const options = { theme: THEMES[theme], height: shownHeight, reducedMotion: true, revision: 0, fontSize, width };
    loadPlotly()
      .then((p) => p.downloadImage(toPlotlyFigure(traces, layout, options), { format: 'png', filename, width, height: shownHeight, scale: 2 }))
      .catch(onDrawError);
  };
  const downloadCsv = () => saveText(toCsv(tableData()), `${filename}.csv`, 'text/csv;charset=utf-8');

  const ready = drawnPoints !== null && !failure;
  // Nothing to save or tabulate on an empty chart (a live chart before its run).
  const empty = countPoints(traces) === 0 && (table?.rows.length ?? 0) === 0;
  return (
    <div className="plot">
      <div className="plot-stage" style={{ height: shownHeight }} onPointerMove={engageOnMove} onPointerDown={() => setEngaged(true)}>
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
