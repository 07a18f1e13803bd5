/**
 * Every number the lesson states has a source a test can check, so none can go stale.
 *
 * 1. Measured numbers are quoted, never typed: `{{value KEY FORMAT}}` in the prose and
 *    the narration scripts, filled in from the data file src/lesson/measured.ts names.
 *    Each quote must resolve, in a format fit for where it is (digits in prose, words
 *    in narration), and each quantity may read only the files it declares.
 * 2. Quotes follow their data: change a data file and the text changes with it (shown
 *    here by feeding the quotes altered data).
 * 3. Nothing else: every other number written in the prose, the glossary, the suggested
 *    questions or a narration script is listed in number-provenance.allowed.ts with
 *    where it comes from. A definition (a recipe setting, the model's size) is checked
 *    against the code that defines it; an exact value against the formula; a worked
 *    example or a label is named as such. A new number, or a changed one, fails here
 *    until it is quoted from its file or listed with its source.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoJson, repoPath } from '../../src/build/repo-json.ts';
import { GLOSSARY } from '../../src/lesson/glossary.ts';
import { expandValues, filesQuoted, QUANTITIES, quote, VALUE_PATTERN, type Read } from '../../src/lesson/measured.ts';
import { formatNumber, spoken } from '../../src/lesson/number-format.ts';
import { SUGGESTED_QUESTIONS } from '../../src/lesson/questions.ts';
import { digitNumbers, proseClaims, wordNumbers, type Found } from '../helpers/numbers-in-text.ts';
import { ALLOWED, SMALL_INTEGERS_ARE_LABELS, type Allowed } from './number-provenance.allowed.ts';

const CONTENT = 'src/lesson/content';
const SCRIPTS = 'narration/scripts';
const prose = readdirSync(repoPath(CONTENT))
  .filter((f) => f.endsWith('.md'))
  .map((f) => ({ file: `${CONTENT}/${f}`, text: readFileSync(repoPath(`${CONTENT}/${f}`), 'utf8') }));
const scripts = readdirSync(repoPath(SCRIPTS))
  .filter((f) => f.endsWith('.txt'))
  .map((f) => ({ file: `${SCRIPTS}/${f}`, text: readFileSync(repoPath(`${SCRIPTS}/${f}`), 'utf8') }));

const quotesIn = (text: string) => [...text.matchAll(VALUE_PATTERN)].map((m) => ({ key: m[1], format: m[2] }));

describe('quoted measurements', () => {
  it.each(prose.map((p) => [p.file, p.text]))('%s: every quote resolves, written in digits', (file, text) => {
    for (const { key, format } of quotesIn(text)) {
      expect(format.startsWith('say-'), `${file}: ${key} is said in words (${format}) in prose`).toBe(false);
      expect(() => quote(key, format, readRepoJson), `${file}: ${key}`).not.toThrow();
    }
  });

  it.each(scripts.map((s) => [s.file, s.text]))('%s: every quote resolves, said in words', (file, text) => {
    for (const { key, format } of quotesIn(text)) {
      expect(format.startsWith('say-'), `${file}: ${key} must be said in words (a say-* format), not ${format}`).toBe(true);
      expect(() => quote(key, format, readRepoJson), `${file}: ${key}`).not.toThrow();
    }
  });

  it('reads each quantity only from the files it declares, and those files exist', () => {
    const used = new Set([...prose, ...scripts].flatMap((t) => quotesIn(t.text).map((q) => q.key)));
    expect(used.size).toBeGreaterThan(40);
    for (const key of used) {
      const q = QUANTITIES[key];
      for (const f of q.files) expect(existsSync(repoPath(f)), `${key}: ${f}`).toBe(true);
      const guarded: Read = (path) => {
        if (!q.files.includes(path)) throw new Error(`${key} read ${path}, which it does not declare`);
        return readRepoJson(path);
      };
      expect(Number.isFinite(q.value(guarded)), key).toBe(true);
    }
  });

  it('follows its data: altered data changes the quoted text, and a missing key names the file', () => {
    // Every accuracy and loss in every eval file scaled by 0.9: the prose that quotes them must change.
    const altered: Read = (path) => {
      const data = readRepoJson(path) as { ratios?: { accuracy: number; meanLoss: number }[] };
      if (!path.endsWith('.eval.json') || !data.ratios) return data;
      return { ...data, ratios: data.ratios.map((r) => ({ ...r, accuracy: 0.9 * r.accuracy, meanLoss: 0.9 * r.meanLoss })) };
    };
    const results = prose.find((p) => p.file.endsWith('10-results.md'))!.text;
    expect(filesQuoted(results)).toContain('public/pretrained/notebook-3000.eval.json');
    const now = expandValues(results, readRepoJson, 'results');
    const then = expandValues(results, altered, 'results');
    expect(then).not.toBe(now);
    expect(quote('eval.notebook.acc.t0100', 'pct1', altered)).toBe(formatNumber(0.9 * quoteValue('eval.notebook.acc.t0100'), 'pct1'));
    expect(() => expandValues('at {{value eval.nothing pct0}}', readRepoJson, 'x.md')).toThrow(/x\.md: unknown measured value "eval\.nothing"/);
    expect(() => expandValues('at {{value eval.notebook.plateau pct7}}', readRepoJson, 'y.md')).toThrow(/y\.md: .*unknown format "pct7"/);
    const broken: Read = () => {
      throw new Error('cannot read public/pretrained/notebook-3000.eval.json: ENOENT');
    };
    expect(() => expandValues('{{value eval.notebook.plateau pct0}}', broken, 'z.md')).toThrow(
      /z\.md: cannot read public\/pretrained\/notebook-3000/,
    );
  });
});

function quoteValue(key: string): number {
  return QUANTITIES[key].value(readRepoJson);
}

describe('number formats', () => {
  it('writes percentages, points and fixed decimals, and says them in words', () => {
    expect(formatNumber(0.3812, 'pct0')).toBe('38%');
    expect(formatNumber(0.3812, 'pct1')).toBe('38.1%');
    expect(formatNumber(0.0921, 'pts1')).toBe('9.2');
    expect(formatNumber(156304, 'num0')).toBe('156,304');
    expect(formatNumber(-0.0001, 'num2')).toBe('0.00');
    expect(formatNumber(0.3812, 'say-pct0')).toBe('thirty-eight percent');
    expect(formatNumber(1.4137, 'say-num1')).toBe('one point four');
    expect(formatNumber(120, 'say-num0')).toBe('one hundred and twenty');
    expect(spoken('156304')).toBe('one hundred and fifty-six thousand, three hundred and four');
    expect(spoken('0.02')).toBe('zero point zero two');
    expect(() => formatNumber(Number.NaN, 'pct0')).toThrow(/cannot quote NaN/);
  });

  it('reads back what it says: the narration scanner parses the spoken forms', () => {
    for (const x of [0, 7, 13, 38, 40, 100, 120, 305, 6500, 32000, 156304]) expect(wordNumbers(spoken(String(x))).map((f) => f.value)).toEqual([x]);
    expect(wordNumbers('zero point zero eight and zero point one two seconds').map((f) => f.value)).toEqual([0.08, 0.12]);
    expect(wordNumbers('seven two nine').map((f) => f.value)).toEqual([7, 2, 9]);
    expect(wordNumbers('thirty-eight percent of sixty-four').map((f) => f.text)).toEqual(['thirty-eight percent', 'sixty-four']);
  });
});

/** What an allowed number must equal, or null for a label or worked example (no source to check). */
function expected(a: Allowed): number | null {
  return 'value' in a ? a.value() : null;
}

function checkAgainstAllowed(where: string, found: readonly Found[]): string[] {
  const allowed = ALLOWED[where] ?? {};
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const f of found) {
    if (SMALL_INTEGERS_ARE_LABELS(f)) continue;
    const a = allowed[f.text];
    seen.add(f.text);
    if (!a) {
      problems.push(
        `${where}: "${f.text}" is written by hand. Quote it from its data file ({{value KEY FORMAT}}) or list its source in number-provenance.allowed.ts.`,
      );
      continue;
    }
    if ('value' in a) {
      const want = a.value();
      if (!(Math.abs(want - f.value) <= a.tolerance)) problems.push(`${where}: "${f.text}" should be ${want} (${a.source}), within ${a.tolerance}`);
    }
  }
  for (const text of Object.keys(allowed))
    if (!seen.has(text)) problems.push(`${where}: "${text}" is listed as allowed but no longer written there: remove it from the list`);
  return problems;
}

describe('numbers written by hand', () => {
  it('in the prose: each is a checked definition, an exact value, or a named example or label', () => {
    const problems = prose.flatMap((p) => checkAgainstAllowed(p.file, digitNumbers(proseClaims(p.text))));
    expect(problems).toEqual([]);
  });

  it('in the narration scripts, said in words: the same', () => {
    const problems = scripts.flatMap((s) => checkAgainstAllowed(s.file, wordNumbers(s.text.replace(VALUE_PATTERN, ' '))));
    expect(problems).toEqual([]);
  });

  it('in the glossary and the suggested questions: the same', () => {
    const glossary = GLOSSARY.flatMap((g) => digitNumbers(proseClaims(g.definition)));
    const questions = Object.values(SUGGESTED_QUESTIONS)
      .flat()
      .flatMap((q) => digitNumbers(proseClaims(q)));
    expect([...checkAgainstAllowed('src/lesson/glossary.ts', glossary), ...checkAgainstAllowed('src/lesson/questions.ts', questions)]).toEqual([]);
  });

  it('catches a stale number: a changed definition or a number typed into the prose fails', () => {
    // A recipe setting quoted by hand, then changed in code: the check compares with the code.
    const where = `${CONTENT}/08-training.md`;
    const typed: Found = { text: '7777', value: 7777 };
    expect(checkAgainstAllowed(where, [typed]).join()).toMatch(/"7777" is written by hand/);
    const listed = Object.entries(ALLOWED[where] ?? {}).find(([, a]) => 'value' in a);
    expect(listed, 'section 8 states at least one recipe setting by hand').toBeDefined();
    const [text, a] = listed!;
    const stale: Found = { text, value: expected(a)! + 1 };
    expect(checkAgainstAllowed(where, [stale]).join()).toMatch(/should be/);
  });
});
