/**
 * What the page and the compute worker say to each other. The page sends the
 * current model's weights once per model, then jobs by name; the worker
 * answers with plain data (numbers, strings, typed arrays) and progress.
 */
import type { BackendChoice } from '../core/backend.ts';
import type { ModelOptions } from '../core/model-factory.ts';
import type { Probe } from './backend-probe.ts';

export type ToCompute =
  /**
   * Start tfjs: on `order` as given (a cached probe, or the learner's or the
   * URL's choice), or, with `probe`, time `candidates` and keep the fastest.
   */
  | {
      readonly type: 'init';
      readonly order: readonly string[] | null;
      readonly candidates: readonly string[];
      readonly cachedFingerprint: string | null;
    }
  /** The model every later job runs on, until the next one. */
  | { readonly type: 'model'; readonly version: number; readonly weights: [string, Float32Array][]; readonly options: ModelOptions }
  | { readonly type: 'job'; readonly id: number; readonly name: string; readonly args: unknown; readonly modelVersion: number }
  | { readonly type: 'cancel'; readonly id: number };

export type FromCompute =
  /** tfjs started; `probe` is set when backends were timed (else a cached probe still held). */
  | { readonly type: 'ready'; readonly choice: BackendChoice; readonly probe: Probe | null; readonly fingerprint: string }
  | { readonly type: 'init-failed'; readonly message: string }
  | { readonly type: 'progress'; readonly id: number; readonly done: number; readonly total: number }
  | { readonly type: 'result'; readonly id: number; readonly result: unknown }
  | { readonly type: 'error'; readonly id: number; readonly message: string; readonly cancelled: boolean }
  /** The GPU went away: the worker is unusable, and the page starts another on the next backend. */
  | { readonly type: 'lost'; readonly message: string };

/** Typed arrays inside a result, to transfer instead of copy. */
export function transferables(value: unknown, out: ArrayBuffer[] = [], depth = 0): ArrayBuffer[] {
  if (depth > 6 || value === null || typeof value !== 'object') return out;
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer as ArrayBuffer;
    // Only a view that owns its whole buffer can give it away without taking others' data along.
    if (value.byteOffset === 0 && value.byteLength === buffer.byteLength && !out.includes(buffer)) out.push(buffer);
    return out;
  }
  for (const v of Array.isArray(value) ? value : Object.values(value)) transferables(v, out, depth + 1);
  return out;
}
