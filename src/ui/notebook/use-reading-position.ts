/**
 * Which section is being read, from what is on screen, so a reload (and the contents'
 * highlight) comes back to it; and a jump to a place that tracking does not fight: while
 * the page scrolls to where it was sent (and holds it there as cells around it load),
 * what passes by does not count.
 */
import { useCallback, useEffect, useRef } from 'react';

export interface ReadingPosition {
  /** Scroll `target` to the top and make `section` current, without the sections scrolled past counting as read. */
  readonly jumpTo: (target: Element | null, section: string) => void;
}

/** How long a jump holds its target in place while the page around it settles, at most. */
const HOLD_MS = 3000;
/** What the reader does to take the scroll back. */
const READER_MOVES = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

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

  const release = useRef<() => void>(() => undefined);
  useEffect(() => () => release.current(), []);

  const jumpTo = useCallback((target: Element | null, section: string) => {
    latest.current(section);
    release.current();
    if (!target) return;
    jumping.current = true;
    target.scrollIntoView({ block: 'start' });
    // Sections near the target load their cells after the jump and change height: keep
    // the target where it was sent until that settles, or until the reader scrolls.
    const hold = typeof ResizeObserver === 'function' ? new ResizeObserver(() => target.scrollIntoView({ block: 'start' })) : null;
    hold?.observe(document.body);
    const stop = () => {
      hold?.disconnect();
      clearTimeout(timer);
      for (const e of READER_MOVES) window.removeEventListener(e, stop);
      jumping.current = false;
      release.current = () => undefined;
    };
    const timer = setTimeout(stop, HOLD_MS);
    for (const e of READER_MOVES) window.addEventListener(e, stop, { passive: true });
    release.current = stop;
  }, []);

  return { jumpTo };
}
