/**
 * A class build: `VITE_SOLUTIONS=off npm run build` leaves every reference
 * solution out of dist/. The solutions live in one module,
 * src/exercises/solutions.ts, which the page reaches only through a lazy
 * import; here the build resolves that module to one that has none, so no
 * chunk carries them. (`?solutions=off` in a link only hides the buttons.)
 * Runs in Node (Vite), never in the browser.
 */
import type { Plugin } from 'vite';

const EMPTY = '\0unmask-no-solutions';

export function classBuild(): Plugin {
  let withoutSolutions = false;
  return {
    name: 'unmask-class-build',
    enforce: 'pre',
    configResolved(c) {
      withoutSolutions = c.env.VITE_SOLUTIONS === 'off';
    },
    async resolveId(source, importer, options) {
      if (!withoutSolutions || !/solutions(\.ts)?$/.test(source)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id.replace(/\\/g, '/').endsWith('/src/exercises/solutions.ts') ? EMPTY : null;
    },
    load: (id) => (id === EMPTY ? 'export const SOLUTIONS = null;\n' : null),
  };
}
