/**
 * Projector mode, for instructors: one section per screen in large type.
 * ←/→ (also Space, PageUp/PageDown) move, B blanks the screen, F toggles
 * fullscreen, N opens speaker notes in a second window, Esc leaves.
 * Cells run on arrival, so the room never waits on a Run button.
 */
import { useEffect, useState } from 'react';
import { SECTIONS } from '../../lesson/sections.ts';
import { SectionView } from '../notebook/SectionView.tsx';
import { announceSection } from './channel.ts';

export interface PresenterProps {
  readonly section: string;
  readonly seed: number;
  readonly onSection: (id: string) => void;
  readonly onRan: (key: string) => void;
  readonly onExit: () => void;
}

const NO_RERUN: ReadonlySet<string> = new Set();

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export function Presenter({ section, seed, onSection, onRan, onExit }: PresenterProps) {
  const [blank, setBlank] = useState(false);
  const [autoNarrate, setAutoNarrate] = useState(() => {
    try {
      return localStorage.getItem('unmask.autoNarrate') === 'on';
    } catch {
      return false;
    }
  });
  const index = Math.max(0, SECTIONS.findIndex((s) => s.id === section));
  const current = SECTIONS[index];

  useEffect(() => announceSection(current.id), [current.id]);

  useEffect(() => {
    const move = (by: number) => {
      const next = SECTIONS[Math.min(SECTIONS.length - 1, Math.max(0, index + by))];
      if (next.id !== current.id) onSection(next.id);
      window.scrollTo({ top: 0 });
    };
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      // Buttons, links and disclosures keep Space for themselves; elsewhere it advances.
      if (e.key === ' ' && e.target instanceof HTMLElement && ['BUTTON', 'A', 'SUMMARY'].includes(e.target.tagName)) return;
      const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
      switch (key) {
        case 'ArrowRight':
        case 'PageDown':
        case ' ':
          move(e.shiftKey ? -1 : 1);
          break;
        case 'ArrowLeft':
        case 'PageUp':
          move(-1);
          break;
        case 'b':
          setBlank((b) => !b);
          break;
        case 'f':
          if (document.fullscreenElement) void document.exitFullscreen();
          else void document.documentElement.requestFullscreen?.().catch(() => undefined);
          break;
        case 'n':
          openNotes();
          break;
        case 'Escape':
          if (blank) setBlank(false);
          else if (!document.fullscreenElement) onExit();
          break;
        default:
          return;
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, current.id, blank, onSection, onExit]);

  return (
    <div className="presenter" data-blank={blank || undefined}>
      {blank ? (
        <div className="blank-screen" role="status" aria-label="Screen blanked. Press B to show the lesson." />
      ) : (
        <>
          <div className="presenter-bar" role="toolbar" aria-label="Projector controls">
            <span aria-live="polite">
              Section {index + 1} of {SECTIONS.length}
            </span>
            <button type="button" onClick={() => onSection(SECTIONS[Math.max(0, index - 1)].id)} disabled={index === 0} aria-keyshortcuts="ArrowLeft">
              ← Previous
            </button>
            <button type="button" onClick={() => onSection(SECTIONS[Math.min(SECTIONS.length - 1, index + 1)].id)} disabled={index === SECTIONS.length - 1} aria-keyshortcuts="ArrowRight">
              Next →
            </button>
            <button type="button" onClick={openNotes} aria-keyshortcuts="N">
              Speaker notes
            </button>
            <button type="button" onClick={onExit} aria-keyshortcuts="Escape">
              Leave projector mode
            </button>
            <label className="inline">
              <input
                type="checkbox"
                checked={autoNarrate}
                onChange={(e) => {
                  setAutoNarrate(e.target.checked);
                  try {
                    localStorage.setItem('unmask.autoNarrate', e.target.checked ? 'on' : 'off');
                  } catch {
                    // not remembered; still applies now
                  }
                }}
              />{' '}
              Auto-play narration
            </label>
            <span className="keys-hint">←/→ or Space to move · B blank · F fullscreen · N notes · Esc leave</span>
          </div>
          <main className="lesson presenter-slide">
            <SectionView key={current.id} section={current} seed={seed} rerun={NO_RERUN} runAll={0} autoRun onRan={onRan} autoPlayNarration={autoNarrate} />
          </main>
        </>
      )}
    </div>
  );
}

function openNotes(): void {
  const url = new URL(location.href);
  url.searchParams.delete('present');
  url.searchParams.set('notes', '');
  window.open(url.toString(), 'unmask-speaker-notes', 'width=720,height=900');
}
