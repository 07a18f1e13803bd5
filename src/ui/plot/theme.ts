/**
 * Chart colours for the light and dark page, matching styles.css, and which of the two
 * applies: an explicit data-theme on <html> wins, else the system's prefers-color-scheme.
 */
import type { ThemeName } from './types.ts';

/** The charts' font: the page's own system font. */
export const CHART_FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";

export interface PlotTheme {
  readonly background: string;
  readonly text: string;
  readonly muted: string;
  readonly grid: string;
  /** The y = 0 / x = 0 line: stronger than the grid, quieter than the axes. */
  readonly zero: string;
  readonly axis: string;
  /** Series colours in order; every one keeps 3:1 contrast with the background (WCAG 1.4.11). */
  readonly palette: readonly string[];
}

/**
 * Okabe–Ito, the colour-blind-safe palette, ordered per background: orange, sky blue and
 * yellow wash out on white, black vanishes on the dark page. Series n keeps its hue family
 * across themes (blue / sky blue, vermillion / orange, green, purple, black / yellow).
 */
export const THEMES: Readonly<Record<ThemeName, PlotTheme>> = Object.freeze({
  light: {
    background: '#ffffff',
    text: '#1b1f24',
    muted: '#57606a',
    grid: '#e6e9ec',
    zero: '#c9d1d9',
    axis: '#8c959f',
    palette: ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#000000'],
  },
  dark: {
    background: '#0f1419',
    text: '#e6edf3',
    muted: '#9da7b3',
    grid: '#262c34',
    zero: '#3d444d',
    axis: '#6e7681',
    palette: ['#56B4E9', '#E69F00', '#009E73', '#CC79A7', '#F0E442'],
  },
});

/** data-theme="light" | "dark" on <html> wins; anything else defers to the system. */
export function resolveTheme(dataTheme: string | null | undefined, systemPrefersDark: boolean): ThemeName {
  if (dataTheme === 'light' || dataTheme === 'dark') return dataTheme;
  return systemPrefersDark ? 'dark' : 'light';
}
