/** Light, dark, or follow the system; remembered, and applied as data-theme on <html>. */
import { useEffect, useState } from 'react';

type Theme = 'system' | 'light' | 'dark';
const KEY = 'unmask.theme';
const NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

function stored(): Theme {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(stored);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') root.removeAttribute('data-theme');
    else root.setAttribute('data-theme', theme);
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // not persisted; still applied
    }
  }, [theme]);
  return (
    <button type="button" onClick={() => setTheme(NEXT[theme])} aria-label={`Theme: ${theme}. Change theme`}>
      Theme: {theme}
    </button>
  );
}
