/** Plotly for one chart: null until the lazy bundle arrives; a failure (say, offline) as a message. */
import { useCallback, useEffect, useState } from 'react';
import { loadPlotly, type PlotlyApi } from './plotly.ts';
import { errorMessage } from '../../core/error-message.ts';

export interface PlotlyLoad {
  readonly plotly: PlotlyApi | null;
  /** Why the chart cannot be drawn (Plotly did not load, or refused the data); null while all is well. */
  readonly failure: string | null;
  /** Report a failure to draw. */
  readonly fail: (e: unknown) => void;
}

const describe = (e: unknown) => errorMessage(e);

export function usePlotly(): PlotlyLoad {
  const [plotly, setPlotly] = useState<PlotlyApi | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const fail = useCallback((e: unknown) => setFailure(describe(e)), []);
  useEffect(() => {
    let live = true;
    loadPlotly().then(
      (p) => live && setPlotly(p),
      (e: unknown) => live && fail(e),
    );
    return () => {
      live = false;
    };
  }, [fail]);
  return { plotly, failure, fail };
}
