/**
 * What the page and the training session say to each other. Everything here
 * is plain data (numbers, strings, typed arrays), so it crosses a worker
 * boundary by structured clone, and weights travel as transferable buffers.
 */
import type { BackendChoice } from '../core/backend.ts';
import type { RecipeOverrides } from '../core/recipes.ts';
import type { TrainerState } from '../core/training.ts';

/** What to train: the recipe by name, its length and the seed of model and data. */
export interface RunSpec {
  readonly recipe: string;
  readonly totalSteps: number;
  readonly seed: number;
  /** Settings changed on top of the named recipe (an experiment's variant), checked by the session. */
  readonly overrides?: RecipeOverrides;
  /**
   * Train on real words instead of the patterns: the word list's text (one
   * word a line, src/words/word-list.ts), so the session needs no network.
   */
  readonly words?: string;
}

/** Ratios of the accuracy check-ups during a run: few and cheap, so they barely slow training. */
export const CHECK_T: readonly number[] = Object.freeze([0.1, 0.3, 0.5, 0.7, 0.9]);

/** Accuracy at a few ratios, measured during the run. */
export interface Checkup {
  readonly step: number;
  readonly t: readonly number[];
  readonly accuracy: readonly number[];
  readonly best: readonly number[];
}

/** One sampler's words at a check-up of a words run (src/words/quality.ts, shares of the samples). */
export interface WordSummary {
  readonly wellFormed: number;
  readonly real: number;
  readonly heldOut: number;
  readonly novel: number;
  readonly wordLike: number;
  readonly distinct: number;
  readonly meanLength: number;
  readonly examples: readonly string[];
}

/** A words run's check-up: validation bits per character (ELBO) and generated words. */
export interface WordsCheckup {
  readonly step: number;
  readonly bitsPerChar: number;
  readonly ancestral: WordSummary;
  readonly confidence: WordSummary;
}

/** Everything needed to carry a run on exactly: loop step, data stream, optimizer moments and weights. */
export interface RunState {
  readonly trainer: TrainerState;
  /** PyTorch-layout weights, as [state_dict name, values] pairs. */
  readonly weights: [string, Float32Array][];
}

export type EndReason = 'completed' | 'paused' | 'stopped' | 'non-finite';

export type SessionEvent =
  /** One loop step done; `loss` is null for a batch with no masked token (skipped). */
  | { readonly type: 'progress'; readonly step: number; readonly loss: number | null; readonly stepsPerSec: number }
  | { readonly type: 'checkup'; readonly checkup: Checkup }
  | { readonly type: 'words-checkup'; readonly checkup: WordsCheckup }
  /** A save point: the page keeps it (IndexedDB, and in memory to recover from a lost device). */
  | { readonly type: 'saved'; readonly state: RunState }
  /** The run stopped; `weights` are the model's (last good) weights if it trained at all. */
  | {
      readonly type: 'ended';
      readonly reason: EndReason;
      readonly step: number;
      readonly message: string;
      readonly weights: [string, Float32Array][] | null;
    }
  /** The GPU went away (WebGL context or WebGPU device lost): the session is unusable. */
  | { readonly type: 'lost'; readonly step: number; readonly message: string }
  | { readonly type: 'failed'; readonly message: string };

export type ToWorker =
  | { readonly type: 'init'; readonly backends: readonly string[] }
  | { readonly type: 'measure'; readonly recipe: string }
  /** Start a run (`from` a saved state, or fresh), or carry on the paused one (no spec). */
  | { readonly type: 'run'; readonly spec: RunSpec | null; readonly from: RunState | null }
  | { readonly type: 'pause' }
  | { readonly type: 'stop' };

export type FromWorker =
  | { readonly type: 'ready'; readonly choice: BackendChoice }
  | { readonly type: 'init-failed'; readonly message: string }
  | { readonly type: 'measured'; readonly secPerStep: number }
  | { readonly type: 'measure-failed'; readonly message: string }
  | SessionEvent;

/** The buffers of a weights list, to transfer instead of copy. */
export function buffersOf(weights: readonly [string, Float32Array][] | null | undefined): ArrayBuffer[] {
  return (weights ?? []).map(([, w]) => w.buffer as ArrayBuffer);
}
