/** Read-only, highlighted source. highlight.js (core + TypeScript only) loads the first time code is shown. */
import { useEffect, useState } from 'react';

async function highlight(code: string): Promise<string> {
  const [{ default: hljs }, { default: typescript }] = await Promise.all([
    import('highlight.js/lib/core'),
    import('highlight.js/lib/languages/typescript'),
  ]);
  if (!hljs.getLanguage('typescript')) hljs.registerLanguage('typescript', typescript);
  return hljs.highlight(code, { language: 'typescript' }).value;
}

export function SourceView({ load }: { load: () => Promise<{ default: string }> }) {
  const [html, setHtml] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    load()
      .then((m) => highlight(m.default))
      .then(
        (h) => live && setHtml(h),
        (e: unknown) => live && setError(String(e)),
      );
    return () => {
      live = false;
    };
  }, [load]);
  if (error)
    return (
      <p className="error" role="alert">
        Could not load the source: {error}
      </p>
    );
  if (html === null) return <p role="status">Loading source…</p>;
  // highlight.js escapes the code it wraps, so its HTML is safe to insert.
  return (
    <pre className="source" tabIndex={0} aria-label="Source code">
      <code className="hljs language-typescript" dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
