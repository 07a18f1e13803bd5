/**
 * The chart vocabulary of the lesson: a small, typed subset of Plotly. Every chart is
 * built from these three traces, so the partial Plotly bundle registers only them.
 */

/** One axis of values. Typed arrays are welcome: training metrics arrive as Float32Array. */
export type Values = readonly (number | null)[] | Float32Array | Float64Array;
/** Positions on an axis: numbers, or category labels such as tokens. */
export type Labels = readonly (number | string)[] | Float32Array | Float64Array;

export type LineDash = 'solid' | 'dash' | 'dot' | 'dashdot';
export type MarkerSymbol = 'circle' | 'square' | 'diamond' | 'triangle-up' | 'x' | 'cross';

/** Lines and/or markers; a null in y leaves a gap. */
export interface ScatterTrace {
  readonly type: 'scatter';
  readonly x: Labels;
  readonly y: Values;
  /** Default 'lines'. */
  readonly mode?: 'lines' | 'markers' | 'lines+markers';
  readonly name?: string;
  /** Any CSS colour; default: the theme's colour-blind-safe palette, by series. */
  readonly color?: string;
  /** Default: varies by series, so colour is never the only thing telling lines apart. */
  readonly dash?: LineDash;
  /** Default: varies by series, like dash. */
  readonly symbol?: MarkerSymbol;
}

/** Bars from values we computed ourselves (histograms are bars of counts). */
export interface BarTrace {
  readonly type: 'bar';
  readonly x: Labels;
  readonly y: Values;
  readonly name?: string;
  readonly color?: string;
  /** Bar width in x units; default: Plotly's, from the spacing of x. */
  readonly width?: number;
}

/** A matrix of values, z[row][column], rows along y and columns along x. */
export interface HeatmapTrace {
  readonly type: 'heatmap';
  readonly z: readonly Values[];
  readonly x?: Labels;
  readonly y?: Labels;
  readonly name?: string;
  /**
   * Colour-blind-safe scales only. Default 'Viridis' (sequential); 'RdBu' is diverging,
   * for signed values: blue below zmid, red above.
   */
  readonly colorscale?: 'Viridis' | 'Cividis' | 'Greys' | 'Blues' | 'RdBu';
  readonly zmin?: number;
  readonly zmax?: number;
  /** Value at the centre of a diverging scale; default 0 for 'RdBu'. */
  readonly zmid?: number;
  /** Title of the colour bar, e.g. 'probability'. */
  readonly zTitle?: string;
}

export type PlotTrace = ScatterTrace | BarTrace | HeatmapTrace;

export interface PlotLayout {
  readonly title?: string;
  readonly xTitle?: string;
  readonly yTitle?: string;
  readonly xRange?: readonly [number, number];
  readonly yRange?: readonly [number, number];
  readonly xType?: 'linear' | 'log' | 'category';
  readonly yType?: 'linear' | 'log' | 'category';
  /** y grows downwards, as matrix rows do (row 1 on top). */
  readonly yReversed?: boolean;
  /**
   * Default: two to five named lines are labelled at their ends, on the chart; other
   * charts with more than one trace get a legend. true or false forces a legend or none.
   */
  readonly showLegend?: boolean;
  /** How bar traces share an x position. Default 'group'. */
  readonly barmode?: 'group' | 'overlay' | 'stack';
  /** Gap between bars as a fraction of their slot; 0 for a histogram look. */
  readonly bargap?: number;
  /** Ease between updates (never under prefers-reduced-motion). Off by default: training redraws every frame. */
  readonly animate?: boolean;
  /** Dotted vertical lines across the plot, labelled above it: an expected value, a threshold. */
  readonly vLines?: readonly ReferenceLine[];
}

export interface ReferenceLine {
  readonly x: number;
  readonly label: string;
}

/** What the screen-reader table and the CSV hold. */
export interface PlotTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number)[])[];
}

export type ThemeName = 'light' | 'dark';
