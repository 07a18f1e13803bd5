/**
 * Every keyboard shortcut of the page and of projector mode, in one list: the help
 * dialog ("?") shows it, and the handlers' tests check it against what they do.
 */
export interface Shortcut {
  /** Each alternative, as written on a key. */
  readonly keys: readonly string[];
  readonly does: string;
}

export interface ShortcutGroup {
  readonly title: string;
  readonly shortcuts: readonly Shortcut[];
}

export const SHORTCUTS: readonly ShortcutGroup[] = [
  {
    title: 'Anywhere in the lesson',
    shortcuts: [
      { keys: ['?'], does: 'Show this list' },
      { keys: ['/', 'Ctrl+K', '⌘K'], does: 'Open the glossary' },
      { keys: ['Shift+Enter'], does: 'Run the cell that has focus' },
      { keys: ['Esc'], does: 'Close a dialog, menu or chart menu' },
    ],
  },
  {
    title: 'In the glossary',
    shortcuts: [
      { keys: ['↓', '↑'], does: 'Move through the results' },
      { keys: ['Enter'], does: 'Go to the section of the result' },
    ],
  },
  {
    title: 'In projector mode',
    shortcuts: [
      { keys: ['→', 'PageDown', 'Space'], does: 'Next slide, then the next section (a slide taller than the screen scrolls first)' },
      { keys: ['←', 'PageUp', 'Shift+Space'], does: 'Previous slide' },
      { keys: ['Home', 'End'], does: 'First or last slide of the section' },
      { keys: ['B'], does: 'Blank the screen, and show it again' },
      { keys: ['F'], does: 'Full screen on or off' },
      { keys: ['N'], does: 'Open the speaker notes in a second window' },
      { keys: ['Esc'], does: 'Leave projector mode at the same place in the lesson' },
    ],
  },
];

/** True for the help key: "?" outside a text field (Shift+/ on most layouts). */
export function isHelpKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
  return e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey;
}
