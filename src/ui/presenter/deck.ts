/**
 * The whole lesson as one deck: each section's slides (planned once and cached), a place
 * in it, and how a step moves that place: through a section's slides, then on into the
 * next section (or back to the previous one's last slide).
 */
import { SECTIONS, sectionById, type Section } from '../../lesson/sections.ts';
import { planSlides, slideAt, type Anchor, type Slide } from './slides.ts';

export interface Place {
  readonly section: string;
  /** 0-based slide within the section. */
  readonly slide: number;
}

const plans = new Map<string, readonly Slide[]>();

export function slidesOf(section: Section): readonly Slide[] {
  let plan = plans.get(section.id);
  if (!plan) plans.set(section.id, (plan = planSlides(section)));
  return plan;
}

const sectionAt = (id: string): Section => sectionById(id) ?? SECTIONS[0];

/** Where projector mode opens: the URL's slide if it has one, else the slide that shows `anchor`. */
export function startPlace(anchor: Anchor, slide?: number): Place {
  const section = sectionAt(anchor.section);
  const count = slidesOf(section).length;
  return { section: section.id, slide: slide === undefined ? slideAt(slidesOf(section), anchor) : Math.min(Math.max(0, slide), count - 1) };
}

/** One slide forward (by = 1) or back (by = -1), crossing into the next or previous section at the ends. */
export function step(place: Place, by: 1 | -1, sections: readonly Section[] = SECTIONS, slides: (s: Section) => readonly Slide[] = slidesOf): Place {
  const i = Math.max(
    0,
    sections.findIndex((s) => s.id === place.section),
  );
  const count = slides(sections[i]).length;
  const next = place.slide + by;
  if (next >= 0 && next < count) return { section: place.section, slide: next };
  const j = i + by;
  if (j < 0 || j >= sections.length) return place; // the lesson's first or last slide
  return { section: sections[j].id, slide: by === 1 ? 0 : slides(sections[j]).length - 1 };
}

/** The slide's position in the whole lesson, and the lesson's number of slides. */
export function lessonPosition(place: Place, sections: readonly Section[] = SECTIONS): { at: number; total: number } {
  let at = 0;
  let total = 0;
  for (const s of sections) {
    if (s.id === place.section) at = total + place.slide;
    total += slidesOf(s).length;
  }
  return { at, total };
}
