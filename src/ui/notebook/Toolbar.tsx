/**
 * The notebook's header: the lesson's title, its progress, and the controls (seed, Run
 * all, Reset, Copy link, Projector, glossary, Ask, keys, theme). On a narrow screen the
 * controls fold behind a Menu button, so the header is one line and the lesson shows.
 */
import { useState, type ReactNode } from 'react';
import { SeedForm } from './SeedForm.tsx';
import { ThemeToggle } from './ThemeToggle.tsx';

export interface ToolbarProps {
  readonly seed: number;
  readonly onSeed: (seed: number) => void;
  readonly onWarning: (message: string) => void;
  readonly onRunAll: () => void;
  readonly onReset: () => void;
  readonly onCopyLink: () => void;
  readonly onProjector: () => void;
  readonly onKeys: () => void;
  /** The glossary and Ask buttons (assistant/LessonHelp). */
  readonly helpButtons: ReactNode;
  readonly progress: ReactNode;
}

export function Toolbar(p: ToolbarProps) {
  const [open, setOpen] = useState(false);
  return (
    <header className="topbar">
      <div className="topbar-title">
        <h1>Masked diffusion for text: the forward process</h1>
        {p.progress}
      </div>
      <button type="button" className="menu-toggle" aria-expanded={open} aria-controls="notebook-controls" onClick={() => setOpen((o) => !o)}>
        {open ? 'Close menu' : 'Menu'}
      </button>
      <div id="notebook-controls" className="controls" role="toolbar" aria-label="Notebook controls" data-open={open || undefined}>
        <SeedForm key={p.seed} seed={p.seed} onSeed={p.onSeed} onInvalid={p.onWarning} />
        <button type="button" onClick={p.onRunAll}>
          Run all
        </button>
        <button type="button" onClick={p.onReset}>
          Reset
        </button>
        <button type="button" onClick={p.onCopyLink}>
          Copy link
        </button>
        <button type="button" onClick={p.onProjector} title="Projector mode: the lesson as slides, for a class">
          Projector
        </button>
        {p.helpButtons}
        <button type="button" onClick={p.onKeys} aria-haspopup="dialog" aria-keyshortcuts="?" title="Keyboard shortcuts (?)">
          Keys
        </button>
        <ThemeToggle />
      </div>
    </header>
  );
}
