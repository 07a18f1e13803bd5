/**
 * How big chart text is. 13 px suits a page read at arm's length; projector mode wraps
 * its slides in a larger size (20 px or more) so ticks, legends and axis titles read from
 * the back of a room. Heights grow with the text, so the plot area keeps its share.
 */
import { createContext, useContext, type ReactNode } from 'react';

export const PAGE_CHART_TEXT_PX = 13;
/** Projector mode's chart text: the issue asked for at least 20 px under 26 px prose. */
export const PROJECTOR_CHART_TEXT_PX = 20;

const ChartTextSize = createContext(PAGE_CHART_TEXT_PX);

export function ChartTextSizeProvider({ px, children }: { px: number; children: ReactNode }) {
  return <ChartTextSize.Provider value={px}>{children}</ChartTextSize.Provider>;
}

export function useChartTextSize(): number {
  return useContext(ChartTextSize);
}

/** A chart's height at text size `px`: tall enough that bigger ticks do not crush the data. */
export function scaledHeight(height: number, px: number): number {
  return Math.round(height * Math.min(1.5, Math.max(1, px / PAGE_CHART_TEXT_PX)));
}
