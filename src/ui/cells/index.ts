/** Each section's cells, loaded when the section is first shown (keeps tfjs and Plotly out of the first load). */
import { startInItsOwnTask } from './one-per-task.ts';
import type { CellDef } from './types.ts';

type CellModule = Promise<{ cells: Record<string, CellDef> }>;

const LOADERS: Record<string, () => CellModule> = {
  setup: () => import('./setup.tsx'),
  why: () => import('./why.tsx'),
  intuition: () => import('./intuition.tsx'),
  math: () => import('./math.tsx'),
  data: () => import('./data.tsx'),
  masking: () => import('./masking.tsx'),
  statistics: () => import('./statistics.tsx'),
  transformer: () => import('./transformer.tsx'),
  training: () => import('./training.tsx'),
  exercises: () => import('./exercises.tsx'),
  results: () => import('./results.tsx'),
  beyond: () => import('./beyond.tsx'),
};

export async function loadCells(section: string): Promise<Record<string, CellDef>> {
  const load = LOADERS[section];
  return load ? (await startInItsOwnTask(load)).cells : {};
}

export const SECTIONS_WITH_CELLS = Object.keys(LOADERS);
