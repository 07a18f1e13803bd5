/**
 * Porter's suffix-stripping stemmer (M. F. Porter, 1980), so that "masked",
 * "masking" and "masks" all meet at "mask" in the lesson's search index.
 *
 * The algorithm sees a word as [C](VC)^m[V]: runs of consonants and vowels.
 * Its "measure" m counts the VC pairs of a stem, and most rules only strip a
 * suffix when what is left is long enough (m > 0 or m > 1), which keeps
 * short words such as "sing" or "rate" whole. Input: one lower-case word.
 */

function isConsonant(word: string, i: number): boolean {
  const c = word[i];
  if (c === 'a' || c === 'e' || c === 'i' || c === 'o' || c === 'u') return false;
  // "y" is a vowel after a consonant (in "happy"), a consonant otherwise ("yes", "toy").
  if (c === 'y') return i === 0 ? true : !isConsonant(word, i - 1);
  return true;
}

/** m: the number of vowel-then-consonant transitions in the stem. */
function measure(stem: string): number {
  let m = 0;
  let sawVowel = false;
  for (let i = 0; i < stem.length; i++) {
    if (!isConsonant(stem, i)) sawVowel = true;
    else if (sawVowel) {
      m++;
      sawVowel = false;
    }
  }
  return m;
}

const hasVowel = (stem: string): boolean => [...stem].some((_, i) => !isConsonant(stem, i));

/** *d: ends in a doubled consonant ("hopp", "fall"). */
const endsDouble = (stem: string): boolean =>
  stem.length >= 2 && stem[stem.length - 1] === stem[stem.length - 2] && isConsonant(stem, stem.length - 1);

/** *o: ends consonant-vowel-consonant, the last not w, x or y ("hop", "fil"): such stems get their "e" back. */
function endsCvc(stem: string): boolean {
  const n = stem.length;
  if (n < 3) return false;
  const last = stem[n - 1];
  return isConsonant(stem, n - 3) && !isConsonant(stem, n - 2) && isConsonant(stem, n - 1) && last !== 'w' && last !== 'x' && last !== 'y';
}

type Rule = readonly [suffix: string, replacement: string];

/**
 * Steps 2 to 4: find the rule whose suffix ends the word (the lists are
 * ordered so that the first hit is the longest), and apply it only if the
 * stem left over passes `when`. A hit that fails the test stops the step.
 */
function applyFirst(word: string, rules: readonly Rule[], when: (stem: string, suffix: string) => boolean): string {
  for (const [suffix, replacement] of rules) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, word.length - suffix.length);
    return when(stem, suffix) ? stem + replacement : word;
  }
  return word;
}

function step1a(w: string): string {
  if (w.endsWith('sses')) return w.slice(0, -2);
  if (w.endsWith('ies')) return w.slice(0, -2);
  if (w.endsWith('ss')) return w;
  if (w.endsWith('s')) return w.slice(0, -1);
  return w;
}

function step1b(w: string): string {
  if (w.endsWith('eed')) return measure(w.slice(0, -3)) > 0 ? w.slice(0, -1) : w;
  let stem: string | null = null;
  if (w.endsWith('ed') && hasVowel(w.slice(0, -2))) stem = w.slice(0, -2);
  else if (w.endsWith('ing') && hasVowel(w.slice(0, -3))) stem = w.slice(0, -3);
  if (stem === null) return w;
  // Tidy what "-ed"/"-ing" left: "conflat" -> "conflate", "hopp" -> "hop", "fil" -> "file".
  if (stem.endsWith('at') || stem.endsWith('bl') || stem.endsWith('iz')) return stem + 'e';
  if (endsDouble(stem) && !/[lsz]$/.test(stem)) return stem.slice(0, -1);
  if (measure(stem) === 1 && endsCvc(stem)) return stem + 'e';
  return stem;
}

const step1c = (w: string): string => (w.endsWith('y') && hasVowel(w.slice(0, -1)) ? w.slice(0, -1) + 'i' : w);

const STEP2: readonly Rule[] = [
  ['ational', 'ate'],
  ['tional', 'tion'],
  ['enci', 'ence'],
  ['anci', 'ance'],
  ['izer', 'ize'],
  ['bli', 'ble'],
  ['alli', 'al'],
  ['entli', 'ent'],
  ['eli', 'e'],
  ['ousli', 'ous'],
  ['ization', 'ize'],
  ['ation', 'ate'],
  ['ator', 'ate'],
  ['alism', 'al'],
  ['iveness', 'ive'],
  ['fulness', 'ful'],
  ['ousness', 'ous'],
  ['aliti', 'al'],
  ['iviti', 'ive'],
  ['biliti', 'ble'],
  ['logi', 'log'],
];
// Longest first, so "ational" wins over "tional" and "ation".
const byLength = (rules: readonly Rule[]): readonly Rule[] => [...rules].sort((a, b) => b[0].length - a[0].length);
const STEP2_SORTED = byLength(STEP2);

const STEP3 = byLength([
  ['icate', 'ic'],
  ['ative', ''],
  ['alize', 'al'],
  ['iciti', 'ic'],
  ['ical', 'ic'],
  ['ful', ''],
  ['ness', ''],
]);

const STEP4 = byLength([
  ['al', ''],
  ['ance', ''],
  ['ence', ''],
  ['er', ''],
  ['ic', ''],
  ['able', ''],
  ['ible', ''],
  ['ant', ''],
  ['ement', ''],
  ['ment', ''],
  ['ent', ''],
  ['ion', ''],
  ['ou', ''],
  ['ism', ''],
  ['ate', ''],
  ['iti', ''],
  ['ous', ''],
  ['ive', ''],
  ['ize', ''],
]);

function step4(w: string): string {
  // "-ion" goes only after s or t: "adoption" -> "adopt", but "champion" stays.
  return applyFirst(w, STEP4, (stem, suffix) => measure(stem) > 1 && (suffix !== 'ion' || /[st]$/.test(stem)));
}

function step5(w: string): string {
  if (w.endsWith('e')) {
    const stem = w.slice(0, -1);
    const m = measure(stem);
    if (m > 1 || (m === 1 && !endsCvc(stem))) w = stem;
  }
  if (w.endsWith('ll') && measure(w) > 1) w = w.slice(0, -1);
  return w;
}

export function stem(word: string): string {
  if (word.length <= 2) return word;
  let w = step1c(step1b(step1a(word)));
  w = applyFirst(w, STEP2_SORTED, (s) => measure(s) > 0);
  w = applyFirst(w, STEP3, (s) => measure(s) > 0);
  w = step4(w);
  return step5(w);
}
