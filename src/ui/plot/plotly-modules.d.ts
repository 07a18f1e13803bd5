// plotly.js ships no types; these are the three entry points plotly-bundle.ts uses.
declare module 'plotly.js/lib/core' {
  const Plotly: import('./plotly.ts').PlotlyApi & { register(modules: readonly unknown[]): void };
  export default Plotly;
}
declare module 'plotly.js/lib/bar' {
  const trace: unknown;
  export default trace;
}
declare module 'plotly.js/lib/heatmap' {
  const trace: unknown;
  export default trace;
}
