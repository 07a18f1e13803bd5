/**
 * A section as screen-sized slides, for projector mode. A section is prose with live
 * cells placed in it; its slides follow the prose's own structure:
 * - a heading starts a slide;
 * - a cell (with its figure) is a slide of its own;
 * - prose longer than a screen is cut between paragraphs (a long list between items),
 *   never inside one.
 * "Longer than a screen" is a weight budget: characters of text, with headings, display
 * equations, table rows and list items counted as the lines they take. The budget is
 * what fits under 26 px projector type at about 70 characters a line.
 *
 * Every slide knows where it starts in the notebook (its anchor), so leaving projector
 * mode lands on the same place, and entering it from the page starts on the slide the
 * reader was at.
 */
import type { Section } from '../../lesson/sections.ts';

/** Characters (or their equivalent) a slide holds: about 14 lines of 26 px type at ~70 characters. */
export const SLIDE_BUDGET = 950;
/** A cut that would leave less than this on a slide of its own keeps it with the slide before. */
const SHORT_TAIL = 220;

export type BlockKind = 'heading' | 'math' | 'list' | 'table' | 'other';

export interface Block {
  readonly html: string;
  readonly text: string;
  readonly kind: BlockKind;
  readonly weight: number;
  /** Index of the top-level element in the part's HTML this block comes from (a long list gives several blocks). */
  readonly source: number;
}

/** Where in the notebook a slide starts: a part of the section, and an element of a prose part. */
export interface Anchor {
  readonly section: string;
  readonly part: number;
  /** Top-level element within a prose part (0 for a cell). */
  readonly block: number;
}

export type SlidePiece =
  { readonly kind: 'prose'; readonly part: number; readonly html: string } | { readonly kind: 'cell'; readonly part: number; readonly cell: string };

export interface Slide {
  readonly pieces: readonly SlidePiece[];
  /** The cell this slide shows (the caller knows its title), or null for prose. */
  readonly cell: string | null;
  /** The heading the slide's prose sits under, or null: the section's title. */
  readonly heading: string | null;
  /** The slide continues the prose of the one before. */
  readonly continued: boolean;
  readonly anchor: Anchor;
  /** The slide's first words, for the speaker notes' "next" line. */
  readonly preview: string;
}

const LIST_ITEM = 40;
const TABLE_ROW = 90;
const HEADING = 130;
const DISPLAY_MATH = 260;

function weigh(el: Element, text: string): { kind: BlockKind; weight: number } {
  const tag = el.tagName.toLowerCase();
  if (/^h[1-6]$/.test(tag)) return { kind: 'heading', weight: HEADING };
  if (el.classList.contains('math-display')) return { kind: 'math', weight: DISPLAY_MATH };
  if (tag === 'ul' || tag === 'ol') return { kind: 'list', weight: text.length + LIST_ITEM * el.children.length };
  if (tag === 'table') return { kind: 'table', weight: TABLE_ROW * el.querySelectorAll('tr').length };
  if (tag === 'details') return { kind: 'other', weight: 120 }; // shut until opened
  if (tag === 'pre') return { kind: 'other', weight: 70 * (text.split('\n').length + 1) };
  // Display math inside a paragraph, or several lines of it.
  return { kind: 'other', weight: text.length + DISPLAY_MATH * el.querySelectorAll('.katex-display').length };
}

const clean = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();

/** Text as a reader sees it: KaTeX's MathML copy (for screen readers) left out, so math is not read twice. */
function visibleText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('.katex-mathml').forEach((m) => m.remove());
  return clean(copy.textContent);
}

/** The top-level elements of a prose part, a list too long for one slide cut between its items. */
export function parseBlocks(html: string, budget = SLIDE_BUDGET): Block[] {
  const template = document.createElement('template');
  template.innerHTML = html;
  const blocks: Block[] = [];
  Array.from(template.content.children).forEach((el, source) => {
    const text = visibleText(el);
    const { kind, weight } = weigh(el, text);
    if (kind !== 'list' || weight <= budget || el.children.length < 2) {
      blocks.push({ html: el.outerHTML, text, kind, weight, source });
      return;
    }
    // A long list: several lists on consecutive slides, numbering carried on.
    const tag = el.tagName.toLowerCase();
    let items: Element[] = [];
    let load = 0;
    let first = 1;
    const flush = () => {
      if (items.length === 0) return;
      const start = tag === 'ol' && first > 1 ? ` start="${first}"` : '';
      const itemsText = items.map(visibleText).join(' ');
      blocks.push({ html: `<${tag}${start}>${items.map((i) => i.outerHTML).join('')}</${tag}>`, text: itemsText, kind, weight: load, source });
      first += items.length;
      items = [];
      load = 0;
    };
    for (const item of Array.from(el.children)) {
      const w = visibleText(item).length + LIST_ITEM;
      if (items.length > 0 && load + w > budget) flush();
      items.push(item);
      load += w;
    }
    flush();
  });
  return blocks;
}

interface Draft {
  pieces: SlidePiece[];
  heading: string | null;
  continued: boolean;
  anchor: Anchor;
  weight: number;
  texts: string[];
}

/**
 * The section's slides, in order. `titleWeight` is what the first slide's section title
 * and narration control take.
 */
export function planSlides(section: Pick<Section, 'id' | 'parts'>, budget = SLIDE_BUDGET): Slide[] {
  const slides: Draft[] = [];
  const open = (anchor: Anchor, heading: string | null, continued: boolean): Draft => {
    const d: Draft = { pieces: [], heading, continued, anchor, weight: 0, texts: [] };
    slides.push(d);
    return d;
  };
  // The first slide carries the section's title (and narration control).
  let current: Draft = open({ section: section.id, part: 0, block: 0 }, null, false);
  current.weight = HEADING * 1.5;
  let lastHeading: string | null = null;

  section.parts.forEach((part, p) => {
    if ('cell' in part) {
      // A cell fills a slide of its own. An empty slide waiting for content takes it, and so
      // does a slide holding only a short lead-in (a heading, a sentence): no slide of one line.
      const leadIn = current !== slides[0] && current.weight <= SHORT_TAIL;
      const slide = current.pieces.length === 0 || leadIn ? current : open({ section: section.id, part: p, block: 0 }, null, false);
      if (slide.pieces.length === 0 && slide !== slides[0])
        Object.assign(slide, { anchor: { section: section.id, part: p, block: 0 }, continued: false, heading: null });
      slide.pieces.push({ kind: 'cell', part: p, cell: part.cell });
      // Whatever follows starts a new slide, under the same heading.
      current = open({ section: section.id, part: p + 1, block: 0 }, lastHeading, true);
      return;
    }
    const blocks = parseBlocks(part.html, budget);
    // Blocks that go on the current slide from this part, as one prose piece.
    let run: Block[] = [];
    const flushRun = () => {
      if (run.length > 0) current.pieces.push({ kind: 'prose', part: p, html: run.map((b) => b.html).join('\n') });
      run = [];
    };
    blocks.forEach((b, i) => {
      const fresh = current.pieces.length === 0 && run.length === 0;
      const tooFull = !fresh && current.weight + b.weight > budget;
      const remaining = blocks.slice(i).reduce((s, x) => s + (x.kind === 'heading' ? Infinity : x.weight), 0);
      // Keep a short tail with what came before, rather than a slide of one line.
      const keepTail = tooFull && b.kind !== 'heading' && remaining <= SHORT_TAIL && current.weight + remaining <= budget * 1.3;
      // Never leave a heading alone at the bottom of a slide: what it heads comes with it.
      const onlyHeading = current.texts.length === 1 && current.pieces.length === 0 && run.length === 1 && run[0].kind === 'heading';
      if ((b.kind === 'heading' && !fresh) || (tooFull && !keepTail && !onlyHeading)) {
        flushRun();
        current = open({ section: section.id, part: p, block: b.source }, b.kind === 'heading' ? b.text : lastHeading, b.kind !== 'heading');
      } else if (fresh) {
        current.anchor = { section: section.id, part: p, block: b.source };
        if (b.kind === 'heading') {
          current.heading = b.text;
          current.continued = false;
        }
      }
      if (b.kind === 'heading') lastHeading = b.text;
      run.push(b);
      current.weight += b.weight;
      current.texts.push(b.text);
    });
    flushRun();
  });

  return slides
    .filter((d, i) => d.pieces.length > 0 || i === 0)
    .map((d, i) => {
      const cellPiece = d.pieces.find((x) => x.kind === 'cell');
      const cell = i > 0 && cellPiece?.kind === 'cell' ? cellPiece.cell : null;
      return {
        pieces: d.pieces,
        cell,
        heading: d.heading,
        continued: !cell && d.continued,
        anchor: d.anchor,
        preview: firstWords(d.texts.filter((t, k) => !(k === 0 && t === d.heading)).join(' '), 200),
      };
    });
}

/** About `max` characters of `text`, cut at a word. */
export function firstWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf(' ', max);
  return `${text.slice(0, cut > max / 2 ? cut : max)}…`;
}

/** The slide that shows `anchor`: the last one starting at or before it. */
export function slideAt(slides: readonly Slide[], anchor: Pick<Anchor, 'part' | 'block'>): number {
  let found = 0;
  slides.forEach((s, i) => {
    const a = s.anchor;
    if (a.part < anchor.part || (a.part === anchor.part && a.block <= anchor.block)) found = i;
  });
  return found;
}
