/** Whether an element has been on screen: cells that run when seen, and editors made when seen. */
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
