/**
 * The lesson's one Plotly wrapper, and its types. Usage:
 *
 *   <Plot
 *     traces={[{ type: 'scatter', x: steps, y: losses, name: 'loss per step' }]}
 *     layout={{ xTitle: 'training step', yTitle: 'loss (nats)' }}
 *     label="Training loss over 300 steps"
 *     filename="training-loss"
 *   />
 */
export { Plot, type PlotProps } from './Plot.tsx';
export { THEMES, type PlotTheme } from './theme.ts';
export { countPoints, deriveTable, toCsv } from './table.ts';
export { LIVE_CHART_MS } from './live-rate.ts';
export type {
  BarTrace,
  HeatmapTrace,
  LineDash,
  MarkerSymbol,
  PlotLayout,
  PlotTable,
  PlotTrace,
  ReferenceLine,
  ScatterTrace,
  ThemeName,
} from './types.ts';
