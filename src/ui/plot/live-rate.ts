/**
 * How often a chart fed by a live training run redraws, at most: a Plotly draw costs tens
 * of milliseconds on a slow laptop, and a run reports many times a second. Every live
 * chart (section 8's, the challenges') uses this one value as its minIntervalMs.
 */
export const LIVE_CHART_MS = 250;
