/**
 * Short training runs of a few variants of one recipe, one after another, in
 * the training worker: the challenges' "train them here". It has its own
 * worker client (the Training section's run is left alone) and turns the
 * session's events into a snapshot of plain numbers, at most one update a
 * frame. Only one comparison runs at a time; each challenge cell shows its own.
 */
import { requestedBackends, BACKEND_PREFERENCE } from '../../../core/backend.ts';
import type { RecipeOverrides } from '../../../core/recipes.ts';
import type { Checkup, SessionEvent } from '../../../worker/protocol.ts';
import { connect, type TrainingClient } from '../../training-client.ts';

export interface Variant {
  readonly id: string;
  readonly label: string;
  readonly overrides: RecipeOverrides;
}

export type VariantStatus = 'waiting' | 'running' | 'done' | 'stopped';

export interface VariantProgress {
  readonly id: string;
  readonly label: string;
  readonly status: VariantStatus;
  readonly step: number;
  /** Loss per step; null for a skipped batch (nothing masked). */
  readonly losses: readonly (number | null)[];
  /** The latest accuracy check-up (the session makes one at the end of every run). */
  readonly checkup: Checkup | null;
}

export type ComparisonPhase = 'idle' | 'starting' | 'running' | 'cancelling' | 'done' | 'cancelled' | 'failed';

export interface ComparisonSnapshot {
  /** Which experiment this is about (a challenge's id); null before the first. */
  readonly experiment: string | null;
  readonly phase: ComparisonPhase;
  readonly recipe: string;
  readonly stepsEach: number;
  readonly variants: readonly VariantProgress[];
  readonly stepsPerSec: number;
  /** Where it trains, once known. */
  readonly backend: { readonly name: string; readonly where: 'worker' | 'page' } | null;
  readonly message: string | null;
}

const IDLE: ComparisonSnapshot = { experiment: null, phase: 'idle', recipe: '', stepsEach: 0, variants: [], stepsPerSec: 0, backend: null, message: null };

/** Most steps a variant may take here: enough to see a trend, few enough to wait for. */
export const MAX_STEPS_EACH = 2000;

export interface ComparisonRequest {
  readonly experiment: string;
  readonly recipe: string;
  readonly stepsEach: number;
  readonly seed: number;
  readonly variants: readonly Variant[];
}

export class Comparison {
  private snapshot: ComparisonSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private framePending = false;
  private client: TrainingClient | null = null;
  private backends: string[] | null = null;
  /** Events from a client already dropped are ignored. */
  private generation = 0;
  private request: ComparisonRequest | null = null;
  private current = -1;
  private losses: (number | null)[] = [];

  private readonly connectTo: typeof connect;
  private readonly nextFrame: (fn: () => void) => void;

  /** A test passes its own `connect` (say, a session on the page), `backends` and frame clock. */
  constructor(options: { connect?: typeof connect; backends?: string[]; nextFrame?: (fn: () => void) => void } = {}) {
    this.connectTo = options.connect ?? connect;
    this.backends = options.backends ?? null;
    this.nextFrame = options.nextFrame ?? ((fn) => requestAnimationFrame(() => fn()));
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): ComparisonSnapshot => this.snapshot;

  busy(): boolean {
    return ['starting', 'running', 'cancelling'].includes(this.snapshot.phase);
  }

  async start(request: ComparisonRequest): Promise<void> {
    if (this.busy()) return;
    const { stepsEach } = request;
    if (!Number.isInteger(stepsEach) || stepsEach < 1 || stepsEach > MAX_STEPS_EACH) {
      this.publish({ ...IDLE, experiment: request.experiment, message: `Steps must be a whole number from 1 to ${MAX_STEPS_EACH}.` });
      return;
    }
    this.request = request;
    this.publish({
      ...IDLE, experiment: request.experiment, phase: 'starting', recipe: request.recipe, stepsEach, backend: this.snapshot.backend,
      variants: request.variants.map((v) => ({ id: v.id, label: v.label, status: 'waiting', step: 0, losses: [], checkup: null })),
      message: 'Starting the training worker…',
    });
    try {
      await this.ensureClient();
    } catch (e) {
      this.publish({ phase: 'failed', message: `Training could not start: ${errorText(e)}` });
      return;
    }
    if (this.snapshot.phase === 'starting') this.runVariant(0); // not if cancelled meanwhile
  }

  /** Stop at the end of the current step; the variants not yet run are skipped. */
  cancel(): void {
    if (this.snapshot.phase !== 'running' && this.snapshot.phase !== 'starting') return;
    if (!this.client) return this.publish({ phase: 'cancelled', message: 'Cancelled.' });
    this.publish({ phase: 'cancelling', message: 'Stopping after this step…' });
    this.client.stop();
  }

  /** Drop the worker (the page is going away). */
  dispose(): void {
    this.dropClient();
    this.listeners.clear();
  }

  private async ensureClient(): Promise<TrainingClient> {
    if (this.client) return this.client;
    this.backends ??= requestedBackends(location.search);
    const generation = ++this.generation;
    const { client, note } = await this.connectTo(this.backends, (e) => generation === this.generation && this.onEvent(e));
    this.client = client;
    this.publish({ backend: { name: client.backend.name, where: client.where }, message: note });
    return client;
  }

  private runVariant(index: number): void {
    const request = this.request!;
    if (this.snapshot.phase === 'cancelling') return this.publish({ phase: 'cancelled', message: 'Cancelled.' });
    this.current = index;
    this.losses = [];
    this.patchVariant(index, { status: 'running' });
    this.publish({ phase: 'running', message: null });
    const v = request.variants[index];
    this.client!.run({ recipe: request.recipe, totalSteps: request.stepsEach, seed: request.seed, overrides: v.overrides }, null);
  }

  private onEvent(e: SessionEvent): void {
    if (this.current < 0) return;
    switch (e.type) {
      case 'progress':
        this.losses.push(e.loss);
        this.patchVariant(this.current, { step: e.step, losses: this.losses });
        return this.publish({ stepsPerSec: e.stepsPerSec }, false);
      case 'checkup':
        this.patchVariant(this.current, { checkup: e.checkup });
        return this.publish({});
      case 'saved':
        return; // a short comparison is not worth resuming
      case 'ended':
        return this.ended(e.reason, e.message);
      case 'lost':
        // The worker's GPU is gone: the next start goes to the next backend.
        this.passOver(this.client?.backend.name);
        this.dropClient();
        return this.fail(`${e.message}. Press Train again to run the comparison on the next backend.`);
      case 'failed':
        this.dropClient();
        return this.fail(e.message);
    }
  }

  private ended(reason: string, message: string): void {
    const request = this.request!;
    const i = this.current;
    const completed = reason === 'completed';
    this.patchVariant(i, { status: completed ? 'done' : 'stopped', losses: [...this.losses] });
    if (reason === 'non-finite') return this.fail(message);
    if (this.snapshot.phase === 'cancelling' || !completed) {
      this.current = -1;
      return this.publish({ phase: 'cancelled', message: `Cancelled during ${request.variants[i].label}, at step ${this.snapshot.variants[i].step}.` });
    }
    if (i + 1 < request.variants.length) {
      // Next task, not now: on the page fallback this event comes from inside the session's own run.
      this.current = -1;
      this.publish({});
      setTimeout(() => this.runVariant(i + 1), 0);
      return;
    }
    this.current = -1;
    this.publish({ phase: 'done', message: `All ${request.variants.length} variants trained for ${request.stepsEach} steps each.` });
  }

  private fail(message: string): void {
    this.current = -1;
    this.publish({ phase: 'failed', message });
  }

  private passOver(backend: string | undefined): void {
    const order = this.backends ?? [...BACKEND_PREFERENCE];
    const rest = backend ? order.slice(order.indexOf(backend) + 1) : order;
    this.backends = rest.length > 0 ? rest : order;
  }

  private patchVariant(index: number, patch: Partial<VariantProgress>): void {
    const variants = this.snapshot.variants.map((v, i) => (i === index ? { ...v, ...patch } : v));
    this.snapshot = { ...this.snapshot, variants };
  }

  private publish(patch: Partial<ComparisonSnapshot>, now = true): void {
    this.snapshot = { ...this.snapshot, ...patch };
    if (now) return this.notify();
    if (this.framePending) return; // per-step updates: at most one render a frame
    this.framePending = true;
    this.nextFrame(() => {
      this.framePending = false;
      this.notify();
    });
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }

  private dropClient(): void {
    this.generation++;
    this.client?.dispose();
    this.client = null;
  }
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The page's one comparison runner, made on first use. */
let shared: Comparison | null = null;
export function comparison(): Comparison {
  shared ??= new Comparison();
  return shared;
}
