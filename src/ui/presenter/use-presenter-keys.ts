/**
 * Projector mode's keys (the list the "?" help shows is notebook/shortcuts.ts). A clicker
 * sends PageDown/PageUp or arrows; Space moves on unless a button or link has it.
 */
import { useEffect, useRef } from 'react';
import { isTyping } from '../glossary/shortcut.ts';

export interface PresenterKeyActions {
  readonly forward: () => void;
  readonly back: () => void;
  readonly first: () => void;
  readonly last: () => void;
  readonly blank: () => void;
  readonly fullscreen: () => void;
  readonly notes: () => void;
  readonly escape: () => void;
}

/** What a key does in projector mode, or null when it is not ours. */
export function presenterAction(
  e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>,
): keyof PresenterKeyActions | null {
  if (isTyping(e.target) || e.altKey || e.ctrlKey || e.metaKey) return null;
  // Buttons, links, disclosures and checkboxes keep Space for themselves; elsewhere it advances.
  if (
    e.key === ' ' &&
    e.target instanceof HTMLElement &&
    (['BUTTON', 'A', 'SUMMARY'].includes(e.target.tagName) || e.target instanceof HTMLInputElement)
  )
    return null;
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  switch (key) {
    case 'ArrowRight':
    case 'PageDown':
      return 'forward';
    case ' ':
      return e.shiftKey ? 'back' : 'forward';
    case 'ArrowLeft':
    case 'PageUp':
      return 'back';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case 'b':
      return 'blank';
    case 'f':
      return 'fullscreen';
    case 'n':
      return 'notes';
    case 'Escape':
      return 'escape';
    default:
      return null;
  }
}

export function usePresenterKeys(actions: PresenterKeyActions): void {
  const latest = useRef(actions);
  useEffect(() => {
    latest.current = actions;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = presenterAction(e);
      if (!action) return;
      // A range slider in a figure keeps its arrows.
      if (e.target instanceof HTMLInputElement && e.target.type === 'range' && e.key.startsWith('Arrow')) return;
      e.preventDefault();
      latest.current[action]();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
