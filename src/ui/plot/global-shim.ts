/**
 * plotly.js's dependency has-hover reads Node's `global` when it loads. Vite does not
 * define it (that would need vite.config's `define`), so lend it for the moment the
 * bundle evaluates; plotly-bundle.ts takes it back. Imported first, so it runs first.
 */
const g = globalThis as { global?: unknown };

const lent = g.global === undefined;
if (lent) g.global = globalThis;

export function returnGlobal(): void {
  if (lent) delete g.global;
}
