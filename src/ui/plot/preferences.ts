/**
 * The page's theme and motion preferences as React hooks that re-render live when the
 * system setting or <html data-theme> changes. useSyncExternalStore keeps every chart
 * on the same value in the same render.
 */
import { useSyncExternalStore } from 'react';
import { resolveTheme } from './theme.ts';
import type { ThemeName } from './types.ts';

const DARK = '(prefers-color-scheme: dark)';
const REDUCED_MOTION = '(prefers-reduced-motion: reduce)';

/** jsdom and old browsers have no matchMedia: treat every query as false there. */
function matches(query: string): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(query).matches;
}

function onMediaChange(query: string, notify: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => {};
  const list = window.matchMedia(query);
  list.addEventListener('change', notify);
  return () => list.removeEventListener('change', notify);
}

function subscribeTheme(notify: () => void): () => void {
  const stopMedia = onMediaChange(DARK, notify);
  const observer = new MutationObserver(notify);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => {
    stopMedia();
    observer.disconnect();
  };
}

const themeNow = (): ThemeName => resolveTheme(document.documentElement.getAttribute('data-theme'), matches(DARK));

export function useTheme(): ThemeName {
  return useSyncExternalStore(subscribeTheme, themeNow, () => 'light');
}

export function useReducedMotion(): boolean {
  return useSyncExternalStore(
    (notify) => onMediaChange(REDUCED_MOTION, notify),
    () => matches(REDUCED_MOTION),
    () => false,
  );
}
