/** Small hooks for a cell: whether it has been on screen, and how long its run has taken. */
import { useEffect, useState, type RefObject } from 'react';

/**
 * True from the first time `el` is on screen, or within `margin` of it (a CSS margin, as
 * IntersectionObserver's rootMargin), while `watch` is true; stays true.
 */
export function useSeen(el: RefObject<Element | null>, watch: boolean, margin = '0px'): boolean {
  const [seen, setSeen] = useState(false);
  useEffect(() => {
    const target = el.current;
    if (!watch || seen || !target) return;
    if (typeof IntersectionObserver === 'undefined') return setSeen(true);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setSeen(true), { rootMargin: margin });
    io.observe(target);
    return () => io.disconnect();
  }, [el, watch, seen, margin]);
  return seen;
}

/** Whole seconds since `since` (a Date.now()), ticking once a second; 0 when null. */
export function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}
