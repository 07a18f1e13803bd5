/** How far through the lesson the learner is, and roughly how long is left: a bar and a line in the header. */
import { useMemo } from 'react';
import type { Section } from '../../lesson/sections.ts';
import { formatMinutes, minutesLeft, sectionMinutes } from './lesson-time.ts';

export interface LessonProgressProps {
  readonly sections: readonly Section[];
  readonly current: string;
  readonly done: (section: Pick<Section, 'id' | 'cells'>) => number;
}

export function LessonProgress({ sections, current, done }: LessonProgressProps) {
  const at = Math.max(
    0,
    sections.findIndex((s) => s.id === current),
  );
  const total = useMemo(() => sections.reduce((t, s) => t + sectionMinutes(s), 0), [sections]);
  const left = minutesLeft(sections, { current: at, done });
  const share = Math.round((100 * (total - left)) / total);
  return (
    <p className="lesson-progress" data-testid="lesson-progress">
      <progress max={100} value={share} aria-label="Lesson progress" aria-valuetext={`${share}% done`} />
      <span>
        {share}% done · {formatMinutes(left)} left
      </span>
    </p>
  );
}
