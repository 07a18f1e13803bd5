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
  backend ??= import('./tfjs-browser.ts').then((m) => m.startBackend());
  return backend;
}

export interface PretrainedInfo {
  readonly id: 'learns-5000' | 'notebook-3000';
  readonly label: string;
  readonly recipe: string;
  readonly steps: number;
}

export const PRETRAINED: readonly PretrainedInfo[] = [
  { id: 'learns-5000', label: 'the learning recipe, 5000 steps', recipe: 'learns', steps: 5000 },
  { id: 'notebook-3000', label: "the notebook's recipe, 3000 steps", recipe: 'notebook', steps: 3000 },
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

  /** Hand over a model (trained or loaded); the store disposes the previous one. */
  replace(model: DiffusionLM, label: string): void {
    this.model?.dispose();
    this.model = model;
    this.set({ version: this.snapshot.version + 1, label, loading: null, error: null });
  }

  /** Fetch and load one of the shipped checkpoints. A broken file leaves the current model as it was. */
  async loadPretrained(info: PretrainedInfo): Promise<void> {
    this.set({ loading: info.label, error: null });
    try {
      await startEngine();
      const [{ DiffusionLM }, { loadWeights }, { DEFAULT_MODEL }, { Rng }] = await Promise.all([
        import('../core/model.ts'),
        import('../core/checkpoint.ts'),
        import('../core/config.ts'),
        import('../core/rng.ts'),
      ]);
      const response = await fetch(`pretrained/${info.id}.safetensors`);
      if (!response.ok) throw new Error(`could not download the weights (HTTP ${response.status})`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
      try {
        loadWeights(model, bytes);
      } catch (e) {
        model.dispose();
        throw e;
      }
      this.replace(model, `pretrained: ${info.label}`);
    } catch (e) {
      this.set({ loading: null, error: `Loading ${info.label} failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
}

export const models = new ModelStore();
