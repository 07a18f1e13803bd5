/**
 * The live run's auto-save: one record in IndexedDB holding everything needed
 * to carry on exactly (weights, optimizer moments, data stream, loss history).
 * Saved every few dozen steps and on pause; cleared when the run ends.
 *
 * What comes back out of storage is untrusted: another tab, an older version
 * or anything with access to this origin may have written it. `parseSavedRun`
 * checks every field against what a run of this model can hold before any of
 * it is used (a `totalSteps` of 1e9 once froze the page for 20 s).
 */
import { DEFAULT_MODEL } from '../../core/config.ts';
import { paramSpecs, sizeOf } from '../../core/params.ts';
import { getRecipe, type Recipe } from '../../core/recipes.ts';
import type { TrainerState } from '../../core/training.ts';
import type { Checkup } from '../../worker/protocol.ts';
import { stepsProblem } from './steps.ts';

export interface SavedRun {
  readonly version: 1;
  readonly recipe: string;
  readonly totalSteps: number;
  readonly seed: number;
  readonly trainer: TrainerState;
  /** PyTorch-layout weights by state_dict name. */
  readonly weights: Map<string, Float32Array>;
  /** Loss per step; null for a skipped step (nothing masked). */
  readonly losses: (number | null)[];
  readonly checkups: Checkup[];
  readonly savedAt: number;
}

/** Where a run is kept: IndexedDB in the browser, a Map in tests. */
export interface RunStorage {
  save(run: SavedRun): Promise<unknown>;
  clear(): Promise<unknown>;
  /** The stored record as it is, not yet checked. */
  load(): Promise<unknown>;
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
      const tx = db.transaction(STORE, mode);
      const req = work(tx.objectStore(STORE));
      let result: T;
      req.onsuccess = () => (result = req.result as T);
      // A write is only kept once its transaction commits: a full disk fails there, not at the request.
      tx.oncomplete = () => resolve(result);
      tx.onabort = () => reject(tx.error ?? req.error ?? new Error('IndexedDB gave up on the transaction'));
      tx.onerror = () => reject(tx.error ?? req.error ?? new Error('IndexedDB request failed'));
    });
  } finally {
    db.close();
  }
}

/** The browser's storage for the one live run. */
export const indexedDbRuns: RunStorage = {
  save: (run) => transact('readwrite', (s) => s.put(run, KEY)),
  clear: () => transact('readwrite', (s) => s.delete(KEY)),
  load: () => transact<unknown>('readonly', (s) => s.get(KEY)),
};

const isUint32 = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 0xffffffff;
/** A 32-bit word as the generator keeps it: signed or unsigned (its state holds both). */
const isWord = (v: unknown) => Number.isInteger(v) && (v as number) >= -0x80000000 && (v as number) <= 0xffffffff;
const isRatio = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 1;

function allFinite(xs: Float32Array): boolean {
  for (let i = 0; i < xs.length; i++) if (!Number.isFinite(xs[i])) return false;
  return true;
}

/** The values the optimizer's moments hold for `recipe`: every parameter it updates (the time MLP only when used). */
function optimizedValues(recipe: Recipe): number {
  return paramSpecs(DEFAULT_MODEL)
    .filter((p) => recipe.timeInput === 'learned' || !p.name.startsWith('time_mlp.'))
    .reduce((n, p) => n + sizeOf(p.shape), 0);
}

function checkupProblem(c: unknown, totalSteps: number): string | null {
  if (!c || typeof c !== 'object') return 'a check-up is not a record';
  const { step, t, accuracy, best } = c as Record<string, unknown>;
  if (!Number.isInteger(step) || (step as number) < 0 || (step as number) > totalSteps) return 'a check-up has a bad step';
  if (!Array.isArray(t) || t.length === 0 || t.length > 64 || !t.every(isRatio)) return 'a check-up has bad ratios';
  for (const xs of [accuracy, best]) if (!Array.isArray(xs) || xs.length !== t.length || !xs.every(isRatio)) return 'a check-up has bad accuracies';
  return null;
}

/**
 * A stored record as a run this version can resume, or what is wrong with it.
 * Every number is checked for type and range, every array for its length.
 */
export function parseSavedRun(raw: unknown): { run: SavedRun } | { problem: string } {
  const bad = (problem: string) => ({ problem });
  if (!raw || typeof raw !== 'object') return bad('it is not a saved run');
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) return bad(`it was saved by another version (${JSON.stringify(r.version)})`);
  if (typeof r.recipe !== 'string') return bad('it names no recipe');
  let recipe: Recipe;
  try {
    recipe = getRecipe(r.recipe);
  } catch {
    return bad(`it names an unknown recipe (${JSON.stringify(r.recipe.slice(0, 40))})`);
  }
  const stepsWrong = stepsProblem(r.totalSteps);
  if (stepsWrong) return bad(`its length is wrong: ${stepsWrong}`);
  const totalSteps = r.totalSteps as number;
  if (!isUint32(r.seed)) return bad('its seed is not a whole number from 0 to 4294967295');
  if (typeof r.savedAt !== 'number' || !Number.isFinite(r.savedAt)) return bad('it has no time of saving');

  const trainer = r.trainer as Record<string, unknown> | null;
  if (!trainer || typeof trainer !== 'object') return bad('it has no trainer state');
  const step = trainer.step;
  if (!Number.isInteger(step) || (step as number) < 1 || (step as number) > totalSteps) return bad(`its step is not between 1 and ${totalSteps}`);
  const rng = trainer.rng;
  if (!Array.isArray(rng) || rng.length !== 4 || !rng.every(isWord) || rng.every((v) => v === 0)) return bad('its random-number state is damaged');
  const opt = trainer.optimizer as Record<string, unknown> | null;
  const moments = optimizedValues(recipe);
  if (!opt || typeof opt !== 'object' || !Number.isInteger(opt.step) || (opt.step as number) < 0 || (opt.step as number) > (step as number)) {
    return bad('its optimizer state is damaged');
  }
  for (const key of ['m', 'v'] as const) {
    const xs = opt[key];
    if (!(xs instanceof Float32Array) || xs.length !== moments || !allFinite(xs)) return bad(`its optimizer moments (${key}) are damaged`);
  }
  if ((opt.v as Float32Array).some((x) => x < 0)) return bad('its optimizer moments (v) are damaged');

  if (!(r.weights instanceof Map)) return bad('it has no weights');
  const specs = paramSpecs(DEFAULT_MODEL);
  if (r.weights.size !== specs.length) return bad(`it has ${r.weights.size} weight arrays, expected ${specs.length}`);
  for (const { name, shape } of specs) {
    const w: unknown = r.weights.get(name);
    if (!(w instanceof Float32Array)) return bad(`weight ${name} is missing`);
    if (w.length !== sizeOf(shape)) return bad(`weight ${name} has ${w.length} values, expected ${sizeOf(shape)}`);
    if (!allFinite(w)) return bad(`weight ${name} holds a value that is not a finite number`);
  }

  const losses = r.losses;
  if (
    !Array.isArray(losses) ||
    losses.length > (step as number) ||
    !losses.every((l) => l === null || (typeof l === 'number' && Number.isFinite(l)))
  ) {
    return bad('its loss history is damaged');
  }
  const checkups = r.checkups;
  if (!Array.isArray(checkups) || checkups.length > totalSteps) return bad('its check-ups are damaged');
  for (const c of checkups) {
    const problem = checkupProblem(c, totalSteps);
    if (problem) return bad(problem);
  }
  return { run: raw as SavedRun };
}
