/**
 * `virtual:exercise-sandbox`: what the page needs to start the exercise
 * sandbox, built in Node by this plugin, in dev and build alike:
 * - runtimeSource: src/exercises/sandbox/runtime.ts and everything it imports
 *   (tfjs-core, the cpu backend, the model) bundled as one classic script, the
 *   text the sandbox frame turns into a blob: worker. One file, no imports: an
 *   opaque-origin worker may load nothing;
 * - frameHtml: the sandbox frame's document, with its policy and bootstrap.
 * The module is imported lazily, on the first check, so it costs the first
 * load nothing; the service worker precaches its chunk like any other.
 */
import { resolve } from 'node:path';
import type { Plugin } from 'vite';
import { frameDocument } from '../exercises/sandbox/frame.ts';
import { SANDBOX_BOOTSTRAP_HASH } from './csp.ts';

const ID = 'virtual:exercise-sandbox';
const RESOLVED = `\0${ID}`;

export function exerciseSandbox(): Plugin {
  let root = process.cwd();
  let minify = false;
  return {
    name: 'unmask-exercise-sandbox',
    configResolved(c) {
      root = c.root;
      minify = c.command === 'build';
    },
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    async load(id) {
      if (id !== RESOLVED) return undefined;
      // Vite 8 bundles with rolldown (and bundles its own workers the same way).
      const { rolldown } = await import('rolldown');
      const bundle = await rolldown({
        input: resolve(root, 'src/exercises/sandbox/runtime.ts'),
        platform: 'browser',
        transform: { define: { 'process.env.NODE_ENV': JSON.stringify('production') } },
        logLevel: 'warn',
      });
      try {
        const { output } = await bundle.generate({ format: 'iife', minify });
        for (const file of await bundle.watchFiles) this.addWatchFile(file);
        return `export const runtimeSource = ${JSON.stringify(output[0].code)};\nexport const frameHtml = ${JSON.stringify(frameDocument(SANDBOX_BOOTSTRAP_HASH))};\n`;
      } finally {
        await bundle.close();
      }
    },
  };
}
