/** The keyboard help's key: "?" anywhere outside a text field opens it (the dialog itself loads on first use). */
import { useEffect, useRef } from 'react';
import { isTyping } from '../glossary/shortcut.ts';
import { isHelpKey } from './shortcuts.ts';

export function useHelpKey(open: () => void): void {
  const latest = useRef(open);
  useEffect(() => {
    latest.current = open;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || !isHelpKey(e) || isTyping(e.target)) return;
      e.preventDefault();
      latest.current();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
