/**
 * How the character model trains: the lesson's "learns" recipe (small
 * embedding init, no dropout, AdamW 2e-3 with warm-up, cosine), on words drawn
 * from the training side of the list, with the same trainer.
 */
import { LEARNS, type Recipe } from '../core/recipes.ts';
import type { CleanSource } from '../core/training.ts';
import type { Rng } from '../core/rng.ts';
import { drawWords, type WordList } from './word-list.ts';

export const WORDS_RECIPE: Recipe = Object.freeze({
  ...LEARNS,
  name: 'words',
  description: 'The learns recipe on real words: 12 characters a sequence, words drawn from the training side of the list.',
  steps: 3000,
});

/** The trainer's data source: training words only, never the validation side. */
export const wordSource =
  (list: WordList): CleanSource =>
  (rng: Rng, batch: number) =>
    drawWords(rng, batch, list.train);
