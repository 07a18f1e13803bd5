/**
 * The glossary: a modal search over every term the lesson uses, each with a
 * definition and a link to the section that explains it. No network.
 *
 * Keys: type to filter; ↓/↑ move through the results' links (↑ from the
 * first goes back to the search box); Enter follows a link (in the search
 * box, the first one); Esc closes, and focus returns to where it was.
 */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { sectionById } from '../../lesson/sections.ts';
import { searchGlossary } from './search.ts';
import './glossary.css';

export interface GlossaryDialogProps {
  readonly onClose: () => void;
}

export default function GlossaryDialog({ onClose }: GlossaryDialogProps) {
  const [query, setQuery] = useState('');
  const results = useMemo(() => searchGlossary(query), [query]);
  const dialog = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLInputElement>(null);

  // Focus the search box on open; give focus back to whatever had it on close.
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    input.current?.focus();
    return () => before?.focus({ preventScroll: true });
  }, []);

  const links = () => Array.from(dialog.current?.querySelectorAll<HTMLAnchorElement>('.glossary-results a') ?? []);

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    // The dialog is modal: its keys never reach the page (projector mode moves slides on arrows and leaves on Esc).
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
      return;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      const all = links();
      const at = all.indexOf(document.activeElement as HTMLAnchorElement);
      const next = e.key === 'ArrowDown' ? Math.min(all.length - 1, at + 1) : at - 1;
      e.preventDefault();
      if (next < 0) input.current?.focus();
      else all[next]?.focus();
      return;
    }
    // Enter in the search box opens the best match, as in most search-as-you-type lists.
    if (e.key === 'Enter' && e.target === input.current) {
      e.preventDefault();
      links()[0]?.click();
      return;
    }
    if (e.key === 'Tab') trapTab(e);
  };

  /** Keep Tab inside the dialog. */
  const trapTab = (e: KeyboardEvent) => {
    const focusable = Array.from(dialog.current?.querySelectorAll<HTMLElement>('button, input, a[href]') ?? []);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first?.focus();
    }
  };

  return (
    <div className="glossary-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div ref={dialog} className="glossary" role="dialog" aria-modal="true" aria-labelledby="glossary-title" onKeyDown={onKeyDown}>
        <div className="glossary-head">
          <h2 id="glossary-title">Glossary</h2>
          <button type="button" className="quiet" onClick={onClose} aria-label="Close the glossary">
            ✕
          </button>
        </div>
        <label htmlFor="glossary-search">Search the lesson's terms</label>
        <input
          ref={input}
          id="glossary-search"
          type="search"
          autoComplete="off"
          spellCheck={false}
          value={query}
          aria-describedby="glossary-count glossary-keys"
          onChange={(e) => setQuery(e.target.value)}
        />
        <p id="glossary-keys" className="hint">
          ↓ and ↑ move through the results, Enter opens a section (the first from here), Esc closes.
        </p>
        <p id="glossary-count" className="glossary-count" role="status">
          {results.length === 0
            ? `No term matches "${query.trim()}". Try a shorter word.`
            : `${results.length} ${results.length === 1 ? 'term' : 'terms'}`}
        </p>
        <ul className="glossary-results" aria-label="Glossary terms">
          {results.map((entry) => {
            const section = sectionById(entry.section);
            return (
              <li key={entry.term}>
                <dfn className="glossary-term">{entry.term}</dfn>
                <p className="glossary-definition">{entry.definition}</p>
                {section && (
                  // Notebook.tsx turns this into in-page navigation; closing first lets focus settle before the scroll.
                  <a href={`?section=${section.id}`} data-section-link={section.id} onClick={onClose}>
                    Read more in section {section.index}: {section.title}
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
