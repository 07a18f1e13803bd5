/**
 * The lesson's search index, fetched once, the first time the offline "Ask"
 * needs it: about 70 KB gzip that the first page load never pays for.
 */
import type { LessonIndex } from '../../search/lesson-search.ts';

let index: Promise<LessonIndex> | null = null;

export function loadLessonIndex(): Promise<LessonIndex> {
  index ??= import('virtual:lesson-index').then((m) => m.default);
  // A failed fetch (offline before the service worker cached it) may be retried on the next question.
  index.catch(() => {
    index = null;
  });
  return index;
}
