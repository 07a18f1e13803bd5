/**
 * How the lesson writes a number it quotes, in the prose (digits) and in the
 * narration (words, for the speech synthesiser and the captions). A quoted
 * value is `{{value KEY FORMAT}}` in the source; FORMAT is one of these.
 *
 *   pct0, pct1       a share as a percentage:         0.3812 -> "38%", "38.1%"
 *   pts0, pts1       a share difference in points:    0.0921 -> "9", "9.2"
 *   num0 .. num4     a plain number, fixed decimals:  1.4137 -> "1.4" (num1); num0 groups thousands
 *   say-pct0         spoken percentage:               0.3812 -> "thirty-eight percent"
 *   say-num0, say-num1, say-num2
 *                    spoken number:                   1.4137 -> "one point four" (say-num1)
 *   say-pts0, say-pts1  spoken points:                0.0921 -> "nine", "nine point two"
 *
 * Plain TypeScript: the build, the narration renderer and the tests share it.
 */

export const FORMATS = [
  'pct0',
  'pct1',
  'pts0',
  'pts1',
  'num0',
  'num1',
  'num2',
  'num3',
  'num4',
  'say-pct0',
  'say-num0',
  'say-num1',
  'say-num2',
  'say-pts0',
  'say-pts1',
] as const;
export type NumberFormat = (typeof FORMATS)[number];

export function isFormat(f: string): f is NumberFormat {
  return (FORMATS as readonly string[]).includes(f);
}

/** x rounded to `digits` decimals, as text; -0 is written 0. */
function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** 156304 -> "156,304": the prose groups thousands. */
function grouped(s: string): string {
  const [whole, frac] = s.split('.');
  const g = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac === undefined ? g : `${g}.${frac}`;
}

export function formatNumber(value: number, format: NumberFormat): string {
  if (!Number.isFinite(value)) throw new RangeError(`cannot quote ${value}`);
  switch (format) {
    case 'pct0':
      return `${fixed(100 * value, 0)}%`;
    case 'pct1':
      return `${fixed(100 * value, 1)}%`;
    case 'pts0':
      return fixed(100 * value, 0);
    case 'pts1':
      return fixed(100 * value, 1);
    case 'num0':
      return grouped(fixed(value, 0));
    case 'num1':
    case 'num2':
    case 'num3':
    case 'num4':
      return fixed(value, Number(format.slice(3)));
    case 'say-pct0':
      return `${spoken(fixed(100 * value, 0))} percent`;
    case 'say-pts0':
    case 'say-pts1':
      return spoken(fixed(100 * value, Number(format.slice(7))));
    case 'say-num0':
    case 'say-num1':
    case 'say-num2':
      return spoken(fixed(value, Number(format.slice(7))));
  }
}

const SMALL = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

/** 0 <= n < 1000 in words: "three hundred and four", "thirty-eight". */
function below1000(n: number): string {
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  const tail = rest < 20 ? SMALL[rest] : TENS[Math.floor(rest / 10)] + (rest % 10 ? `-${SMALL[rest % 10]}` : '');
  if (hundreds === 0) return tail;
  return `${SMALL[hundreds]} hundred${rest ? ` and ${tail}` : ''}`;
}

/** A whole number below a million in words. */
function wholeWords(n: number): string {
  if (n >= 1_000_000) throw new RangeError(`${n} is too large to say`);
  const thousands = Math.floor(n / 1000);
  const rest = n % 1000;
  if (thousands === 0) return below1000(rest);
  return `${below1000(thousands)} thousand${rest ? (rest < 100 ? ' and ' : ', ') + below1000(rest) : ''}`;
}

/** "1.45" -> "one point four five", "-3" -> "minus three": decimals are said digit by digit. */
export function spoken(text: string): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new RangeError(`not a number: "${text}"`);
  const whole = wholeWords(Number(m[2]));
  const frac = m[3] ? ` point ${[...m[3]].map((d) => SMALL[Number(d)]).join(' ')}` : '';
  return `${m[1] ? 'minus ' : ''}${whole}${frac}`;
}
