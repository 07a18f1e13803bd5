/**
 * Read a repository file as JSON at build or test time, for the quoted
 * measurements (src/lesson/measured.ts). Node only. Each read is fresh, so a
 * dev server that re-transforms after a data file changes sees the new value.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Read } from '../lesson/measured.ts';

// From the module's own path, as a string: under jsdom (the ui tests) `new URL` is jsdom's, which Node's fileURLToPath refuses.
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function repoPath(path: string): string {
  return resolve(REPO_ROOT, path);
}

export const readRepoJson: Read = (path) => {
  let text: string;
  try {
    text = readFileSync(repoPath(path), 'utf8');
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
};
