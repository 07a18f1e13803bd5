/**
 * The shapes of the measured-data files the lesson reads (public/measured/*.json).
 * Plain types: the bench scripts that write the files, the cells that draw them
 * and the build that quotes them all import these.
 */

/** One recipe's precomputed training run (bench/recipe-curves.ts). */
export interface RecipeCurve {
  readonly recipe: string;
  readonly steps: number;
  /** Sequences a step: a step of a batch-32 recipe sees half the data of a batch-64 one. */
  readonly batchSize: number;
  /** Wall time of the training loop in Node, seconds. */
  readonly seconds: number;
  /** Loss per step; null for a batch with nothing masked (skipped). */
  readonly losses: readonly (number | null)[];
  /** Accuracy at `checkT` before training (step 0) and every `checkupEvery` steps. */
  readonly checkups: readonly { readonly step: number; readonly accuracy: readonly number[] }[];
  /** The checkpoint this run should reproduce, and the largest weight difference from it (null: not found). */
  readonly shipped: string;
  readonly maxDifferenceFromShipped: number | null;
}

export interface RecipeCurves {
  readonly command: string;
  readonly seed: number;
  readonly backend: string;
  readonly checkT: readonly number[];
  readonly checkupSeqs: number;
  readonly checkupEvery: number;
  readonly recipes: readonly RecipeCurve[];
}

/** Sample quality at one sampler setting, pooled over several batches (bench/sampler-quality.ts). */
export interface SamplingSetting {
  readonly sampler: 'ancestral' | 'confidence';
  readonly grid: 'uniform' | 'cosine';
  readonly steps: number;
  readonly temperature: number;
  readonly sequences: number;
  readonly periodicFraction: number;
  /** Mean number of tokens to change to reach the nearest data sequence. */
  readonly meanDefect: number;
  /** Distinct sequences per batch, averaged over the batches. */
  readonly distinctPerBatch: number;
}

export interface SamplingSource {
  /** "best possible" (the exact posterior) or a checkpoint's file stem. */
  readonly source: string;
  readonly settings: readonly SamplingSetting[];
  /** What section 11's generation cell shows at seed 42 with its defaults: ancestral, then (for a model) confidence. */
  readonly page: readonly SamplingSetting[];
}

export interface SamplingMeasurements {
  readonly command: string;
  readonly backend: string;
  readonly draws: number;
  readonly batch: number;
  readonly sources: readonly SamplingSource[];
}

/** The objectives' floors for this data (bench/loss-floor.ts). */
export interface LossFloor {
  readonly command: string;
  /** Exact (elbo-math.ts dataEntropyPerToken). */
  readonly entropyNatsPerToken: number;
  readonly entropyBitsPerToken: number;
  readonly perplexity: number;
  /** The best possible model's pooled masked mean over t ~ U(0.02, 1), estimated. */
  readonly pooledMeanFloorNats: number;
  /** The same posterior's ELBO over the grid: should match the entropy (a check on the estimate). */
  readonly elboFloorEstimateNats: number;
}

/** Section 8's puzzle: top-3 guesses of the plateaued and the learned checkpoint on fixed sequences (bench/plateau-example.ts). */
export interface PlateauExample {
  readonly command: string;
  readonly t: number;
  readonly maskSeed: number;
  readonly examples: readonly {
    readonly pattern: readonly number[];
    readonly x0: readonly number[];
    readonly xt: readonly number[];
    readonly masked: number;
    /** By checkpoint file stem: one entry per [MASK], left to right. */
    readonly predictions: Readonly<Record<string, readonly { position: number; top: readonly { token: number; prob: number }[] }[]>>;
  }[];
}

/** The ablation summary (bench/stall-ablation/summarize.py). */
export interface StallAblation {
  readonly command: string;
  readonly escape: { readonly t: number; readonly accuracy: number };
  readonly groups: readonly {
    readonly group: string;
    readonly steps: number;
    readonly evalEvery: number;
    readonly evalSeqsPerRatio: number;
    readonly done: boolean;
    readonly bayesOnSet: Readonly<Record<string, number>>;
    readonly variants: readonly {
      readonly name: string;
      readonly lastStep: number;
      readonly escaped: number;
      readonly meanFinalAccuracy: Readonly<Record<string, number>> | null;
      readonly seeds: readonly {
        readonly seed: number;
        readonly escapeStep: number | null;
        readonly checkpoints: readonly { readonly step: number; readonly accuracy: Readonly<Record<string, number>> }[];
      }[];
    }[];
  }[];
}
