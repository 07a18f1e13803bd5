/**
 * The offline "Ask about this lesson": a question in, the lesson's own best
 * passages out. The index (passages and BM25 postings) is built with the app
 * (src/build/lesson-index.ts); here a question is only tokenized the same way
 * and its terms' precomputed weights added up.
 */
import { rank, type Postings } from './bm25.ts';
import type { PassageKind } from './passages.ts';
import { phraseWords, tokenize } from './tokenize.ts';

/** A passage as the page shows it. */
export interface Passage {
  readonly kind: PassageKind;
  readonly section: string;
  readonly heading: string;
  /** Rendered at build time from the lesson's own files (KaTeX for math), so safe to insert. */
  readonly html: string;
}

export interface LessonIndex {
  readonly passages: readonly Passage[];
  readonly postings: Postings;
  /** Each glossary term and alias in phraseWords form, with its entry's passage. */
  readonly glossaryNames: readonly (readonly [words: readonly string[], doc: number])[];
}

export interface Found extends Passage {
  /** Its position in the index's passages. */
  readonly doc: number;
  readonly score: number;
}

export const LESSON_SEARCH = Object.freeze({
  /** Two or three passages: enough to compare, few enough to read. */
  shown: 3,
  /**
   * A passage is shown only if it scores at least this share of the best.
   * Below it, a passage usually shares one common word with the question and
   * would only dilute the answer.
   */
  minShareOfBest: 0.45,
  /**
   * A definition named in the question goes first only if it also ranks
   * near the best on its own: "mask" names the [MASK] entry, but a question
   * about why training masks tokens is not asking what [MASK] is.
   */
  definitionShareOfBest: 0.75,
});

/** Whether `words` contains `run` as consecutive words. */
function containsRun(words: readonly string[], run: readonly string[]): boolean {
  if (run.length === 0) return false;
  for (let i = 0; i + run.length <= words.length; i++) {
    if (run.every((w, j) => words[i + j] === w)) return true;
  }
  return false;
}

/**
 * The best passages for a question, best first:
 * 1. BM25 over every passage;
 * 2. if the question names a glossary term ("What is the ELBO?") and that
 *    entry ranks near the best, its definition goes first: BM25
 *    alone often puts a long passage that repeats the word above the one
 *    sentence that says what it is;
 * 3. one passage per subheading (or glossary term, or narration clip), so
 *    three neighbouring paragraphs do not crowd out everything else.
 */
export function searchLesson(index: LessonIndex, question: string, { shown, minShareOfBest, definitionShareOfBest } = LESSON_SEARCH): Found[] {
  const ranked = rank(index.postings, tokenize(question), index.passages.length);
  if (ranked.length === 0) return [];
  const cutoff = ranked[0].score * minShareOfBest;
  const words = phraseWords(question);
  const named = new Set(index.glossaryNames.filter(([run]) => containsRun(words, run)).map(([, doc]) => doc));
  const definition = ranked.find((r) => named.has(r.doc) && r.score >= ranked[0].score * definitionShareOfBest);
  const ordered = definition ? [definition, ...ranked.filter((r) => r !== definition)] : ranked;

  const found: Found[] = [];
  const places = new Set<string>();
  for (const r of ordered) {
    if (found.length === shown || r.score < cutoff) break;
    const passage = index.passages[r.doc];
    const place = `${passage.kind}:${passage.section}:${passage.heading}`;
    if (places.has(place)) continue;
    places.add(place);
    found.push({ ...passage, doc: r.doc, score: r.score });
  }
  return found;
}
