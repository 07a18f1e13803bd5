/**
 * Places in the notebook that projector mode and the page agree on: a part of a section
 * (a cell, or a prose part) and, in prose, one of its top-level elements. Leaving
 * projector mode scrolls the page to its slide's anchor; entering it starts on the slide
 * holding the element at the top of the screen.
 */
import { sectionById } from '../../lesson/sections.ts';
import type { Anchor } from '../presenter/slides.ts';

/** A value quoted for an attribute selector (ids and cell ids are plain words, but say so). */
const quote = (v: string) => `"${v.replace(/["\\]/g, '\\$&')}"`;
const byId = (root: ParentNode, id: string) => root.querySelector(`[id=${quote(id)}]`);

/** The element on the page where `anchor` is, or null while it is not drawn (its section's cells still loading). */
export function findAnchor(anchor: Anchor, root: ParentNode = document): Element | null {
  const sectionEl = byId(root, anchor.section);
  const part = sectionById(anchor.section)?.parts[anchor.part];
  if (!sectionEl || !part) return sectionEl;
  // The first anchor of a section is its title, not its first paragraph.
  if (anchor.part === 0 && anchor.block === 0) return sectionEl;
  if ('cell' in part) return sectionEl.querySelector(`[data-cell=${quote(part.cell)}]`);
  return sectionEl.querySelector(`[data-part="${anchor.part}"]`)?.children[anchor.block] ?? null;
}

/** Where to scroll for `anchor` now: the place itself, or its section until the place is drawn. */
export function anchorElement(anchor: Anchor, root: ParentNode = document): Element | null {
  return findAnchor(anchor, root) ?? byId(root, anchor.section);
}

/** The place at the top of the screen in `section` (below a header `inset` pixels tall). */
export function anchorAtTop(section: string, inset: number, root: ParentNode = document): Anchor {
  const sectionEl = byId(root, section);
  const parts = sectionById(section)?.parts ?? [];
  const first: Anchor = { section, part: 0, block: 0 };
  if (!sectionEl) return first;
  for (let p = 0; p < parts.length; p++) {
    const part = parts[p];
    const candidates: [Element | null, number][] =
      'cell' in part
        ? [[sectionEl.querySelector(`[data-cell=${quote(part.cell)}]`), 0]]
        : Array.from(sectionEl.querySelector(`[data-part="${p}"]`)?.children ?? [], (el, b) => [el, b]);
    // The first element not yet scrolled up under the header is where the reader is.
    for (const [el, block] of candidates) if (el && el.getBoundingClientRect().bottom > inset) return { section, part: p, block };
  }
  return first;
}
