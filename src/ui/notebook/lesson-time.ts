/**
 * How long the lesson takes, section by section, and how much of it is left. An
 * estimate a learner can check: each section takes the longer of reading its prose
 * (at 200 words a minute, a careful pace for technical text) and listening to its
 * narration (the rendered clips' lengths, narration/manifest.json), plus a minute and a
 * half for each live cell and ten minutes for each exercise.
 */
import manifest from '../../../narration/manifest.json';
import { SEGMENTS } from '../../../narration/segments.ts';
import type { Section } from '../../lesson/sections.ts';
import { formatDuration } from '../figures/format.ts';

export const WORDS_PER_MINUTE = 200;
export const MINUTES_PER_CELL = 1.5;
export const MINUTES_PER_EXERCISE = 10;

const clipSeconds = new Map((manifest as { id: string; duration: number }[]).map((m) => [m.id, m.duration]));

/** Seconds of narration in a section. */
export function narrationSeconds(sectionId: string): number {
  return SEGMENTS.filter((s) => s.section === sectionId).reduce((sum, s) => sum + (clipSeconds.get(s.id) ?? 0), 0);
}

export function sectionMinutes(section: Pick<Section, 'id' | 'text' | 'cells'>): number {
  const words = section.text.split(/\s+/).filter(Boolean).length;
  const reading = words / WORDS_PER_MINUTE;
  const listening = narrationSeconds(section.id) / 60;
  const perCell = section.id === 'exercises' ? MINUTES_PER_EXERCISE : MINUTES_PER_CELL;
  return Math.max(reading, listening) + perCell * section.cells.length;
}

export interface LessonPosition {
  /** Index of the section being read. */
  readonly current: number;
  /** Cells done in each section (run, or for exercises solved), by section id. */
  readonly done: (section: Pick<Section, 'id' | 'cells'>) => number;
}

/**
 * Minutes left: a section with cells counts by the share of its cells done; one without
 * counts as read once the reader has moved past it.
 */
export function minutesLeft(sections: readonly Pick<Section, 'id' | 'text' | 'cells' | 'index'>[], at: LessonPosition): number {
  return sections.reduce((left, s) => {
    const share = s.cells.length > 0 ? at.done(s) / s.cells.length : s.index < at.current ? 1 : 0;
    return left + sectionMinutes(s) * (1 - share);
  }, 0);
}

/** "about 1 h 45 min", "about 45 min", "a minute or two": to the nearest five minutes, all an estimate can promise. */
export function formatMinutes(minutes: number): string {
  if (minutes < 2.5) return minutes < 0.5 ? 'nothing' : 'a minute or two';
  return `about ${formatDuration(60 * Math.max(5, Math.round(minutes / 5) * 5))}`;
}
