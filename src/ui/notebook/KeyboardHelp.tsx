/** The keyboard help ("?"): every shortcut of the page and of projector mode, in a modal dialog. */
import { useEffect, useRef, type KeyboardEvent } from 'react';
import { isHelpKey, SHORTCUTS } from './shortcuts.ts';

export function KeyboardHelp({ onClose }: { onClose: () => void }) {
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    return () => before?.focus({ preventScroll: true });
  }, []);
  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation(); // modal: projector mode must not move or leave underneath
    if (e.key === 'Escape' || isHelpKey(e.nativeEvent)) {
      e.preventDefault();
      onClose();
    } else if (e.key === 'Tab') {
      e.preventDefault(); // one control: focus stays on it
    }
  };
  return (
    <div className="dialog-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog keyboard-help" role="dialog" aria-modal="true" aria-labelledby="keys-title" onKeyDown={onKeyDown}>
        <div className="dialog-head">
          <h2 id="keys-title">Keyboard shortcuts</h2>
          <button ref={close} type="button" className="quiet" onClick={onClose} aria-label="Close the keyboard shortcuts">
            ✕
          </button>
        </div>
        {SHORTCUTS.map((group) => (
          <section key={group.title} aria-label={group.title}>
            <h3>{group.title}</h3>
            <dl className="shortcut-list">
              {group.shortcuts.map((s) => (
                <div key={s.does} className="shortcut">
                  <dt>
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && <span className="or"> or </span>}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </dt>
                  <dd>{s.does}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </div>
  );
}
