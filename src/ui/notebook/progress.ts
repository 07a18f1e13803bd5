/**
 * What survives a reload: seed, current section and cells run (localStorage), and what a shared link carries: section and seed
 * (the URL). Everything read back is validated; bad values fall back to the
 * defaults with a message, never a crash.
 */
import { parseSeed } from '../../core/seed.ts';
import { SECTIONS, sectionById } from '../../lesson/sections.ts';

export const DEFAULT_SEED = 42;
const STORAGE_KEY = 'unmask.progress.v1';

export interface Progress {
  readonly seed: number;
  readonly section: string;
  /** "section/cell" keys of cells run at least once. (Exercises keep their own state: ui/exercises/store.ts.) */
  readonly ran: readonly string[];
}

export const INITIAL: Progress = Object.freeze({ seed: DEFAULT_SEED, section: SECTIONS[0].id, ran: [] });

function strings(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string').slice(0, 500) : [];
}

export function loadProgress(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Progress {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return INITIAL;
    const v = JSON.parse(raw) as Record<string, unknown>;
    return {
      seed: parseSeed(v.seed) ?? DEFAULT_SEED,
      section: typeof v.section === 'string' && sectionById(v.section) ? v.section : INITIAL.section,
      ran: strings(v.ran),
    };
  } catch {
    return INITIAL; // unreadable storage or broken JSON: start fresh rather than fail
  }
}

export function saveProgress(p: Progress, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(STORAGE_KEY, JSON.stringify(p));
  } catch {
    // Private mode or a full quota: progress just won't persist.
  }
}

export interface UrlState {
  readonly section?: string;
  readonly seed?: number;
  readonly present: boolean;
  /** Projector mode's slide within the section, 0-based (the URL counts from 1). */
  readonly slide?: number;
  readonly notes: boolean;
  /** Problems found in the URL, to show the learner. */
  readonly warnings: string[];
}

export function parseUrl(search: string): UrlState {
  const q = new URLSearchParams(search);
  const warnings: string[] = [];
  let section: string | undefined;
  let seed: number | undefined;
  const s = q.get('section');
  if (s !== null) {
    if (sectionById(s)) section = s;
    else warnings.push(`There is no section "${s}"; starting at the beginning.`);
  }
  const rawSeed = q.get('seed');
  if (rawSeed !== null) {
    const parsed = parseSeed(rawSeed);
    if (parsed === null) warnings.push(`Seed "${rawSeed}" is not a whole number from 0 to 4294967295; using ${DEFAULT_SEED}.`);
    else seed = parsed;
  }
  let slide: number | undefined;
  const rawSlide = q.get('slide');
  if (rawSlide !== null) {
    if (/^\d{1,3}$/.test(rawSlide) && Number(rawSlide) >= 1) slide = Number(rawSlide) - 1;
    else warnings.push(`Slide "${rawSlide}" is not a slide number; starting at the section's first slide.`);
  }
  return { section, seed, present: q.has('present'), slide, notes: q.has('notes'), warnings };
}

/**
 * The shareable URL for a section and seed, keeping any other parameters (e.g. ?backend=).
 * In projector mode it says so, with the slide (counted from 1); out of it, neither.
 */
export function shareUrl(href: string, section: string, seed: number, slide: number | null = null): string {
  const url = new URL(href);
  url.searchParams.set('section', section);
  url.searchParams.set('seed', String(seed));
  if (slide === null) {
    url.searchParams.delete('present');
    url.searchParams.delete('slide');
  } else {
    url.searchParams.set('present', '');
    url.searchParams.set('slide', String(slide + 1));
  }
  // "present=" reads as plainly as "present": keep the short form.
  return url.toString().replace(/([?&])present=(&|$)/, '$1present$2');
}
