/**
 * The lesson's current model: its weights (plain Float32Arrays, never
 * tensors), the options it was built with, and where it came from. It loads
 * shipped checkpoints and uploaded files (checked before anything changes),
 * takes over a model trained in section 8, writes the download, and runs the
 * cells' computations on it in the compute worker. Components subscribe to a
 * small snapshot of plain values.
 */
import { errorMessage } from '../../core/error-message.ts';
import type { ModelOptions } from '../../core/model-factory.ts';
import type { JobArgs, JobName, JobResult } from '../../compute/jobs.ts';
import type { ComputeClient, ModelPayload } from './compute-client.ts';

export interface PretrainedInfo {
  readonly id: 'learns-5000' | 'notebook-3000' | 'curriculum-6500' | 'fast-5000';
  readonly label: string;
  readonly recipe: string;
  readonly steps: number;
}

export const PRETRAINED: readonly PretrainedInfo[] = [
  { id: 'learns-5000', label: 'the learns recipe, 5000 steps', recipe: 'learns', steps: 5000 },
  { id: 'notebook-3000', label: "the notebook's recipe, 3000 steps", recipe: 'notebook', steps: 3000 },
  { id: 'curriculum-6500', label: 'the curriculum recipe, 6500 steps', recipe: 'curriculum', steps: 6500 },
  { id: 'fast-5000', label: 'the fast recipe, 5000 steps', recipe: 'fast', steps: 5000 },
];

export interface ModelSnapshot {
  /** Bumps whenever the model changes (loaded, trained, replaced), so old outputs can be marked stale. */
  readonly version: number;
  /** Where the current weights came from, for learners; null when no model is loaded. */
  readonly label: string | null;
  readonly loading: string | null;
  readonly error: string | null;
}

/** A file much larger than this is not this model's weights (about 0.6 MB), and is not read whole. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

/** A copy of a model's weights that may be transferred to a worker without emptying the store's. */
export function copyWeights(weights: ReadonlyMap<string, Float32Array>): Map<string, Float32Array> {
  return new Map([...weights].map(([name, w]) => [name, w.slice()]));
}

export interface Computed<T> {
  readonly result: T;
  /** The label of the model it ran on, read when the job started. */
  readonly label: string;
  readonly version: number;
}

/**
 * Resolves once the browser has painted what the page shows now, or after `capMs` (a hidden tab
 * paints nothing). A click that loads a model is answered by its "Loading…" line at once, before
 * the weights land and every cell waiting for a model renders in one go.
 */
export function afterNextPaint(capMs = 100): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') return resolve();
    const cap = setTimeout(resolve, capMs);
    // A frame callback runs before the paint; the task after it runs after the paint.
    requestAnimationFrame(() =>
      setTimeout(() => {
        clearTimeout(cap);
        resolve();
      }, 0),
    );
  });
}

export class ModelStore {
  private model: (ModelPayload & { readonly label: string }) | null = null;
  private snapshot: ModelSnapshot = { version: 0, label: null, loading: null, error: null };
  private readonly listeners = new Set<() => void>();
  /** The last load asked for (it runs after any before it): one at a time, so two never race. */
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly compute: Pick<ComputeClient, 'run'>,
    private readonly fetchFile: (path: string) => Promise<Response> = (path) => fetch(path),
  ) {}

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): ModelSnapshot => this.snapshot;

  hasModel(): boolean {
    return this.model !== null;
  }

  /** The current weights and options (read-only), for exercises and hand-overs; null when none is loaded. */
  current(): ModelPayload | null {
    return this.model;
  }

  private set(patch: Partial<ModelSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const fn of this.listeners) fn();
  }

  /** Make these weights the lesson's model. */
  replace(weights: ReadonlyMap<string, Float32Array>, options: ModelOptions, label: string): void {
    const version = this.snapshot.version + 1;
    this.model = { version, weights, options, label };
    this.set({ version, label, loading: null, error: null });
  }

  /** Run a computation on the current model in the compute worker. */
  async run<N extends JobName>(
    name: N,
    args: JobArgs<N>,
    options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<Computed<JobResult<N>>> {
    const model = this.model;
    if (!model) throw new Error('no trained model is loaded');
    const result = await this.compute.run(name, args, { ...options, model });
    return { result, label: model.label, version: model.version };
  }

  /**
   * Run one load, showing `what` as loading. A load asked for while another runs starts
   * when that one ends, so the last one asked for is the model in the end and two never
   * race: the pickers disable their buttons while a load runs, but pickers other than the
   * clicked one learn of it a frame or two later, and an upload can come at any time.
   */
  private loading(what: string, job: () => Promise<void>): Promise<void> {
    const run = async () => {
      this.set({ loading: what, error: null });
      try {
        await afterNextPaint();
        await job();
      } catch (e) {
        const kept = this.snapshot.label ? ` The current model (${this.snapshot.label}) is kept.` : '';
        this.set({ loading: null, error: `Loading ${what} failed: ${errorMessage(e)}.${kept}` });
      }
    };
    // Nothing running: start now, so "Loading…" is set in the click's own task.
    const load = (this.inFlight ? this.inFlight.then(run) : run()).finally(() => {
      if (this.inFlight === load) this.inFlight = null;
    });
    this.inFlight = load;
    return load;
  }

  /** Check a weights file fully, then adopt it; a bad file throws and leaves the current model in place. */
  private async adopt(bytes: Uint8Array, label: string): Promise<void> {
    // The file code loads with the first file: the first screen needs none of it.
    const { readCheckpoint } = await import('../../core/checkpoint.ts');
    const { weights, options } = readCheckpoint(bytes);
    this.replace(weights, options, label);
  }

  /** Fetch and load one of the shipped checkpoints. */
  loadPretrained(info: PretrainedInfo): Promise<void> {
    return this.loading(info.label, async () => {
      const response = await this.fetchFile(`pretrained/${info.id}.safetensors`);
      if (!response.ok) throw new Error(`could not download the weights (HTTP ${response.status})`);
      await this.adopt(new Uint8Array(await response.arrayBuffer()), `pretrained: ${info.label}`);
    });
  }

  /** Load weights the learner uploads: safetensors with PyTorch's names, from here, `unmask train` or the notebook. */
  loadFile(file: Blob & { readonly name: string }): Promise<void> {
    return this.loading(`"${file.name}"`, async () => {
      if (file.size > MAX_UPLOAD_BYTES) throw new Error(`the file is ${(file.size / 2 ** 20).toFixed(0)} MB; this model's weights are under 1 MB`);
      await this.adopt(new Uint8Array(await file.arrayBuffer()), `uploaded: ${file.name}`);
    });
  }

  /** The current model as a safetensors file (PyTorch names, its options recorded), or null when none is loaded. */
  async download(): Promise<Blob | null> {
    const model = this.model;
    if (!model) return null;
    const { writeCheckpoint } = await import('../../core/checkpoint.ts');
    const bytes = writeCheckpoint(model.weights, model.options, { source: model.label });
    return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  }
}
