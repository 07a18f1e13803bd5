/**
 * Find the numbers a text states, for the number-provenance test: digits in the
 * prose, glossary and questions (after removing what is not a claim: quoted
 * measurements, math, code, markup), and number words in the narration scripts.
 */
import { VALUE_PATTERN } from '../../src/lesson/measured.ts';

export interface Found {
  /** The number as written, e.g. "38%", "0.2877", "thirty-eight percent". */
  readonly text: string;
  readonly value: number;
}

/** Prose (Markdown with KaTeX) or a plain sentence: what is left once the checked parts are taken out. */
export function proseClaims(source: string): string {
  return source
    .replace(VALUE_PATTERN, ' ')
    .replace(/^\{\{cell [^}]+\}\}$/gm, ' ')
    .replace(/\$\$[\s\S]+?\$\$/g, ' ') // display math: formulas, not claims
    .replace(/(^|[^\\$])\$[^$\n]+?\$/g, '$1 ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/`[^`]*`/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\]\([^)]*\)/g, ']'); // link targets
}

/** Numbers written with digits: 38%, 0.2877, 156,304, 10,000. */
export function digitNumbers(text: string): Found[] {
  return [...text.matchAll(/(?<![\w.])\d{1,3}(?:,\d{3})+(?:\.\d+)?%?|(?<![\w.])\d+(?:\.\d+)?%?/g)].map((m) => ({
    text: m[0],
    value: Number(m[0].replace(/[,%]/g, '')),
  }));
}

const UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };

/**
 * Numbers said in words: "thirty-eight percent", "zero point zero two", "one hundred
 * fifty-six thousand, three hundred and four", "sixty-five hundred". A run of number
 * words (with "and", "hundred", "thousand", "point") is one number.
 */
export function wordNumbers(text: string): Found[] {
  const tokens = [...text.toLowerCase().matchAll(/[a-z]+(?:-[a-z]+)?|,/g)].map((m) => m[0]);
  const out: Found[] = [];
  let i = 0;
  const isNum = (w: string | undefined) =>
    w !== undefined && (w in UNITS || w in TENS || (w.includes('-') && w.split('-').every((p) => p in UNITS || p in TENS)));
  while (i < tokens.length) {
    if (!isNum(tokens[i])) {
      i++;
      continue;
    }
    const words: string[] = [];
    let total = 0;
    let current = 0;
    const add = (w: string) => {
      for (const part of w.split('-')) current += UNITS[part] ?? TENS[part];
    };
    // Words combine only the way English builds one number: "thirty-eight", "sixty-five hundred",
    // "one hundred and four", "fifty-six thousand, three hundred". "seven two nine" is three numbers.
    let last: 'unit' | 'tens' | 'scale' | null = null;
    while (i < tokens.length) {
      const w = tokens[i];
      if (isNum(w)) {
        const kind = w in TENS ? 'tens' : 'unit';
        if (last === 'unit' || (last === 'tens' && kind === 'tens') || (last === 'tens' && w.includes('-'))) break;
        if (last === 'tens' && kind === 'unit' && UNITS[w] >= 10) break;
        add(w);
        last = w.includes('-') ? 'unit' : kind;
      } else if (w === 'hundred' && words.length > 0 && last !== 'scale') {
        current *= 100;
        last = 'scale';
      } else if (w === 'thousand' && words.length > 0 && last !== 'scale') {
        total += current * 1000;
        current = 0;
        last = 'scale';
      } else if ((w === 'and' || w === ',') && last === 'scale' && isNum(tokens[i + 1])) {
        i++;
        continue;
      } else break;
      words.push(w);
      i++;
    }
    let value = total + current;
    let text = words.join(' ');
    if (tokens[i] === 'point' && isNum(tokens[i + 1])) {
      const said: string[] = [];
      i++;
      while (i < tokens.length && tokens[i] in UNITS && UNITS[tokens[i]] < 10) said.push(tokens[i++]);
      value = Number(`${value}.${said.map((w) => UNITS[w]).join('')}`);
      text += ` point ${said.join(' ')}`;
    }
    if (tokens[i] === 'percent') {
      text += ' percent';
      i++;
    }
    out.push({ text, value });
  }
  return out;
}
