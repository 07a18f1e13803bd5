/**
 * Plotly for one chart, loaded only once `wanted` (the reader engaged the chart, or its
 * static picture cannot show it): null until the lazy bundle arrives; a failure (say,
 * offline) as a message.
 */
import { useCallback, useEffect, useState } from 'react';
import { loadPlotly, type PlotlyApi } from './plotly.ts';
import { errorMessage } from '../../core/error-message.ts';

export interface PlotlyLoad {
  readonly plotly: PlotlyApi | null;
  /** Why Plotly did not load; null while all is well. */
  readonly failure: string | null;
}

const describe = (e: unknown) => errorMessage(e);

export function usePlotly(wanted: boolean): PlotlyLoad {
  const [plotly, setPlotly] = useState<PlotlyApi | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const fail = useCallback((e: unknown) => setFailure(describe(e)), []);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    loadPlotly().then(
      (p) => live && setPlotly(p),
      (e: unknown) => live && fail(e),
    );
    return () => {
      live = false;
    };
  }, [wanted, fail]);
  return { plotly, failure };
}
