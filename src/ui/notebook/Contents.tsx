/**
 * The table of contents, with each section's cells run (or exercises solved). Beside the
 * lesson on a wide screen; on a narrow one, folded behind a "Contents" button so the
 * first screen shows the lesson.
 */
import { useState } from 'react';
import type { Section } from '../../lesson/sections.ts';

export interface ContentsProps {
  readonly sections: readonly Section[];
  readonly current: string;
  readonly done: (section: Pick<Section, 'id' | 'cells'>) => number;
  readonly onGo: (section: string) => void;
}

export function Contents({ sections, current, done, onGo }: ContentsProps) {
  const [open, setOpen] = useState(false);
  const here = sections.find((s) => s.id === current);
  return (
    <nav className="toc" aria-label="Sections" data-open={open || undefined}>
      <button type="button" className="toc-toggle" aria-expanded={open} aria-controls="toc-list" onClick={() => setOpen((o) => !o)}>
        Contents{here ? `: ${here.index}. ${here.title}` : ''}
      </button>
      <ol id="toc-list">
        {sections.map((s) => {
          const n = done(s);
          const complete = s.cells.length > 0 && n === s.cells.length;
          return (
            <li key={s.id} className={complete ? 'complete' : undefined}>
              <a
                href={`?section=${s.id}`}
                aria-current={current === s.id ? 'location' : undefined}
                onClick={(e) => {
                  e.preventDefault();
                  setOpen(false);
                  onGo(s.id);
                }}
              >
                <span className="toc-title">
                  {s.index}. {s.title}
                </span>
                {s.cells.length > 0 && (
                  <span
                    className="toc-progress"
                    aria-label={s.id === 'exercises' ? `${n} of ${s.cells.length} exercises solved` : `${n} of ${s.cells.length} cells run`}
                  >
                    {complete ? '✓' : `${n}/${s.cells.length}`}
                  </span>
                )}
              </a>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
