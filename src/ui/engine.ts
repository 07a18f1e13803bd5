/**
 * The page's one TensorFlow.js engine and its current model. tfjs loads lazily
 * (its own chunk) the first time a cell needs it. The model is held here, never
 * in React state: components subscribe to a small snapshot of plain values.
 */
import type { BackendChoice } from '../core/backend.ts';
import type { DiffusionLM } from '../core/model.ts';

let backend: Promise<BackendChoice> | null = null;

/** Start tfjs once; every later call gets the same backend. */
export function startEngine(): Promise<BackendChoice> {
  backend ??= import('../worker/tfjs-browser.ts')
    .then((m) => m.startBackend())
    .catch((e: unknown) => {
      backend = null; // a failed start (say, a chunk that did not load) can be retried
      throw e;
    });
  return backend;
}

export interface PretrainedInfo {
  readonly id: 'learns-5000' | 'notebook-3000' | 'curriculum-6500';
  readonly label: string;
  readonly recipe: string;
  readonly steps: number;
}

export const PRETRAINED: readonly PretrainedInfo[] = [
  { id: 'learns-5000', label: 'the learns recipe, 5000 steps', recipe: 'learns', steps: 5000 },
  { id: 'notebook-3000', label: "the notebook's recipe, 3000 steps", recipe: 'notebook', steps: 3000 },
  { id: 'curriculum-6500', label: 'the curriculum recipe, 6500 steps', recipe: 'curriculum', steps: 6500 },
];

export interface ModelSnapshot {
  /** Bumps whenever the model changes (loaded, trained, replaced), so old outputs can be marked stale. */
  readonly version: number;
  /** Where the current weights came from, for learners; null when no model is loaded. */
  readonly label: string | null;
  readonly loading: string | null;
  readonly error: string | null;
}

type Listener = () => void;

class ModelStore {
  private model: DiffusionLM | null = null;
  private snapshot: ModelSnapshot = { version: 0, label: null, loading: null, error: null };
  private readonly listeners = new Set<Listener>();
  /** Runs using the model now; a model replaced meanwhile waits in `retired` until they finish. */
  private users = 0;
  private retired: DiffusionLM[] = [];

  subscribe = (fn: Listener): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): ModelSnapshot => this.snapshot;

  /** The trained model, for cells that run it. Do not dispose it: the store owns it. */
  current(): DiffusionLM | null {
    return this.model;
  }

  private set(patch: Partial<ModelSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const fn of this.listeners) fn();
  }

  /**
   * Run `fn` with the current model and its label, read once at the start. The
   * model stays alive until `fn` finishes even if another replaces it meanwhile.
   */
  async use<T>(fn: (model: DiffusionLM, label: string) => Promise<T>): Promise<T> {
    const model = this.model;
    if (!model) throw new Error('no trained model is loaded');
    this.users++;
    try {
      return await fn(model, this.snapshot.label ?? '');
    } finally {
      if (--this.users === 0) this.retired.splice(0).forEach((m) => m.dispose());
    }
  }

  /** Hand over a model (trained or loaded); the store disposes the previous one once nothing uses it. */
  replace(model: DiffusionLM, label: string): void {
    if (this.model && this.users > 0) this.retired.push(this.model);
    else this.model?.dispose();
    this.model = model;
    this.set({ version: this.snapshot.version + 1, label, loading: null, error: null });
  }

  /** Build a model from safetensors bytes; a bad file throws and leaves the current model in place. */
  private async adopt(bytes: Uint8Array, label: string): Promise<void> {
    await startEngine();
    const [{ DiffusionLM }, { loadWeights }, { DEFAULT_MODEL }, { Rng }] = await Promise.all([
      import('../core/model.ts'),
      import('../core/checkpoint.ts'),
      import('../core/config.ts'),
      import('../core/rng.ts'),
    ]);
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    try {
      loadWeights(model, bytes);
    } catch (e) {
      model.dispose();
      throw e;
    }
    this.replace(model, label);
  }

  private async loading(what: string, job: () => Promise<void>): Promise<void> {
    this.set({ loading: what, error: null });
    try {
      await job();
    } catch (e) {
      const kept = this.snapshot.label ? ` The current model (${this.snapshot.label}) is kept.` : '';
      this.set({ loading: null, error: `Loading ${what} failed: ${e instanceof Error ? e.message : String(e)}.${kept}` });
    }
  }

  /** Fetch and load one of the shipped checkpoints. */
  loadPretrained(info: PretrainedInfo): Promise<void> {
    return this.loading(info.label, async () => {
      const response = await fetch(`pretrained/${info.id}.safetensors`);
      if (!response.ok) throw new Error(`could not download the weights (HTTP ${response.status})`);
      await this.adopt(new Uint8Array(await response.arrayBuffer()), `pretrained: ${info.label}`);
    });
  }

  /** Load weights the learner uploads: safetensors with PyTorch's names, from here, `unmask train` or the notebook. */
  loadFile(file: File): Promise<void> {
    return this.loading(`"${file.name}"`, async () => {
      if (file.size > 64 * 1024 * 1024) throw new Error(`the file is ${(file.size / 2 ** 20).toFixed(0)} MB; this model's weights are under 1 MB`);
      await this.adopt(new Uint8Array(await file.arrayBuffer()), `uploaded: ${file.name}`);
    });
  }

  /** The current model as a safetensors file (PyTorch names), or null when none is loaded. */
  async download(): Promise<Blob | null> {
    if (!this.model) return null;
    const { saveWeights } = await import('../core/checkpoint.ts');
    const bytes = await saveWeights(this.model, { source: this.snapshot.label ?? '' });
    return new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' });
  }
}

export const models = new ModelStore();
