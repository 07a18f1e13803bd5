/** The one duration formatter, and the lesson's time estimate built on it. */
import { describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { formatDuration } from '../../src/ui/figures/format.ts';
import {
  formatMinutes,
  MINUTES_PER_CELL,
  minutesLeft,
  narrationSeconds,
  sectionMinutes,
  WORDS_PER_MINUTE,
} from '../../src/ui/notebook/lesson-time.ts';

describe('formatDuration', () => {
  it('writes a running time as a clock', () => {
    expect(formatDuration(0, 'clock')).toBe('0:00');
    expect(formatDuration(96.9, 'clock')).toBe('1:36');
    expect(formatDuration(3723, 'clock')).toBe('1:02:03');
    expect(formatDuration(Number.NaN, 'clock')).toBe('0:00');
  });

  it('writes an estimate in the unit a reader thinks in', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(89)).toBe('89 s');
    expect(formatDuration(90)).toBe('2 min');
    expect(formatDuration(60 * 89)).toBe('89 min');
    expect(formatDuration(60 * 92)).toBe('1 h 30 min');
    expect(formatDuration(3600 * 2)).toBe('2 h');
    expect(formatDuration(-1)).toBe('an unknown time');
  });
});

describe('the lesson time estimate', () => {
  it('takes the longer of reading and listening, plus the cells', () => {
    const section = { id: 'math', text: 'word '.repeat(WORDS_PER_MINUTE * 2), cells: ['a', 'b'] };
    const listening = narrationSeconds('math') / 60;
    expect(listening).toBeGreaterThan(1); // the math clip is about 97 s
    expect(sectionMinutes(section)).toBeCloseTo(Math.max(2, listening) + 2 * MINUTES_PER_CELL, 6);
    expect(sectionMinutes({ ...section, text: 'word '.repeat(WORDS_PER_MINUTE * 10) })).toBeCloseTo(10 + 2 * MINUTES_PER_CELL, 6);
  });

  it('counts down as cells are run and sections are passed', () => {
    const total = SECTIONS.reduce((s, x) => s + sectionMinutes(x), 0);
    expect(minutesLeft(SECTIONS, { current: 0, done: () => 0 })).toBeCloseTo(total, 6);
    const statistics = SECTIONS.find((s) => s.id === 'statistics')!;
    const oneRun = minutesLeft(SECTIONS, { current: 0, done: (s) => (s.id === 'statistics' ? 1 : 0) });
    expect(total - oneRun).toBeCloseTo(sectionMinutes(statistics) / statistics.cells.length, 6);
    // A section without cells is read once the reader is past it.
    const reflection = SECTIONS.find((s) => s.cells.length === 0)!;
    const past = minutesLeft(SECTIONS, { current: reflection.index + 1, done: () => 0 });
    expect(total - past).toBeCloseTo(sectionMinutes(reflection), 6);
    expect(minutesLeft(SECTIONS, { current: SECTIONS.length, done: (s) => s.cells.length })).toBe(0);
  });

  it('rounds the estimate to five minutes', () => {
    expect(formatMinutes(0)).toBe('nothing');
    expect(formatMinutes(2)).toBe('a minute or two');
    expect(formatMinutes(3)).toBe('about 5 min');
    expect(formatMinutes(43)).toBe('about 45 min');
    expect(formatMinutes(104)).toBe('about 1 h 45 min');
  });
});
