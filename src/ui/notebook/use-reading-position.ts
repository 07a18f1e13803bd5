/**
 * Which section is being read, from what is on screen, so a reload (and the contents'
 * highlight) comes back to it; and a jump to a place that tracking does not fight: while
 * the page scrolls to where it was sent, what passes by does not count.
 */
import { useCallback, useEffect, useRef } from 'react';

export interface ReadingPosition {
  /** Scroll `target` to the top and make `section` current, without the sections scrolled past counting as read. */
  readonly jumpTo: (target: Element | null, section: string) => void;
}

/** How long a jump may take before tracking resumes anyway (browsers without scrollend). */
const JUMP_SETTLE_MS = 600;

export function useReadingPosition(enabled: boolean, onSection: (section: string) => void, watch: unknown): ReadingPosition {
  const jumping = useRef(false);
  const latest = useRef(onSection);
  useEffect(() => {
    latest.current = onSection;
  });

  useEffect(() => {
    if (!enabled || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver(
      (entries) => {
        const top = entries.filter((e) => e.isIntersecting).sort((a, b) => a.boundingClientRect.top - b.boundingClientRect.top)[0];
        const id = top?.target.getAttribute('data-section');
        if (id && !jumping.current) latest.current(id);
      },
      // A section counts once it crosses a line a tenth of the way down the screen.
      { rootMargin: '-10% 0px -80% 0px' },
    );
    document.querySelectorAll('[data-section]').forEach((el) => io.observe(el));
    return () => io.disconnect();
  }, [enabled, watch]);

  const jumpTo = useCallback((target: Element | null, section: string) => {
    latest.current(section);
    if (!target) return;
    jumping.current = true;
    let done = false;
    const settle = () => {
      if (done) return;
      done = true;
      jumping.current = false;
      window.removeEventListener('scrollend', settle);
    };
    window.addEventListener('scrollend', settle);
    setTimeout(settle, JUMP_SETTLE_MS);
    target.scrollIntoView({ block: 'start' });
  }, []);

  return { jumpTo };
}
