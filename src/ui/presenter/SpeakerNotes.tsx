/**
 * The speaker-notes window (?notes): where the talk is, a timer (the talk's and this
 * slide's), what comes next, and the section's narration transcript as the script to
 * speak from (the prose stands in where a section has none). It follows the projector.
 */
import { useEffect, useRef, useState } from 'react';
import { SECTIONS, sectionById } from '../../lesson/sections.ts';
import { formatDuration } from '../figures/format.ts';
import { clipsFor, transcript } from '../narration/clips.ts';
import { followProjector, type NotesChannel, type PresenterState } from './channel.ts';

/** What the notes show before the projector has said anything (opened by hand, or the projector is gone). */
function waiting(id: string): PresenterState {
  const s = sectionById(id) ?? SECTIONS[0];
  return {
    section: s.id,
    sectionIndex: s.index,
    sectionTitle: s.title,
    slide: 0,
    slides: 0,
    title: s.title,
    next: null,
    startedAt: 0,
    slideSince: 0,
  };
}

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** `firstSection`: the section the notes window was opened on (from its URL), shown until the projector speaks. */
export function SpeakerNotes({ firstSection }: { firstSection?: string }) {
  const [state, setState] = useState<PresenterState>(() => waiting(firstSection ?? SECTIONS[0].id));
  const channel = useRef<NotesChannel | null>(null);
  useEffect(() => {
    const ch = followProjector(setState);
    channel.current = ch;
    return () => ch.close();
  }, []);
  const now = useNow();
  const section = sectionById(state.section) ?? SECTIONS[0];

  // The narration transcript is the script to speak from; the prose stands in where a section has none.
  const [script, setScript] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    let live = true;
    Promise.all(clipsFor(section.id).map((c) => transcript(c.id))).then(
      (texts) => {
        const text = texts.filter(Boolean).join('\n\n');
        if (live) setScript(text ? { id: section.id, text } : null);
      },
      // No transcript to hand (offline before it was cached): the prose stands in, as for a section without narration.
      () => live && setScript(null),
    );
    return () => {
      live = false;
    };
  }, [section.id]);
  const notes = script?.id === section.id ? script.text.replace(/\n(?!\n)/g, ' ') : section.text;
  const timing = state.startedAt > 0;

  return (
    <main className="speaker-notes">
      <h1>
        Speaker notes: {section.index}. {section.title}
      </h1>
      <p className="notes-where" data-testid="notes-where">
        {state.slides > 0 ? `Slide ${state.slide + 1} of ${state.slides}: ${state.title}` : 'Waiting for the projector window…'}
      </p>
      <div className="notes-timer" role="timer" aria-live="off" data-testid="notes-timer">
        <span>
          Talk <strong className="num">{timing ? formatDuration((now - state.startedAt) / 1000, 'clock') : '0:00'}</strong>
        </span>
        <span>
          This slide <strong className="num">{timing ? formatDuration((now - state.slideSince) / 1000, 'clock') : '0:00'}</strong>
        </span>
        <button type="button" onClick={() => channel.current?.restartTimer()}>
          Restart the timer
        </button>
      </div>
      {state.next && (
        <section className="notes-next" aria-label="Next" data-testid="notes-next">
          <h2>
            {state.next.where}: {state.next.title}
          </h2>
          <p>{state.next.preview}</p>
        </section>
      )}
      <h2>Script</h2>
      <div className="notes-text">
        {notes.split(/\n{2,}/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </div>
    </main>
  );
}
