/** What a live cell is: a titled computation with an optional source listing and a view of its output. */
import type { ComponentType } from 'react';

export interface CellContext {
  readonly seed: number;
  /** Aborted when the cell is re-run, cancelled or unmounted: long cells should stop. */
  readonly signal: AbortSignal;
  /** A long cell reports how far it is, for the progress bar beside Cancel. */
  readonly progress: (done: number, total: number) => void;
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
  run(ctx: CellContext): Promise<T> | T;
  readonly View: ComponentType<CellViewProps<T>>;
}

/** Cells are authored with their own output type; the registry erases it. */
export function cell<T>(def: CellDef<T>): CellDef {
  return def as unknown as CellDef;
}

/** A generator for one figure (pure: the compute worker draws the same). */
export { rngFor } from '../../core/figure-rng.ts';
