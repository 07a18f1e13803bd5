/**
 * Plotly, loaded on first use. The partial bundle is its own lazy chunk (about 370 kB
 * gzipped), so the lesson's first paint never waits for it.
 */
import type { Figure, PlotlyObject } from './figure.ts';

/** The few Plotly calls the wrapper makes, typed by hand (plotly.js ships no types). */
export interface PlotlyApi {
  react(gd: HTMLElement, data: PlotlyObject[], layout: PlotlyObject, config: PlotlyObject): Promise<unknown>;
  purge(gd: HTMLElement): void;
  /** A drawn chart, or a figure to draw off screen for the image. */
  downloadImage(
    gd: HTMLElement | Figure,
    options: { format: 'png'; filename: string; width: number; height: number; scale?: number },
  ): Promise<string>;
  Plots: { resize(gd: HTMLElement): Promise<unknown> };
}

let loading: Promise<PlotlyApi> | undefined;

/** One download for every chart; after a failure (say, offline) the next chart tries again. */
export function loadPlotly(): Promise<PlotlyApi> {
  loading ??= import('./plotly-bundle.ts').then(
    (m) => m.default,
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
