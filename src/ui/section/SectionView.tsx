/**
 * One section: its prose with the live cells placed where the Markdown says. On the page
 * it is one long column; in projector mode it is a deck of slides (presenter/slides.ts),
 * every slide mounted and all but the current one hidden, so cells keep their state and
 * their runs as the instructor moves back and forth.
 */
import { startTransition, useEffect, useRef, useState, type ReactNode } from 'react';
import type { Section } from '../../lesson/sections.ts';
import { loadCells } from '../cells/index.ts';
import type { CellDef } from '../cells/types.ts';
import { NarrationPlayers } from '../narration/NarrationPlayer.tsx';
import type { Slide } from '../presenter/slides.ts';
import { Cell } from './Cell.tsx';
import { enqueueDraw } from '../plot/draw-queue.ts';
import { useScrollCues } from '../figures/use-scroll-cues.ts';
import { errorMessage } from '../../core/error-message.ts';

export interface SectionViewProps {
  readonly section: Section;
  readonly seed: number;
  /** Cells run before the page loaded ("section/cell"): re-run once the section is on screen. A snapshot, fixed at load. */
  readonly rerun: ReadonlySet<string>;
  /** Bumped by "Run all". */
  readonly runAll: number;
  /** Projector mode: run every cell as soon as the section shows. */
  readonly autoRun: boolean;
  readonly onRan: (key: string) => void;
  /** Projector mode with auto-play on: start the section's narration when it opens. */
  readonly autoPlayNarration?: boolean;
  /** Projector mode: the section as slides, and which one shows. */
  readonly slides?: { readonly plan: readonly Slide[]; readonly current: number };
  /** The section's cells, once loaded (projector mode titles its cell slides with them). */
  readonly onCells?: (cells: Record<string, CellDef>) => void;
}

type Cells = Record<string, CellDef> | { error: string } | null;

export function SectionView({ section, seed, rerun, runAll, autoRun, onRan, autoPlayNarration = false, slides, onCells }: SectionViewProps) {
  const ref = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState(autoRun);
  const [cells, setCells] = useState<Cells>(null);
  useScrollCues(ref, cells);

  // Load this section's cells (and with them tfjs or Plotly) only once it is about to be read.
  useEffect(() => {
    if (visible || runAll > 0) return;
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return setVisible(true);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: '200px 0px' });
    io.observe(el);
    return () => io.disconnect();
  }, [visible, runAll]);

  const wanted = visible || runAll > 0;
  useEffect(() => {
    if (!wanted || section.cells.length === 0) return;
    let live = true;
    let cancelMount = () => {};
    loadCells(section.id).then(
      (c) => {
        if (!live) return;
        // Run all loads every section at once. Each section's cells mount in a frame of their
        // own (the charts' queue), in a transition, so React renders them in slices and no
        // commit holds every section's new cells.
        cancelMount = enqueueDraw(() => {
          if (live) startTransition(() => setCells(c));
        });
        onCells?.(c);
      },
      (e: unknown) => live && setCells({ error: errorMessage(e) }),
    );
    return () => {
      live = false;
      cancelMount();
    };
  }, [wanted, section, onCells]);

  const onCellRan = (cellId: string) => onRan(`${section.id}/${cellId}`);

  const cell = (id: string, key: string | number): ReactNode => {
    if (cells === null)
      return (
        <p key={key} className="cell-loading" role="status">
          Loading cell…
        </p>
      );
    if ('error' in cells)
      return (
        <p key={key} className="error" role="alert">
          Could not load this section's cells: {String(cells.error)}
        </p>
      );
    const def = cells[id] as CellDef | undefined;
    if (!def)
      return (
        <p key={key} className="error" role="alert">
          Missing cell "{id}".
        </p>
      );
    const signal = runAll > 0 ? runAll + 1 : autoRun || def.live || rerun.has(`${section.id}/${id}`) ? 1 : 0;
    return (
      <Cell key={id} id={id} def={def} seed={seed} runSignal={signal} runWhenSeen={def.auto === true} showCodeByDefault={false} onRan={onCellRan} />
    );
  };

  const title = (
    <h2 id={`${section.id}-title`} hidden={slides !== undefined && slides.current !== 0}>
      <span className="section-number">{section.index}.</span> {section.title}
    </h2>
  );

  return (
    <section ref={ref} id={section.id} className="lesson-section" aria-labelledby={`${section.id}-title`} data-section={section.id}>
      {title}
      {slides ? (
        slides.plan.map((s, i) => (
          <div key={i} className="slide" data-slide={i} hidden={i !== slides.current}>
            {i === 0 && <NarrationPlayers section={section.id} autoPlay={autoPlayNarration} />}
            {s.continued && (
              <p className="slide-continued" aria-hidden="true">
                {s.heading ?? section.title} (continued)
              </p>
            )}
            {s.pieces.map((piece, k) =>
              piece.kind === 'prose' ? (
                <div key={k} className="prose" data-part={piece.part} dangerouslySetInnerHTML={{ __html: piece.html }} />
              ) : (
                cell(piece.cell, k)
              ),
            )}
          </div>
        ))
      ) : (
        <>
          <NarrationPlayers section={section.id} autoPlay={autoPlayNarration} />
          {section.parts.map((part, i) =>
            'html' in part ? <div key={i} className="prose" data-part={i} dangerouslySetInnerHTML={{ __html: part.html }} /> : cell(part.cell, i),
          )}
        </>
      )}
    </section>
  );
}
