/**
 * Okapi BM25 ranking, split so that all the counting happens once, at build
 * time, and a query in the page only adds up numbers it looks up.
 *
 * A passage d scores, for a question with terms q₁…qₙ,
 *
 *   score(d) = Σᵢ idf(qᵢ) · f(qᵢ, d) · (k1 + 1) / (f(qᵢ, d) + k1 · (1 − b + b · |d| / avgdl))
 *
 * where f is how often the term occurs in d, |d| is d's length in terms and
 * avgdl the average length. k1 caps what repeating a word can earn; b is how
 * much a long passage is discounted for having more words to match with.
 * idf(q) = ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5)), with n(q) the number of
 * the N passages that contain q: rare terms count for more. Each term of the
 * question is counted once, so "mask mask mask" is no stronger than "mask".
 */

export const BM25 = Object.freeze({ k1: 1.2, b: 0.75 });

/** For each term, the passages containing it and its whole BM25 contribution there: [doc, weight, doc, weight, …]. */
export type Postings = Readonly<Record<string, readonly number[]>>;

export interface Ranked {
  /** The passage's position in the list the postings were built from. */
  readonly doc: number;
  readonly score: number;
}

/** Four significant digits: the ranking does not need more, and the index ships to the page. */
const round = (x: number): number => Number(x.toPrecision(4));

/** Build time: every passage's terms (already tokenized) to postings. */
export function buildPostings(docs: readonly (readonly string[])[], { k1, b } = BM25): Postings {
  const n = docs.length;
  if (n === 0) return {};
  const averageLength = docs.reduce((sum, d) => sum + d.length, 0) / n || 1;
  const counts = new Map<string, Map<number, number>>(); // term -> doc -> frequency
  docs.forEach((terms, doc) => {
    for (const term of terms) {
      let perDoc = counts.get(term);
      if (!perDoc) counts.set(term, (perDoc = new Map()));
      perDoc.set(doc, (perDoc.get(doc) ?? 0) + 1);
    }
  });
  const postings: Record<string, number[]> = {};
  for (const term of [...counts.keys()].sort()) {
    const perDoc = counts.get(term)!;
    const idf = Math.log(1 + (n - perDoc.size + 0.5) / (perDoc.size + 0.5));
    const flat: number[] = [];
    for (const [doc, f] of perDoc) {
      const lengthNorm = 1 - b + (b * docs[doc].length) / averageLength;
      flat.push(doc, round((idf * f * (k1 + 1)) / (f + k1 * lengthNorm)));
    }
    postings[term] = flat;
  }
  return postings;
}

/** Query time: the `limit` best passages for these terms, best first; passages sharing no term are left out. */
export function rank(postings: Postings, queryTerms: readonly string[], limit: number): Ranked[] {
  const scores = new Map<number, number>();
  for (const term of new Set(queryTerms)) {
    const list = Object.hasOwn(postings, term) ? postings[term] : undefined; // "constructor" is not a term
    if (!list) continue;
    for (let i = 0; i < list.length; i += 2) scores.set(list[i], (scores.get(list[i]) ?? 0) + list[i + 1]);
  }
  return [...scores]
    .map(([doc, score]) => ({ doc, score }))
    .sort((a, b) => b.score - a.score || a.doc - b.doc)
    .slice(0, limit);
}
