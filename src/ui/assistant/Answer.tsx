/**
 * An answer, rendered as Markdown with math once the renderer has loaded; as
 * plain text until then (and if it cannot load), so nothing waits on it.
 */
import { useDeferredValue, useEffect, useMemo, useState } from 'react';

type Render = (markdown: string) => string;
let renderer: Promise<Render> | null = null;

/** The renderer chunk (marked + KaTeX), fetched once, on the first answer. */
export function loadRenderer(): Promise<Render> {
  renderer ??= import('./markdown.ts').then((m) => m.renderAnswer);
  return renderer;
}

export function Answer({ text }: { readonly text: string }) {
  // While an answer streams in, React may skip renders of intermediate text under load.
  const shown = useDeferredValue(text);
  const [render, setRender] = useState<{ fn: Render } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    loadRenderer().then(
      (fn) => live && setRender({ fn }),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);

  const html = useMemo(() => (render ? render.fn(shown) : null), [render, shown]);
  if (html === null || failed) return <div className="answer-text answer-plain">{shown}</div>;
  // renderAnswer escapes the model's HTML and strips anything active: see markdown.ts.
  return <div className="answer-text" dangerouslySetInnerHTML={{ __html: html }} />;
}
