/**
 * The live run's auto-save: one record in IndexedDB holding everything needed
 * to carry on exactly (weights, optimizer moments, data stream, loss history).
 * Saved every few dozen steps and on pause; cleared when the run ends.
 */
import type { TrainerState } from '../core/training.ts';
import type { Checkup } from './live-training.ts';

export interface SavedRun {
  readonly version: 1;
  readonly recipe: string;
  readonly totalSteps: number;
  readonly seed: number;
  readonly trainer: TrainerState;
  /** PyTorch-layout weights by state_dict name. */
  readonly weights: Map<string, Float32Array>;
  readonly losses: number[];
  readonly checkups: Checkup[];
  readonly savedAt: number;
}

const DB = 'unmask';
const STORE = 'runs';
const KEY = 'live';

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') return reject(new Error('this browser has no IndexedDB'));
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB would not open'));
  });
}

async function transact<T>(mode: IDBTransactionMode, work: (store: IDBObjectStore) => IDBRequest): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = work(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result as T);
      req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

export function saveRun(run: SavedRun): Promise<unknown> {
  return transact('readwrite', (s) => s.put(run, KEY));
}

export function clearRun(): Promise<unknown> {
  return transact('readwrite', (s) => s.delete(KEY));
}

/** The saved run, or null if there is none or it is not one this version can resume. */
export async function loadRun(): Promise<SavedRun | null> {
  const run = await transact<SavedRun | undefined>('readonly', (s) => s.get(KEY));
  const ok =
    run &&
    run.version === 1 &&
    typeof run.recipe === 'string' &&
    Number.isInteger(run.totalSteps) &&
    Number.isInteger(run.seed) &&
    run.weights instanceof Map &&
    Array.isArray(run.losses) &&
    run.trainer &&
    Number.isInteger(run.trainer.step) &&
    run.trainer.step <= run.totalSteps;
  return ok ? run : null;
}
