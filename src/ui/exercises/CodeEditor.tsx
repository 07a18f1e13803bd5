/** CodeMirror 6, loaded lazily: JavaScript highlighting, Shift+Enter to check, every edit saved by the caller. */
import { useEffect, useRef, useState } from 'react';
import { enqueueDraw } from '../plot/draw-queue.ts';
import { useSeen } from '../figures/use-seen.ts';

export interface CodeEditorProps {
  readonly value: string;
  readonly label: string;
  readonly onChange: (code: string) => void;
  readonly onRun: () => void;
}

export function CodeEditor({ value, label, onChange, onRun }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<import('@codemirror/view').EditorView | null>(null);
  const callbacks = useRef({ onChange, onRun });
  callbacks.current = { onChange, onRun };
  // The newest text, for when the editor finishes loading after a Reset or Reveal.
  const latest = useRef(value);
  latest.current = value;
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  // The editor is made when it comes on screen, not when its section mounts: Run all
  // mounts every section, and three editors made at once were the longest frames of the run
  // (75-147 ms each under load, npm run bench:app).
  // Half a screen below too: a student reading down finds it made, not loading.
  const near = useSeen(host, true, '0px 0px 50% 0px');

  useEffect(() => {
    if (!near) return;
    let live = true;
    let cancelCreate = () => {};
    Promise.all([import('codemirror'), import('@codemirror/lang-javascript'), import('@codemirror/view'), import('@codemirror/state')])
      .then(([{ basicSetup }, { javascript }, { EditorView, keymap }, { Prec }]) => {
        if (!live) return;
        // Creating an editor costs 20-40 ms of the main thread, and the lesson's editors
        // mount together (Run all loads every section): one a frame, through the charts' queue.
        cancelCreate = enqueueDraw(() => {
          if (!live || !host.current) return;
          try {
            view.current = new EditorView({
              parent: host.current,
              doc: latest.current,
              extensions: [
                Prec.highest(keymap.of([{ key: 'Shift-Enter', run: () => (callbacks.current.onRun(), true) }])),
                basicSetup,
                javascript(),
                EditorView.lineWrapping,
                EditorView.contentAttributes.of({ 'aria-label': label }),
                EditorView.updateListener.of((u) => u.docChanged && callbacks.current.onChange(u.state.doc.toString())),
              ],
            });
            setLoaded(true);
          } catch (e) {
            setError(String(e)); // the plain text area below still lets the student work
          }
        });
      })
      .catch((e: unknown) => live && setError(String(e)));
    return () => {
      live = false;
      cancelCreate();
      view.current?.destroy();
      view.current = null;
    };
    // The editor is created once; outside changes of `value` arrive through the effect below.
  }, [label, near]);

  // Reset to starter / reveal solution: replace the document when `value` changes from outside.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);

  if (error) {
    // Without the editor, a plain text area still lets the student work.
    return (
      <textarea
        className="code-fallback"
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && e.shiftKey) {
            e.preventDefault();
            onRun();
          }
        }}
        rows={20}
      />
    );
  }
  return (
    <>
      {!loaded && (
        <p role="status" className="hint">
          Loading the editor…
        </p>
      )}
      <div ref={host} className="code-editor" data-testid="code-editor" />
    </>
  );
}
