import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import 'katex/dist/katex.min.css';
import './styles.css';
import { Notebook } from './notebook/Notebook.tsx';
import { SpeakerNotes } from './presenter/SpeakerNotes.tsx';
import { registerServiceWorker } from './notebook/pwa.ts';

const notes = new URLSearchParams(location.search).has('notes');

createRoot(document.getElementById('root')!).render(<StrictMode>{notes ? <SpeakerNotes /> : <Notebook />}</StrictMode>);

registerServiceWorker();
