/**
 * The lesson, in order. Each section is data: an id for URLs and progress,
 * and its compiled prose (src/lesson/content/*.md), which says where each
 * live cell goes. The cells themselves live in src/ui/cells.
 */
import type { CompiledSection } from '../build/lesson-markdown.ts';
import setup from './content/00-setup.md';
import why from './content/01-why.md';
import intuition from './content/02-intuition.md';
import math from './content/03-math.md';
import data from './content/04-data.md';
import masking from './content/05-masking.md';
import statistics from './content/06-statistics.md';
import transformer from './content/07-transformer.md';
import training from './content/08-training.md';
import exercises from './content/09-exercises.md';
import results from './content/10-results.md';
import beyond from './content/11-beyond.md';
import reflection from './content/12-reflection.md';

export interface Section extends CompiledSection {
  readonly id: string;
  /** 0-based position, shown as the section number. */
  readonly index: number;
  /** Ids of the section's cells, in reading order. */
  readonly cells: readonly string[];
}

const ORDER: readonly [string, CompiledSection][] = [
  ['setup', setup],
  ['why', why],
  ['intuition', intuition],
  ['math', math],
  ['data', data],
  ['masking', masking],
  ['statistics', statistics],
  ['transformer', transformer],
  ['training', training],
  ['exercises', exercises],
  ['results', results],
  ['beyond', beyond],
  ['reflection', reflection],
];

export const SECTIONS: readonly Section[] = Object.freeze(
  ORDER.map(([id, content], index) => ({
    ...content,
    id,
    index,
    cells: content.parts.flatMap((p) => ('cell' in p ? [p.cell] : [])),
  })),
);

export function sectionById(id: string): Section | undefined {
  return SECTIONS.find((s) => s.id === id);
}
