/**
 * Section 11's reverse step, exactly: the posterior marginals at the two blanks of the
 * conflict example, and how often revealing both at once leaves no period that fits.
 * Exact sums over every pattern of the data (bayes.ts), a few milliseconds of work that
 * the page would otherwise do while a learner scrolls, so it runs in the compute worker.
 */
import { bayesDenoise, pairRevealConflict } from '../core/bayes.ts';
import { DEFAULT_DATA } from '../core/config.ts';
import { conflictInput, CONFLICT_EXAMPLE } from '../lesson/examples.ts';

const V = DEFAULT_DATA.vocabSize;

export interface RevealConflict {
  /** P(x0 = v | visible) at each of the example's two blanks // [V] each. */
  readonly marginals: readonly [number[], number[]];
  /** P(no period fits) when both blanks are drawn at once, each from its own marginal. */
  readonly together: number;
  /** The same when the second is drawn after the first is revealed: never. */
  readonly oneAfterTheOther: number;
}

export function revealConflict(): RevealConflict {
  const x = conflictInput();
  const [i, j] = CONFLICT_EXAMPLE.positions;
  const { probs } = bayesDenoise(x);
  const at = (position: number) => Array.from(probs.subarray(position * V, (position + 1) * V));
  const { together, sequential } = pairRevealConflict(x, i, j);
  return { marginals: [at(i), at(j)], together, oneAfterTheOther: sequential };
}
