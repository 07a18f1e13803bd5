/**
 * One small menu per chart: PNG, CSV and the data table, instead of a row of buttons
 * under every figure. A disclosure (a button and the list it shows), so it needs no
 * arrow-key menu semantics: Tab moves through the items, Esc closes and returns focus.
 */
import { useEffect, useId, useRef, useState } from 'react';

export interface PlotMenuProps {
  /** The chart's label, so a screen reader hears whose options these are. */
  readonly chart: string;
  /** Null when there is no image to save (Plotly failed). */
  readonly onPng: (() => void) | null;
  readonly pngReady: boolean;
  readonly onCsv: () => void;
  readonly tableOpen: boolean;
  readonly onTable: (open: boolean) => void;
}

export function PlotMenu({ chart, onPng, pngReady, onCsv, tableOpen, onTable }: PlotMenuProps) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const box = useRef<HTMLDivElement>(null);
  const toggle = useRef<HTMLButtonElement>(null);

  // A click elsewhere closes it, as a menu does.
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => !box.current?.contains(e.target as Node) && setOpen(false);
    document.addEventListener('pointerdown', onDown);
    return () => document.removeEventListener('pointerdown', onDown);
  }, [open]);

  const choose = (action: () => void) => () => {
    action();
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <div
      className="plot-menu"
      ref={box}
      onKeyDown={(e) => {
        if (e.key !== 'Escape' || !open) return;
        e.stopPropagation(); // Esc closes the menu, not projector mode
        setOpen(false);
        toggle.current?.focus();
      }}
    >
      <button
        ref={toggle}
        type="button"
        className="quiet plot-menu-toggle"
        aria-expanded={open}
        aria-controls={id}
        onClick={() => setOpen((o) => !o)}
      >
        <span aria-hidden="true">⋯</span> Chart data<span className="visually-hidden">: {chart}</span>
      </button>
      {open && (
        <div className="plot-menu-items" id={id} role="group" aria-label={`Chart data: ${chart}`}>
          {onPng && (
            <button type="button" onClick={choose(onPng)} disabled={!pngReady}>
              Download PNG
            </button>
          )}
          <button type="button" onClick={choose(onCsv)}>
            Download CSV
          </button>
          <button type="button" onClick={choose(() => onTable(!tableOpen))} aria-pressed={tableOpen}>
            {tableOpen ? 'Hide data table' : 'Show data table'}
          </button>
        </div>
      )}
    </div>
  );
}
