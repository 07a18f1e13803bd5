/**
 * One live training run on whatever tfjs backend is current: the engine's
 * Trainer plus the lesson's habits around it (accuracy check-ups, save points,
 * pause and stop, noticing a lost GPU). It speaks only in SessionEvents, so
 * the same code runs in the training worker and, where workers are not
 * available, on the page.
 */
import { errorMessage } from '../core/error-message.ts';
import { evaluate } from '../core/metrics.ts';
import type { DiffusionLM } from '../core/model.ts';
import { freshModel, runSeeds, trainerFor } from '../core/model-factory.ts';
import { getRecipe, withOverrides, type Recipe } from '../core/recipes.ts';
import { Rng } from '../core/rng.ts';
import { sample, type Sampler } from '../core/sampling.ts';
import { Trainer } from '../core/training.ts';
import { WORD_LENGTH, WORDS_DATA, WORDS_MODEL } from '../words/alphabet.ts';
import { elboBitsPerCharacter } from '../words/elbo.ts';
import { measureWords, profileList, type ListProfile } from '../words/quality.ts';
import { WORDS_RECIPE, wordSource } from '../words/recipe.ts';
import { parseWordList } from '../words/word-list.ts';
import { CHECK_T, type RunSpec, type RunState, type SessionEvent, type WordSummary } from './protocol.ts';

const CHECK_SEQS = 64;
/** A words run's check-up: bits per character on this many held-out words, and this many words from each sampler. */
const WORDS_CHECK_VALIDATION = 500;
const WORDS_CHECK_SAMPLES = 64;
/** A save point at most this many steps apart: what a lost GPU or a reload can cost. */
export const SAVE_EVERY = 50;

/** Steps between accuracy check-ups: ten a run, but never closer than 50 steps. */
export function checkupEvery(totalSteps: number): number {
  return Math.max(50, Math.round(totalSteps / 10));
}

/** The named recipes, and the words recipe by its name. */
const lookupRecipe = (name: string): Recipe => (name === WORDS_RECIPE.name ? WORDS_RECIPE : getRecipe(name));

export interface SessionOptions {
  /** Says why the GPU is gone, or null while it is fine. */
  readonly lost?: () => string | null;
  /** After an error: waits for a GPU loss still on its way (an error is often its first sign). */
  readonly settleLost?: (error: unknown) => Promise<string | null>;
  /** Aborted when the GPU goes, so a step in flight stops at once. */
  readonly lostSignal?: AbortSignal;
  /** Looks a recipe up by name (tests pass smaller batches). */
  readonly recipe?: (name: string) => Recipe;
}

export class TrainingSession {
  private model: DiffusionLM | null = null;
  private trainer: Trainer | null = null;
  /** Set for a run on real words: the list's facts its check-ups measure against. */
  private words: ListProfile | null = null;
  private controller: AbortController | null = null;
  private stopping = false;

  constructor(
    private readonly emit: (event: SessionEvent) => void,
    private readonly options: SessionOptions = {},
  ) {}

  private lost(): string | null {
    return this.options.lost?.() ?? null;
  }

  private recipe(name: string): Recipe {
    return (this.options.recipe ?? lookupRecipe)(name);
  }

  /** Seconds a step, from a few steps on a scratch model (the first compiles shaders and is not counted). */
  async measure(recipeName: string): Promise<number> {
    const recipe = this.recipe(recipeName);
    const model = freshModel(recipe, 1);
    const trainer = trainerFor(model, recipe, 1, 4);
    const times: number[] = [];
    try {
      await trainer.run({}, (r) => times.push(1 / r.stepsPerSec));
    } finally {
      trainer.dispose();
      model.dispose();
    }
    const lost = this.lost();
    if (lost) throw new Error(lost);
    const timed = times.slice(1);
    return timed.reduce((a, b) => a + b, 0) / timed.length;
  }

  /**
   * Train until the run ends or is paused. With a spec, a new run starts
   * (from `from` if given); without one, the paused run carries on.
   */
  async run(spec: RunSpec | null, from: RunState | null): Promise<void> {
    if (this.controller) return this.emit({ type: 'failed', message: 'a run is already going' });
    try {
      if (spec) this.begin(spec, from);
      if (!this.trainer) throw new Error('there is no paused run to resume');
    } catch (e) {
      this.discard();
      return this.emit({ type: 'failed', message: `Training could not start: ${errorMessage(e)}` });
    }
    await this.loop(this.trainer, this.model!);
  }

  pause(): void {
    this.controller?.abort();
  }

  /** Stop for good. A paused run ends at once; a running one at the end of its step. */
  stop(): void {
    if (this.controller) {
      this.stopping = true;
      this.controller.abort();
    } else if (this.trainer) {
      const step = this.trainer.step;
      this.end('stopped', `Stopped after step ${step}.`).catch(async (e: unknown) => {
        if (await this.reportLostAfterError(step, e)) return;
        this.discard();
        this.emit({ type: 'failed', message: `Stopping failed: ${errorMessage(e)}` });
      });
    }
  }

  dispose(): void {
    this.controller?.abort();
    this.discard();
  }

  private begin(spec: RunSpec, from: RunState | null): void {
    this.discard();
    const recipe = withOverrides(this.recipe(spec.recipe), spec.overrides);
    const list = spec.words === undefined ? null : parseWordList(spec.words);
    this.words = list && profileList(list);
    this.model = freshModel(recipe, spec.seed, list ? WORDS_MODEL : undefined);
    if (from) this.model.loadStateDict(new Map(from.weights));
    // Words: the same trainer and seed convention, its batches drawn from the training words.
    this.trainer = list
      ? new Trainer(this.model, recipe, { seed: runSeeds(spec.seed).data, steps: spec.totalSteps, data: WORDS_DATA, source: wordSource(list) })
      : trainerFor(this.model, recipe, spec.seed, spec.totalSteps);
    if (from) this.trainer.setState(from.trainer);
  }

  private async loop(trainer: Trainer, model: DiffusionLM): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    const signal = this.options.lostSignal ? AbortSignal.any([controller.signal, this.options.lostSignal]) : controller.signal;
    const every = checkupEvery(trainer.totalSteps);
    const next = (step: number, n: number) => (Math.floor(step / n) + 1) * n;
    // The step of the last check-up, so a boundary is checked once, even when a pause lands on it.
    let checkedAt = -1;
    const checkup = async () => {
      if (checkedAt === trainer.step) return;
      checkedAt = trainer.step;
      await this.checkup(trainer, model);
    };
    try {
      while (trainer.step < trainer.totalSteps && !signal.aborted) {
        const until = Math.min(trainer.totalSteps, next(trainer.step, every), next(trainer.step, SAVE_EVERY));
        const result = await trainer.run({ signal, untilStep: until }, (r) =>
          this.emit({ type: 'progress', step: r.step, loss: r.skipped ? null : r.loss, stepsPerSec: r.stepsPerSec }),
        );
        if (this.reportLost(trainer.step)) return;
        if (result.reason === 'non-finite') return await this.end('non-finite', result.message);
        // A pause asked for during a boundary's last step still gets that boundary's check-up.
        if (trainer.step % every === 0 || trainer.step === trainer.totalSteps) await checkup();
        if (signal.aborted) break;
        if (trainer.step < trainer.totalSteps) await this.save(trainer, model);
        if (this.reportLost(trainer.step)) return;
      }
      if (this.stopping || trainer.step >= trainer.totalSteps) {
        const done = trainer.step >= trainer.totalSteps;
        if (trainer.step > 0) await checkup(); // the summary describes the weights handed out
        return await this.end(
          done ? 'completed' : 'stopped',
          done ? `Completed ${trainer.totalSteps} steps.` : `Stopped after step ${trainer.step}.`,
        );
      }
      await this.save(trainer, model);
      this.emit({
        type: 'ended',
        reason: 'paused',
        step: trainer.step,
        message: `Paused after step ${trainer.step} of ${trainer.totalSteps}.`,
        weights: null,
      });
    } catch (e) {
      if (await this.reportLostAfterError(trainer.step, e)) return;
      this.discard();
      this.emit({ type: 'failed', message: `Training failed: ${errorMessage(e)}` });
    } finally {
      this.stopping = false;
      this.controller = null;
    }
  }

  /** If the GPU has gone, say so and drop the run: its tensors went with the device. */
  private reportLost(step: number): boolean {
    const lost = this.lost();
    if (!lost) return false;
    this.model = null; // nothing left to dispose on a dead device
    this.trainer = null;
    this.emit({ type: 'lost', step, message: lost });
    return true;
  }

  /** An error may be the first sign of a lost GPU: give the loss a moment to show before calling it a failure. */
  private async reportLostAfterError(step: number, error: unknown): Promise<boolean> {
    if (this.reportLost(step)) return true;
    await this.options.settleLost?.(error);
    return this.reportLost(step);
  }

  private async checkup(trainer: Trainer, model: DiffusionLM): Promise<void> {
    if (this.words) return this.wordsCheckup(trainer, model, this.words);
    const e = await evaluate(model, { ratios: [...CHECK_T], seqsPerRatio: CHECK_SEQS, chunk: CHECK_SEQS * CHECK_T.length, seed: 7, elbo: false });
    this.emit({
      type: 'checkup',
      checkup: { step: trainer.step, t: CHECK_T, accuracy: e.ratios.map((r) => r.accuracy), best: e.ratios.map((r) => r.bestPossible) },
    });
  }

  /** Bits per character on held-out words, and words from both samplers, measured against the list. */
  private async wordsCheckup(trainer: Trainer, model: DiffusionLM, profile: ListProfile): Promise<void> {
    const validation = profile.list.validation.slice(0, WORDS_CHECK_VALIDATION);
    const bitsPerChar = await elboBitsPerCharacter(model, validation, new Rng(7));
    const words = async (sampler: Sampler): Promise<WordSummary> => {
      const result = await sample(model, new Rng(sampler === 'ancestral' ? 11 : 12), {
        sampler,
        batch: WORDS_CHECK_SAMPLES,
        seqLen: WORD_LENGTH,
        steps: WORD_LENGTH,
        keepTrajectory: false,
      });
      const { wellFormed, real, heldOut, novel, wordLike, distinct, meanLength, words: list } = measureWords(result.tokens, profile);
      return { wellFormed, real, heldOut, novel, wordLike, distinct, meanLength, examples: list.slice(0, 8) };
    };
    this.emit({
      type: 'words-checkup',
      checkup: { step: trainer.step, bitsPerChar, ancestral: await words('ancestral'), confidence: await words('confidence') },
    });
  }

  private async save(trainer: Trainer, model: DiffusionLM): Promise<void> {
    const [state, weights] = await Promise.all([trainer.getState(), model.stateDict()]);
    this.emit({ type: 'saved', state: { trainer: state, weights: [...weights] } });
  }

  /** The run is over: hand its weights out (if it trained at all) and free everything. */
  private async end(reason: 'completed' | 'stopped' | 'non-finite', text: string): Promise<void> {
    const trainer = this.trainer;
    const weights = this.model && trainer && trainer.step > 0 ? [...(await this.model.stateDict())] : null;
    this.discard();
    this.emit({ type: 'ended', reason, step: trainer?.step ?? 0, message: text, weights });
  }

  private discard(): void {
    this.trainer?.dispose();
    this.model?.dispose();
    this.trainer = null;
    this.model = null;
    this.words = null;
  }
}
