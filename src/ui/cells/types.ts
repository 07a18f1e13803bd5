/** What a live cell is: a titled computation with an optional source listing and a view of its output. */
import type { ComponentType } from 'react';
import { Rng } from '../../core/rng.ts';

export interface CellContext {
  readonly seed: number;
  /** Aborted when the cell is re-run, cancelled or unmounted: long cells should stop. */
  readonly signal: AbortSignal;
  /** A long cell says how far it is (done of total, e.g. sequences evaluated); the cell shows a bar. */
  readonly reportProgress?: (done: number, total: number) => void;
}

export interface CellViewProps<T> {
  readonly out: T;
  readonly ctx: CellContext;
}

export interface CellDef<T = unknown> {
  readonly title: string;
  /** The engine code this cell runs, shown on demand (a `?raw` import, loaded lazily). */
  readonly source?: () => Promise<{ default: string }>;
  /** The cell runs the trained model: without one it offers to load or train one. */
  readonly needsModel?: boolean;
  /** A live view of state elsewhere (the training run): shown as soon as the section loads, no Run needed. */
  readonly live?: boolean;
  /** Needs no input and is quick (a static diagram, a table): runs by itself when scrolled into view. */
  readonly auto?: boolean;
  run(ctx: CellContext): Promise<T> | T;
  readonly View: ComponentType<CellViewProps<T>>;
}

/** Cells are authored with their own output type; the registry erases it. */
export function cell<T>(def: CellDef<T>): CellDef {
  return def as unknown as CellDef;
}

/** FNV-1a: a stable 32-bit hash of a cell id, to give each cell its own stream. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A generator for one figure: the same seed and name always give the same draws. */
export function rngFor(seed: number, name: string): Rng {
  return new Rng((seed ^ hash(name)) >>> 0);
}
