/** The glossary's keyboard shortcut: "/" or Ctrl+K (⌘K on a Mac), except while typing. */
import { useEffect, useRef } from 'react';

/** For aria-keyshortcuts and the button's title. */
export const GLOSSARY_KEYS = { aria: '/ Control+K Meta+K', title: '/ or Ctrl+K' } as const;

const NOT_TEXT = new Set(['button', 'checkbox', 'radio', 'range', 'submit', 'reset', 'color', 'file', 'image']);

/** True where a key press is text: fields, the code editor (contenteditable), selects. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target.closest('[contenteditable]:not([contenteditable="false"])')) return true;
  if (target instanceof HTMLInputElement) return !NOT_TEXT.has(target.type);
  return target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement;
}

export function isGlossaryShortcut(e: KeyboardEvent): boolean {
  if (e.altKey) return false;
  if (e.key === '/') return !e.ctrlKey && !e.metaKey;
  return e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey) && !e.shiftKey;
}

export function useGlossaryShortcut(open: () => void): void {
  const latest = useRef(open);
  useEffect(() => {
    latest.current = open;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !isGlossaryShortcut(e) || isTyping(e.target)) return;
      e.preventDefault(); // "/" is the browser's quick find, Ctrl+K its search bar
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
