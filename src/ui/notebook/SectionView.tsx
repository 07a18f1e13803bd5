/** One section: its prose with the live cells placed where the Markdown says. */
import { useEffect, useRef, useState } from 'react';
import type { Section } from '../../lesson/sections.ts';
import { loadCells } from '../cells/index.ts';
import type { CellDef } from '../cells/types.ts';
import { NarrationPlayers } from '../narration/NarrationPlayer.tsx';
import { Cell } from './Cell.tsx';

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
}

export function SectionView({ section, seed, rerun, runAll, autoRun, onRan, autoPlayNarration = false }: SectionViewProps) {
  const ref = useRef<HTMLElement>(null);
  const [visible, setVisible] = useState(autoRun);
  const [cells, setCells] = useState<Record<string, CellDef> | { error: string } | null>(null);

  // Load this section's cells (and with them tfjs or Plotly) only once it nears the screen.
  useEffect(() => {
    if (visible || runAll > 0) return;
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return setVisible(true);
    const io = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && setVisible(true), { rootMargin: '400px' });
    io.observe(el);
    return () => io.disconnect();
  }, [visible, runAll]);

  const wanted = visible || runAll > 0;
  useEffect(() => {
    if (!wanted || section.cells.length === 0) return;
    let live = true;
    loadCells(section.id).then(
      (c) => live && setCells(c),
      (e: unknown) => live && setCells({ error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [wanted, section]);

  const onCellRan = (cellId: string) => onRan(`${section.id}/${cellId}`);

  return (
    <section ref={ref} id={section.id} className="lesson-section" aria-labelledby={`${section.id}-title`} data-section={section.id}>
      <h2 id={`${section.id}-title`}>
        <span className="section-number">{section.index}.</span> {section.title}
      </h2>
      <NarrationPlayers section={section.id} autoPlay={autoPlayNarration} />
      {section.parts.map((part, i) => {
        if ('html' in part) return <div key={i} className="prose" dangerouslySetInnerHTML={{ __html: part.html }} />;
        if (cells === null) return <p key={i} className="cell-loading" role="status">Loading cell…</p>;
        if ('error' in cells) return <p key={i} className="error" role="alert">Could not load this section's cells: {String(cells.error)}</p>;
        const def = cells[part.cell] as CellDef | undefined;
        if (!def) return <p key={i} className="error" role="alert">Missing cell "{part.cell}".</p>;
        const signal = runAll > 0 ? runAll + 1 : autoRun || def.live || rerun.has(`${section.id}/${part.cell}`) ? 1 : 0;
        return <Cell key={part.cell} id={part.cell} def={def} seed={seed} runSignal={signal} showCodeByDefault={false} onRan={onCellRan} />;
      })}
    </section>
  );
}
