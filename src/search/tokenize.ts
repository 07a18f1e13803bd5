/**
 * Text to search terms, the same way for the lesson (at build time) and for
 * a learner's question (in the page): lower case, TeX commands dropped,
 * words and numbers kept, common function words dropped, each word stemmed.
 *
 * "Why does the ELBO weight each masked token by 1/t?" gives
 * ["elbo", "weight", "mask", "token", "1"].
 */
import { stem } from './stem.ts';

/**
 * Words that say nothing about the topic of a passage or a question. Question
 * words are here on purpose: "why" and "how" are in almost every question
 * and in no particular passage.
 */
const STOPWORDS = new Set(
  `a about above after again against all also am an and any are aren't as at be because been before being below between both but by
  can cannot could did do does doing don't down during each either else etc even ever every few for from further get gets give gives go
  goes had has have having he her here hers him his how however i if in into is isn't it its itself just let lets like may me might
  more most much must my no nor not now of off on once one only or other our ours out over own per same say says see shall she should
  so some such than that the their theirs them then there these they this those though through thus to too under until up upon us
  use used uses using very via was we were what when where whether which while who whom whose why will with within without would yes
  yet you your yours`.split(/\s+/),
);

/** HTML tags in the prose (<details>, <summary>) are markup, not words. */
const HTML_TAG = /<\/?[a-z][^>]*>/gi;
/**
 * Comparisons read as words, the way the narration says them ("strictly less
 * than"): a question about "u < t" then finds the passage that writes $u < t$.
 */
const COMPARISONS: readonly [RegExp, string][] = [
  [/<=|≤|\\leq?(?![a-z])/g, ' less equal '],
  [/>=|≥|\\geq?(?![a-z])/g, ' greater equal '],
  [/</g, ' less '],
  [/>/g, ' greater '],
];
/** TeX control words (\frac, \mathbb, \le) are layout, not content; the words inside \text{…} survive. */
const TEX_COMMAND = /\\[a-zA-Z]+/g;
/** A word, or a number with an optional decimal part (0.528 stays one term). */
const WORD = /[a-z]+(?:'[a-z]+)?|[0-9]+(?:\.[0-9]+)?/g;

export function tokenize(text: string): string[] {
  const terms: string[] = [];
  let plain = text.replace(HTML_TAG, ' ').toLowerCase().replace(/[’‘]/g, "'");
  for (const [symbol, words] of COMPARISONS) plain = plain.replace(symbol, words);
  plain = plain.replace(TEX_COMMAND, ' ');
  for (const match of plain.matchAll(WORD)) {
    const word = match[0];
    if (STOPWORDS.has(word)) continue;
    // Single letters are mostly math variables (t, L, p, x) and match everything.
    if (word.length === 1 && !/[0-9]/.test(word)) continue;
    // "model's" -> "model"; other apostrophes ("don't") were stop words above.
    terms.push(stem(word.replace(/'s$/, '').replace(/'/g, '')));
  }
  return terms;
}

/**
 * A lighter normal form, for spotting a glossary term named in a question:
 * lower-case words with plurals folded ("Causal masks" -> ["causal", "mask"]),
 * nothing dropped and nothing else stemmed, so "masked" does not name "[MASK]".
 */
export function phraseWords(text: string): string[] {
  return [
    ...text
      .toLowerCase()
      .replace(TEX_COMMAND, ' ')
      .matchAll(/[a-z0-9]+/g),
  ].map(([w]) =>
    w.length > 3 && w.endsWith('ies') ? w.slice(0, -3) + 'y' : w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w,
  );
}
