/**
 * Short training runs of a few variants of one recipe, one after another, in
 * the training worker: the challenges' "train them here". It drives its own
 * TrainingController (the Training section's run is left alone), which starts
 * the worker, recovers from a lost GPU and ignores stale events; this class
 * only queues the variants and turns each run's numbers into one snapshot,
 * at most one update a frame. Only one comparison runs at a time; each
 * challenge cell shows its own.
 */
import { errorMessage } from '../../../core/error-message.ts';
import type { RecipeOverrides } from '../../../core/recipes.ts';
import type { Checkup } from '../../../worker/protocol.ts';
import { trainingBackends } from '../../models/index.ts';
import { TrainingController, type ControllerOptions, type RunEnd } from '../../training/controller.ts';
import { connect } from '../../training/training-client.ts';

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

const IDLE: ComparisonSnapshot = {
  experiment: null,
  phase: 'idle',
  recipe: '',
  stepsEach: 0,
  variants: [],
  stepsPerSec: 0,
  backend: null,
  message: null,
};

/** Most steps a variant may take here: enough to see a trend, few enough to wait for. */
export const MAX_STEPS_EACH = 2000;

export interface ComparisonRequest {
  readonly experiment: string;
  readonly recipe: string;
  readonly stepsEach: number;
  readonly seed: number;
  readonly variants: readonly Variant[];
}

export type ComparisonOptions = Pick<ControllerOptions, 'connect' | 'backends' | 'nextFrame' | 'timers'>;

export class Comparison {
  private snapshot: ComparisonSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private readonly run: TrainingController;
  private request: ComparisonRequest | null = null;
  /** The variant being trained, or -1 between runs. */
  private current = -1;

  /** A test passes its own `connect` (say, a session on the page), backends and frame clock. */
  constructor(options: ComparisonOptions) {
    this.run = new TrainingController({ ...options, onEnd: (end) => this.ended(end), onInterrupted: (_save, why) => this.fail(why) });
    this.run.subscribe(() => this.follow());
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
      ...IDLE,
      experiment: request.experiment,
      phase: 'starting',
      recipe: request.recipe,
      stepsEach,
      backend: this.snapshot.backend,
      variants: request.variants.map((v) => ({ id: v.id, label: v.label, status: 'waiting', step: 0, losses: [], checkup: null })),
      message: 'Starting the training worker…',
    });
    await this.runVariant(0);
  }

  /** Stop at the end of the current step; the variants not yet run are skipped. */
  cancel(): void {
    if (this.snapshot.phase !== 'running' && this.snapshot.phase !== 'starting') return;
    this.publish({ phase: 'cancelling', message: 'Stopping after this step…' });
    this.run.stop();
  }

  /** Drop the worker (the page is going away). */
  dispose(): void {
    this.run.dispose();
    this.listeners.clear();
  }

  private async runVariant(index: number): Promise<void> {
    const request = this.request!;
    if (this.cancelling()) return this.cancelled(index);
    this.current = index;
    this.patchVariant(index, { status: 'running' });
    const v = request.variants[index];
    let started: boolean;
    try {
      started = await this.run.start(
        { recipe: request.recipe, totalSteps: request.stepsEach, seed: request.seed, overrides: v.overrides },
        null,
        null,
      );
    } catch (e) {
      return this.fail(`Training could not start: ${errorMessage(e)}`);
    }
    // The run may already have ended (a refused override fails at once): only a run still starting is now running.
    if (started) return this.snapshot.phase === 'starting' ? this.publish({ phase: 'running', message: null }) : undefined;
    if (this.cancelling()) return this.cancelled(index);
    this.fail(this.run.getSnapshot().message ?? 'Training could not start.');
  }

  /** Cancel was pressed (read through a method: it changes while a start is awaited). */
  private cancelling(): boolean {
    return this.snapshot.phase === 'cancelling';
  }

  /** The controller's numbers for the variant in training, and where it trains. */
  private follow(): void {
    const r = this.run.getSnapshot();
    if (r.backend !== this.snapshot.backend) this.snapshot = { ...this.snapshot, backend: r.backend };
    // A notice (the worker fell back, a GPU was lost and the run carried on) is news for the learner.
    if (r.notice && r.notice !== this.lastNotice) this.snapshot = { ...this.snapshot, message: r.notice };
    this.lastNotice = r.notice;
    if (this.current >= 0 && r.spec) this.patchVariant(this.current, { step: r.step, losses: r.losses, checkup: r.checkups.at(-1) ?? null });
    this.snapshot = { ...this.snapshot, stepsPerSec: r.stepsPerSec };
    this.notify();
  }

  private lastNotice: string | null = null;

  private ended(end: RunEnd): void {
    const request = this.request!;
    const i = this.current;
    if (i < 0) return;
    const completed = end.reason === 'completed';
    this.patchVariant(i, { status: completed ? 'done' : 'stopped', step: end.step, losses: end.losses, checkup: end.checkups.at(-1) ?? null });
    this.current = -1;
    if (end.reason === 'non-finite') return this.fail(end.message);
    if (this.snapshot.phase === 'cancelling' || !completed) return this.cancelled(i);
    if (i + 1 < request.variants.length) {
      // Next variant, not now: on the page fallback this event comes from inside the session's own run.
      this.notify();
      setTimeout(() => void this.runVariant(i + 1), 0);
      return;
    }
    this.publish({ phase: 'done', message: `All ${request.variants.length} variants trained for ${request.stepsEach} steps each.` });
  }

  private cancelled(index: number): void {
    this.current = -1;
    const v = this.snapshot.variants[index];
    const during = v && v.status !== 'waiting' ? ` during ${v.label}, at step ${v.step}` : '';
    this.publish({ phase: 'cancelled', message: `Cancelled${during}.` });
  }

  private fail(message: string): void {
    if (this.current >= 0) this.patchVariant(this.current, { status: 'stopped' });
    this.current = -1;
    this.publish({ phase: 'failed', message });
  }

  private patchVariant(index: number, patch: Partial<VariantProgress>): void {
    const variants = this.snapshot.variants.map((v, i) => (i === index ? { ...v, ...patch } : v));
    this.snapshot = { ...this.snapshot, variants };
  }

  private publish(patch: Partial<ComparisonSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    this.notify();
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}

/** The page's one comparison runner, made on first use. */
let shared: Comparison | null = null;
export function comparison(): Comparison {
  shared ??= new Comparison({ connect, backends: trainingBackends });
  return shared;
}
