/**
 * A live training run on real words, in the training worker (its own client:
 * the Training section's run is left alone). It turns the session's events
 * into a snapshot of plain numbers for the words cell: steps, speed, training
 * seconds, the check-ups (bits per character and generated words), and the
 * trained weights once it ends. Its connection is injected, so its paths are
 * unit-tested with the session on the page instead of a worker.
 */
import { requestedBackends } from '../../../core/backend.ts';
import type { SessionEvent, WordsCheckup } from '../../../worker/protocol.ts';
import { connect, type TrainingClient } from '../../training-client.ts';
import { WORDS_RECIPE } from '../../../words/recipe.ts';

export type WordRunPhase = 'idle' | 'starting' | 'running' | 'stopping' | 'done' | 'stopped' | 'failed';

export interface WordRunSnapshot {
  readonly phase: WordRunPhase;
  readonly step: number;
  readonly totalSteps: number;
  readonly stepsPerSec: number;
  /** Seconds spent training, check-ups not counted: what "time to readable" is measured in. */
  readonly trainSeconds: number;
  /** Every check-up so far, with the training seconds at which it was taken. */
  readonly checkups: readonly (WordsCheckup & { readonly trainSeconds: number })[];
  /** The model's weights once the run has ended (PyTorch names), for writing words with it. */
  readonly weights: readonly [string, Float32Array][] | null;
  readonly backend: { readonly name: string; readonly where: 'worker' | 'page' } | null;
  readonly message: string | null;
}

const IDLE: WordRunSnapshot = { phase: 'idle', step: 0, totalSteps: 0, stepsPerSec: 0, trainSeconds: 0, checkups: [], weights: null, backend: null, message: null };

/** Enough for the check-ups to show the curve bend, few enough to wait for on a slow machine. */
export const MAX_WORD_STEPS = 3000;

export class WordRun {
  private snapshot: WordRunSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private client: TrainingClient | null = null;
  private generation = 0;
  private readonly connectTo: typeof connect;
  private backends: string[] | null;

  /** Tests pass their own `connect` (a session on the page) and backends. */
  constructor(options: { connect?: typeof connect; backends?: string[] } = {}) {
    this.connectTo = options.connect ?? connect;
    this.backends = options.backends ?? null;
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): WordRunSnapshot => this.snapshot;

  busy(): boolean {
    return ['starting', 'running', 'stopping'].includes(this.snapshot.phase);
  }

  /** Train a fresh word model for `steps` steps on the list's text. */
  async start(words: string, steps: number, seed: number): Promise<void> {
    if (this.busy()) return;
    if (!Number.isInteger(steps) || steps < 1 || steps > MAX_WORD_STEPS) {
      this.publish({ ...IDLE, phase: 'failed', message: `Steps must be a whole number from 1 to ${MAX_WORD_STEPS}.` });
      return;
    }
    this.publish({ ...IDLE, phase: 'starting', totalSteps: steps, backend: this.snapshot.backend, message: 'Starting the training worker…' });
    try {
      if (!this.client) {
        this.backends ??= requestedBackends(location.search);
        const generation = ++this.generation;
        const { client, note } = await this.connectTo(this.backends, (e) => generation === this.generation && this.onEvent(e));
        this.client = client;
        this.publish({ backend: { name: client.backend.name, where: client.where }, message: note });
      }
    } catch (e) {
      this.publish({ phase: 'failed', message: `Training could not start: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (this.snapshot.phase !== 'starting') return;
    this.publish({ phase: 'running' });
    this.client.run({ recipe: WORDS_RECIPE.name, totalSteps: steps, seed, words }, null);
  }

  /** Stop at the end of the current step; the weights so far are kept. */
  stop(): void {
    if (this.snapshot.phase === 'starting') return this.publish({ phase: 'stopped', message: 'Stopped before the first step.' });
    if (this.snapshot.phase !== 'running' || !this.client) return;
    this.publish({ phase: 'stopping', message: 'Stopping after this step…' });
    this.client.stop();
  }

  dispose(): void {
    this.generation++;
    this.client?.dispose();
    this.client = null;
    this.listeners.clear();
  }

  private onEvent(e: SessionEvent): void {
    switch (e.type) {
      case 'progress':
        // Each step's own wall time (the trainer's clock restarts after a check-up): training time only.
        return this.publish({ step: e.step, stepsPerSec: e.stepsPerSec, trainSeconds: this.snapshot.trainSeconds + (e.stepsPerSec > 0 ? 1 / e.stepsPerSec : 0) });
      case 'words-checkup':
        return this.publish({ checkups: [...this.snapshot.checkups, { ...e.checkup, trainSeconds: this.snapshot.trainSeconds }] });
      case 'ended': {
        const phase: WordRunPhase = e.reason === 'completed' ? 'done' : e.reason === 'non-finite' ? 'failed' : 'stopped';
        return this.publish({ phase, step: e.step, weights: e.weights, message: e.message });
      }
      case 'lost':
      case 'failed':
        this.client?.dispose();
        this.client = null;
        this.generation++;
        return this.publish({ phase: 'failed', message: e.message });
      default:
        return; // saves and pattern check-ups: not for a short words run
    }
  }

  private publish(patch: Partial<WordRunSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const fn of this.listeners) fn();
  }
}

/** The page's one word run: it outlives the cell's view, so leaving the section does not stop it. */
export const wordRun = new WordRun();
