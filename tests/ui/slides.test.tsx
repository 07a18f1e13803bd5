/** Projector mode's slides: where a section is cut, that nothing is lost, and how a step moves through the deck. */
import { describe, expect, it } from 'vitest';
import { compileSection } from '../../src/build/lesson-markdown.ts';
import { SECTIONS, type Section } from '../../src/lesson/sections.ts';
import { lessonPosition, startPlace, step } from '../../src/ui/presenter/deck.ts';
import { parseBlocks, planSlides, SLIDE_BUDGET, slideAt, type Slide } from '../../src/ui/presenter/slides.ts';

function section(id: string, markdown: string): Section {
  const compiled = compileSection(`# Title\n\n${markdown}`, `${id}.md`);
  return { ...compiled, id, index: 1, cells: compiled.parts.flatMap((p) => ('cell' in p ? [p.cell] : [])) };
}

const paragraph = (n: number, words = 60) => `Paragraph ${n}: ${'word '.repeat(words).trim()}.`;
/** What a slide shows, in a line: its cell, or its prose's top-level tags. */
function shape(slide: Slide): string {
  return slide.pieces
    .map((p) =>
      p.kind === 'cell'
        ? `cell:${p.cell}`
        : Array.from(new DOMParser().parseFromString(p.html, 'text/html').body.children, (c) => c.tagName.toLowerCase()).join('+'),
    )
    .join(' | ');
}

describe('planning slides', () => {
  it('starts a slide at each heading and gives each cell a slide of its own', () => {
    const s = section(
      'demo',
      `${paragraph(1, 20)}\n\n{{cell first}}\n\n${paragraph(2, 20)}\n\n## A heading\n\n${paragraph(3, 20)}\n\n{{cell second}}`,
    );
    const slides = planSlides(s);
    expect(slides.map(shape)).toEqual(['p', 'cell:first', 'p', 'h3+p', 'cell:second']);
    expect(slides.map((x) => x.cell)).toEqual([null, 'first', null, null, 'second']);
    expect(slides[3].heading).toBe('A heading');
    expect(slides[2].continued).toBe(true);
  });

  it('cuts long prose between paragraphs, never inside one, each slide within the budget', () => {
    const s = section('long', Array.from({ length: 12 }, (_, i) => paragraph(i + 1)).join('\n\n'));
    const slides = planSlides(s);
    expect(slides.length).toBeGreaterThan(3);
    const texts = slides.flatMap((x) => x.pieces.map((p) => (p.kind === 'prose' ? p.html : '')));
    for (let i = 1; i <= 12; i++) expect(texts.filter((t) => t.includes(`Paragraph ${i}:`))).toHaveLength(1);
    for (const slide of slides) {
      const weight = slide.pieces.reduce((w, p) => w + (p.kind === 'prose' ? parseBlocks(p.html).reduce((a, b) => a + b.weight, 0) : 0), 0);
      expect(weight).toBeLessThanOrEqual(SLIDE_BUDGET);
    }
    expect(slides.slice(1).every((x) => x.continued)).toBe(true);
  });

  it('cuts a long numbered list between items and carries the numbering on', () => {
    const items = Array.from({ length: 14 }, (_, i) => `${i + 1}. Item ${i + 1}: ${'detail '.repeat(18).trim()}.`).join('\n');
    const blocks = parseBlocks(
      section('list', items)
        .parts.map((p) => ('html' in p ? p.html : ''))
        .join(''),
    );
    expect(blocks.length).toBeGreaterThan(1);
    expect(blocks.every((b) => b.kind === 'list' && b.source === 0)).toBe(true);
    expect(blocks[0].html.startsWith('<ol>')).toBe(true);
    const second = new DOMParser().parseFromString(blocks[1].html, 'text/html').body.firstElementChild!;
    expect(Number(second.getAttribute('start'))).toBe(
      new DOMParser().parseFromString(blocks[0].html, 'text/html').body.firstElementChild!.children.length + 1,
    );
  });

  it('keeps a heading or a one-line lead-in with the cell it introduces, never alone', () => {
    const s = section('lead', `${paragraph(1, 120)}\n\n## Try it\n\n{{cell demo}}\n\n${paragraph(2, 20)}`);
    const slides = planSlides(s);
    expect(slides.map(shape)).toEqual(['p', 'h3 | cell:demo', 'p']);
    expect(slides[1].heading).toBe('Try it');
  });

  it('anchors each slide where it starts in the notebook, and finds the slide showing a place', () => {
    const s = section('anchors', `${paragraph(1, 20)}\n\n## B\n\n${paragraph(2, 20)}\n\n{{cell c}}\n\n${paragraph(3, 20)}`);
    const slides = planSlides(s);
    expect(slides.map((x) => [x.anchor.part, x.anchor.block])).toEqual([
      [0, 0],
      [0, 1],
      [1, 0],
      [2, 0],
    ]);
    expect(slideAt(slides, { part: 0, block: 2 })).toBe(1); // the paragraph under heading B
    expect(slideAt(slides, { part: 1, block: 0 })).toBe(2);
    expect(slideAt(slides, { part: 2, block: 0 })).toBe(3);
  });

  it('puts every part and every top-level element of every real section on exactly one slide, in order', () => {
    for (const s of SECTIONS) {
      const slides = planSlides(s);
      const shown: string[] = [];
      for (const slide of slides) for (const p of slide.pieces) shown.push(p.kind === 'cell' ? `cell:${p.cell}` : p.html);
      const expected: string[] = [];
      for (const part of s.parts) {
        if ('cell' in part) expected.push(`cell:${part.cell}`);
        else expected.push(...parseBlocks(part.html).map((b) => b.html));
      }
      // Prose pieces join a slide's blocks; split them back to compare.
      const flat = shown.flatMap((x) => (x.startsWith('cell:') ? [x] : parseBlocks(x).map((b) => b.html)));
      expect(flat, s.id).toEqual(expected);
      expect(slides[0].anchor).toEqual({ section: s.id, part: 0, block: 0 });
      expect(
        slides.filter((x) => x.pieces.length === 0),
        s.id,
      ).toHaveLength(0);
    }
  });
});

describe('moving through the deck', () => {
  const sections = SECTIONS.slice(0, 3);
  const counts: Record<string, number> = { [sections[0].id]: 3, [sections[1].id]: 2, [sections[2].id]: 4 };
  const slides = (s: Section) => Array.from({ length: counts[s.id] }) as Slide[];

  it('steps through a section slide by slide and leaves it only at its end, both ways', () => {
    let place = { section: sections[0].id, slide: 0 };
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) {
      seen.push(`${place.section}:${place.slide}`);
      place = step(place, 1, sections, slides);
    }
    expect(seen).toEqual([
      `${sections[0].id}:0`,
      `${sections[0].id}:1`,
      `${sections[0].id}:2`,
      `${sections[1].id}:0`,
      `${sections[1].id}:1`,
      `${sections[2].id}:0`,
      `${sections[2].id}:1`,
      `${sections[2].id}:2`,
      `${sections[2].id}:3`,
    ]);
    expect(step(place, 1, sections, slides)).toBe(place); // the last slide stays
    // Back from a section's first slide: the previous section's last.
    expect(step({ section: sections[1].id, slide: 0 }, -1, sections, slides)).toEqual({ section: sections[0].id, slide: 2 });
    const first = { section: sections[0].id, slide: 0 };
    expect(step(first, -1, sections, slides)).toBe(first);
  });

  it('opens on the URL slide (clamped) or the slide holding a place, and knows where that is in the lesson', () => {
    const math = SECTIONS.find((s) => s.id === 'math')!;
    expect(startPlace({ section: 'math', part: 0, block: 0 }, 999).slide).toBe(planSlides(math).length - 1);
    const cellPart = math.parts.findIndex((p) => 'cell' in p);
    const at = startPlace({ section: 'math', part: cellPart, block: 0 });
    expect(planSlides(math)[at.slide].cell).toBe((math.parts[cellPart] as { cell: string }).cell);
    const { at: index, total } = lessonPosition({ section: SECTIONS[1].id, slide: 1 });
    expect(index).toBe(planSlides(SECTIONS[0]).length + 1);
    expect(total).toBe(SECTIONS.reduce((n, s) => n + planSlides(s).length, 0));
  });
});
