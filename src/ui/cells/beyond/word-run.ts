/**
 * A live training run on real words, in the training worker, for the words
 * cell. It drives its own TrainingController (the Training section's run is
 * left alone), which starts the worker, recovers from a lost GPU and ignores
 * stale events; this class adds what a words run reports and the controller
 * does not keep: the words check-ups (bits per character and generated words)
 * and the seconds spent training, read from the events on their way in.
 * Everything it reaches outside itself is injected, as for the controller.
 */
import { errorMessage } from '../../../core/error-message.ts';
import type { SessionEvent, WordsCheckup } from '../../../worker/protocol.ts';
import { WORDS_RECIPE } from '../../../words/recipe.ts';
import { trainingBackends } from '../../models/index.ts';
import { TrainingController, type ControllerOptions, type RunEnd } from '../../training/controller.ts';
import { connect, type ConnectFn } from '../../training/training-client.ts';

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

const IDLE: WordRunSnapshot = {
  phase: 'idle',
  step: 0,
  totalSteps: 0,
  stepsPerSec: 0,
  trainSeconds: 0,
  checkups: [],
  weights: null,
  backend: null,
  message: null,
};

/** Enough for the check-ups to show the curve bend, few enough to wait for on a slow machine. */
export const MAX_TRAIN_STEPS = 3000;

export type WordRunOptions = Pick<ControllerOptions, 'connect' | 'backends' | 'nextFrame' | 'timers'>;

export class WordRun {
  private snapshot: WordRunSnapshot = IDLE;
  private readonly listeners = new Set<() => void>();
  private readonly run: TrainingController;

  constructor(options: WordRunOptions) {
    // The controller keeps pattern check-ups only: a words run's own events are read on their way to it.
    const observed: ConnectFn = (backends, onEvent) => options.connect(backends, (e) => (this.observe(e), onEvent(e)));
    this.run = new TrainingController({
      ...options,
      connect: observed,
      onEnd: (end) => this.ended(end),
      onInterrupted: (_save, why) => this.publish({ phase: 'failed', message: why }),
    });
    this.run.subscribe(() => this.follow());
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
    if (!Number.isInteger(steps) || steps < 1 || steps > MAX_TRAIN_STEPS) {
      this.publish({ ...IDLE, phase: 'failed', message: `Steps must be a whole number from 1 to ${MAX_TRAIN_STEPS}.` });
      return;
    }
    this.publish({ ...IDLE, phase: 'starting', totalSteps: steps, backend: this.snapshot.backend, message: 'Starting the training worker…' });
    let started: boolean;
    try {
      started = await this.run.start({ recipe: WORDS_RECIPE.name, totalSteps: steps, seed, words }, null, 'Starting the training worker…');
    } catch (e) {
      return this.publish({ phase: 'failed', message: `Training could not start: ${errorMessage(e)}` });
    }
    if (started) {
      if (this.snapshot.phase === 'starting') this.publish({ phase: 'running', message: null });
      return;
    }
    if (this.snapshot.phase === 'stopping') return this.publish({ phase: 'stopped', message: 'Stopped before the first step.' });
    if (this.busy()) this.publish({ phase: 'failed', message: this.run.getSnapshot().message ?? 'Training could not start.' });
  }

  /** Stop at the end of the current step; the weights so far are kept. */
  stop(): void {
    if (this.snapshot.phase !== 'running' && this.snapshot.phase !== 'starting') return;
    this.publish({ phase: 'stopping', message: 'Stopping after this step…' });
    this.run.stop();
  }

  dispose(): void {
    this.run.dispose();
    this.listeners.clear();
  }

  private observe(e: SessionEvent): void {
    if (!this.busy()) return; // a late event of a run already over
    if (e.type === 'progress') {
      // Each step's own wall time (the trainer's clock restarts after a check-up): training time only.
      this.publish({ trainSeconds: this.snapshot.trainSeconds + (e.stepsPerSec > 0 ? 1 / e.stepsPerSec : 0) });
    } else if (e.type === 'words-checkup') {
      this.publish({ checkups: [...this.snapshot.checkups, { ...e.checkup, trainSeconds: this.snapshot.trainSeconds }] });
    }
  }

  /** The controller's numbers: step, speed (over the last few seconds), where it runs, its latest word. */
  private follow(): void {
    if (!this.busy()) return;
    const r = this.run.getSnapshot();
    this.publish({
      step: r.step,
      stepsPerSec: r.stepsPerSec,
      backend: r.backend ?? this.snapshot.backend,
      message: r.notice ?? (this.snapshot.phase === 'stopping' ? this.snapshot.message : r.message),
    });
  }

  private ended(end: RunEnd): void {
    const phase: WordRunPhase = end.reason === 'completed' ? 'done' : end.reason === 'non-finite' ? 'failed' : 'stopped';
    this.publish({ phase, step: end.step, weights: end.weights, message: end.message });
  }

  private publish(patch: Partial<WordRunSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const fn of this.listeners) fn();
  }
}

/** The page's one word run: it outlives the cell's view, so leaving the section does not stop it. */
export const wordRun = new WordRun({ connect, backends: trainingBackends });
