import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import 'katex/dist/katex.min.css';
import './styles.css';
import { Notebook } from './notebook/Notebook.tsx';
import { parseUrl } from './notebook/progress.ts';
import { registerServiceWorker } from './notebook/pwa.ts';

// The speaker-notes window is its own small page, loaded only there.
const SpeakerNotes = lazy(() => import('./presenter/SpeakerNotes.tsx').then((m) => ({ default: m.SpeakerNotes })));
const notes = new URLSearchParams(location.search).has('notes');

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {notes ? (
      <Suspense fallback={null}>
        <SpeakerNotes firstSection={parseUrl(location.search).section} />
      </Suspense>
    ) : (
      <Notebook />
    )}
  </StrictMode>,
);

registerServiceWorker();
