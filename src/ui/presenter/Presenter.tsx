/**
 * Projector mode, for instructors: the lesson as slides in large type (presenter/slides.ts).
 * PageDown/→/Space step through a section's slides, then on to the next section; a slide
 * taller than the screen scrolls first. B blanks, F goes full screen, N opens speaker
 * notes in a second window, ? lists the keys, Esc leaves at the same place in the lesson.
 * Cells run when their section opens, so the room never waits on a Run button.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { SECTIONS, sectionById } from '../../lesson/sections.ts';
import type { CellDef } from '../cells/types.ts';
import { SectionView } from '../section/SectionView.tsx';
import { ChartTextSizeProvider, PROJECTOR_CHART_TEXT_PX } from '../plot/text-size.tsx';
import { openProjectorChannel, type NextSlide, type ProjectorChannel } from './channel.ts';
import { lessonPosition, slidesOf, startPlace, step, type Place } from './deck.ts';
import type { Anchor, Slide } from './slides.ts';
import { usePresenterKeys } from './use-presenter-keys.ts';

export interface PresenterProps {
  /** The section the notebook is at (kept in step with the deck through onPlace). */
  readonly section: string;
  /** Where to open: the slide holding this anchor, or the URL's slide. */
  readonly start: { readonly anchor: Anchor; readonly slide?: number };
  readonly seed: number;
  readonly onPlace: (section: string, slide: number) => void;
  readonly onRan: (key: string) => void;
  readonly onKeys: () => void;
  /** Leave projector mode; the page scrolls to this place. */
  readonly onExit: (at: Anchor) => void;
}

const NO_RERUN: ReadonlySet<string> = new Set();
const AUTO_NARRATE = 'unmask.autoNarrate';

function slideTitle(sectionTitle: string, slide: Slide, index: number, cells: Record<string, CellDef> | undefined): string {
  if (slide.cell) return cells?.[slide.cell]?.title ?? 'Live cell';
  if (index === 0) return sectionTitle;
  const heading = slide.heading ?? sectionTitle;
  return slide.continued ? `${heading} (continued)` : heading;
}

export function Presenter({ section, start, seed, onPlace, onRan, onKeys, onExit }: PresenterProps) {
  const [place, setPlace] = useState<Place>(() => startPlace(start.anchor, start.slide));
  const [blank, setBlank] = useState(false);
  const [cellDefs, setCellDefs] = useState<Record<string, Record<string, CellDef>>>({});
  const [autoNarrate, setAutoNarrate] = useState(() => {
    try {
      return localStorage.getItem(AUTO_NARRATE) === 'on';
    } catch {
      return false;
    }
  });
  const [clock, setClock] = useState(() => ({ startedAt: Date.now(), slideSince: Date.now() }));

  const current = sectionById(place.section) ?? SECTIONS[0];
  const plan = slidesOf(current);
  const slide = plan[Math.min(place.slide, plan.length - 1)];
  const { at, total } = lessonPosition(place);

  // A link to a section (in prose or a cell) changes the notebook's section: open its first slide.
  const lastSection = useRef(section);
  useEffect(() => {
    if (section === lastSection.current) return;
    lastSection.current = section;
    if (section !== place.section) setPlace({ section, slide: 0 });
  }, [section, place.section]);

  // Each new slide: the notebook hears of it (URL, contents), its clock starts, and it shows from the top.
  const placeChanged = useRef(onPlace);
  useEffect(() => {
    placeChanged.current = onPlace;
  });
  useEffect(() => {
    lastSection.current = place.section;
    placeChanged.current(place.section, place.slide);
    setClock((c) => ({ ...c, slideSince: Date.now() }));
    window.scrollTo({ top: 0 });
  }, [place]);

  const go = useCallback((next: Place) => setPlace((p) => (p.section === next.section && p.slide === next.slide ? p : next)), []);
  /** Forward: the rest of a slide taller than the screen first, then the next slide. */
  const forward = () => {
    const page = document.documentElement;
    if (window.scrollY + window.innerHeight < page.scrollHeight - 2) {
      window.scrollBy({ top: Math.round(window.innerHeight * 0.8) });
      return;
    }
    go(step(place, 1));
  };
  const back = () => {
    if (window.scrollY > 2) {
      window.scrollBy({ top: -Math.round(window.innerHeight * 0.8) });
      return;
    }
    go(step(place, -1));
  };

  usePresenterKeys({
    forward,
    back,
    first: () => go({ section: place.section, slide: 0 }),
    last: () => go({ section: place.section, slide: plan.length - 1 }),
    blank: () => setBlank((b) => !b),
    fullscreen: () => {
      if (document.fullscreenElement) void document.exitFullscreen();
      else void document.documentElement.requestFullscreen?.().catch(() => undefined);
    },
    notes: openNotes,
    escape: () => {
      if (blank) setBlank(false);
      else if (!document.fullscreenElement) onExit(slide.anchor);
    },
  });

  // Tell the speaker-notes window where the talk is.
  const channel = useRef<ProjectorChannel | null>(null);
  useEffect(() => {
    const ch = openProjectorChannel(() => setClock({ startedAt: Date.now(), slideSince: Date.now() }));
    channel.current = ch;
    return () => ch.close();
  }, []);
  useEffect(() => {
    const nextPlace = step(place, 1);
    let next: NextSlide | null = null;
    if (nextPlace !== place) {
      const s = sectionById(nextPlace.section)!;
      const n = slidesOf(s)[nextPlace.slide];
      next = {
        where: s.id === current.id ? 'Next slide' : `Next section: ${s.index}. ${s.title}`,
        title: slideTitle(s.title, n, nextPlace.slide, cellDefs[s.id]),
        preview: n.cell ? 'A live cell.' : n.preview,
      };
    }
    channel.current?.post({
      section: current.id,
      sectionIndex: current.index,
      sectionTitle: current.title,
      slide: place.slide,
      slides: plan.length,
      title: slideTitle(current.title, slide, place.slide, cellDefs[current.id]),
      next,
      ...clock,
    });
  }, [place, current, plan, slide, cellDefs, clock]);

  const onCells = useCallback(
    (defs: Record<string, CellDef>) => setCellDefs((all) => (all[current.id] === defs ? all : { ...all, [current.id]: defs })),
    [current.id],
  );
  const counter = `Section ${current.index} · ${place.slide + 1} of ${plan.length}`;

  return (
    <div className="presenter" data-blank={blank || undefined}>
      {blank ? (
        <div className="blank-screen" role="status" aria-label="Screen blanked. Press B to show the lesson." />
      ) : (
        <>
          <div className="presenter-bar" role="toolbar" aria-label="Projector controls">
            <span className="slide-counter" data-testid="slide-counter" aria-live="polite">
              {counter}
            </span>
            <span className="slide-section">{current.title}</span>
            <progress
              className="deck-progress"
              max={total}
              value={at + 1}
              aria-label="Position in the lesson"
              aria-valuetext={`slide ${at + 1} of ${total}`}
            />
            <button type="button" onClick={() => go(step(place, -1))} disabled={at === 0} aria-keyshortcuts="ArrowLeft PageUp">
              ← Previous
            </button>
            <button type="button" onClick={() => go(step(place, 1))} disabled={at === total - 1} aria-keyshortcuts="ArrowRight PageDown">
              Next →
            </button>
            <button type="button" onClick={openNotes} aria-keyshortcuts="N">
              Speaker notes
            </button>
            <button type="button" onClick={onKeys} aria-keyshortcuts="?" aria-haspopup="dialog">
              Keys
            </button>
            <button type="button" onClick={() => onExit(slide.anchor)} aria-keyshortcuts="Escape">
              Leave projector mode
            </button>
            <label className="inline">
              <input
                type="checkbox"
                checked={autoNarrate}
                onChange={(e) => {
                  setAutoNarrate(e.target.checked);
                  try {
                    localStorage.setItem(AUTO_NARRATE, e.target.checked ? 'on' : 'off');
                  } catch {
                    // not remembered; still applies now
                  }
                }}
              />{' '}
              Auto-play narration
            </label>
          </div>
          <main className="lesson presenter-slide">
            <ChartTextSizeProvider px={PROJECTOR_CHART_TEXT_PX}>
              <SectionView
                key={current.id}
                section={current}
                seed={seed}
                rerun={NO_RERUN}
                runAll={0}
                autoRun
                onRan={onRan}
                autoPlayNarration={autoNarrate}
                slides={{ plan, current: Math.min(place.slide, plan.length - 1) }}
                onCells={onCells}
              />
            </ChartTextSizeProvider>
          </main>
        </>
      )}
    </div>
  );
}

function openNotes(): void {
  const url = new URL(location.href);
  url.searchParams.delete('present');
  url.searchParams.delete('slide');
  url.searchParams.set('notes', '');
  window.open(url.toString(), 'unmask-speaker-notes', 'width=760,height=900');
}
