/**
 * Wide things scroll sideways in their own box (display equations, tables, token strips),
 * never the page. A box that does overflow becomes focusable, so a keyboard can scroll it
 * (axe: scrollable-region-focusable), and says so: `data-overflows` shows the cue
 * (styles.css: the content fades out at an edge with more beyond it, and a line under
 * the box says so), and screen readers hear that it scrolls.
 */
import { useEffect, type RefObject } from 'react';

/** What may be wider than the column. */
export const SCROLLERS = '.math-display, .scroll-x, .data-table, .prose > table';

/** Which edge the box is scrolled to: the cue fades only the side that has more. */
function markEdge(box: HTMLElement): void {
  const max = box.scrollWidth - box.clientWidth;
  box.dataset.edge = box.scrollLeft <= 1 ? 'start' : box.scrollLeft >= max - 1 ? 'end' : 'middle';
}

const tracked = new WeakSet<HTMLElement>();

export function markOverflow(box: HTMLElement): void {
  const overflows = box.scrollWidth > box.clientWidth + 1;
  if (overflows) markEdge(box);
  if (overflows && !tracked.has(box)) {
    tracked.add(box);
    box.addEventListener('scroll', () => markEdge(box), { passive: true });
  }
  if (overflows === (box.dataset.overflows === 'true')) return;
  if (overflows) {
    box.dataset.overflows = 'true';
    box.tabIndex = 0;
    // A div needs a role to carry a name; a table is a table, named by its caption where it has one.
    const generic = box.tagName === 'DIV';
    if (generic && !box.getAttribute('role')) box.setAttribute('role', 'group');
    if (!box.getAttribute('aria-label') && !box.querySelector(':scope > caption')) {
      const what = box.classList.contains('math-display') ? 'Equation' : box.tagName === 'TABLE' ? 'Table' : (box.dataset.what ?? 'Wide content');
      box.setAttribute('aria-label', `${what}, scrolls sideways`);
      box.dataset.labelled = 'auto';
    }
  } else {
    delete box.dataset.overflows;
    box.removeAttribute('tabindex');
    if (box.dataset.labelled === 'auto') {
      box.removeAttribute('aria-label');
      if (box.tagName === 'DIV') box.removeAttribute('role');
      delete box.dataset.labelled;
    }
  }
}

/** Watch every scroller under `root` (also those a cell draws later) and keep its cue true to its width. */
export function useScrollCues(root: RefObject<HTMLElement | null>, watch: unknown): void {
  useEffect(() => {
    const el = root.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const sizes = new ResizeObserver((entries) =>
      entries.forEach((e) => {
        const box = e.target.closest<HTMLElement>(SCROLLERS);
        if (box) markOverflow(box);
      }),
    );
    // A box is measured only in the ResizeObserver's callback, which runs once layout is
    // done: its first report comes when the box is first laid out, and again whenever the
    // box or its content changes size. Measuring here instead would force a layout of the
    // whole page at every frame a cell draws, sections far from the screen included.
    const seen = new WeakSet<Element>();
    const scan = () =>
      el.querySelectorAll<HTMLElement>(SCROLLERS).forEach((box) => {
        if (seen.has(box)) return;
        seen.add(box);
        sizes.observe(box);
        // The content can widen while the box keeps its width (a token strip filling in).
        if (box.firstElementChild) sizes.observe(box.firstElementChild);
      });
    scan();
    // Cells draw later (and charts redraw often): look for new boxes at most once a frame.
    let frame = 0;
    const added = new MutationObserver(() => {
      frame ||= requestAnimationFrame(() => {
        frame = 0;
        scan();
      });
    });
    added.observe(el, { childList: true, subtree: true });
    return () => {
      cancelAnimationFrame(frame);
      sizes.disconnect();
      added.disconnect();
    };
  }, [root, watch]);
}
