/** The speaker-notes window (?notes): the current section's notes, following the projector. */
import { useEffect, useState } from 'react';
import { SECTIONS, sectionById } from '../../lesson/sections.ts';
import { parseUrl } from '../notebook/progress.ts';
import { clipsFor, transcript } from '../narration/clips.ts';
import { followSection } from './channel.ts';

export function SpeakerNotes() {
  const [id, setId] = useState(() => parseUrl(location.search).section ?? SECTIONS[0].id);
  useEffect(() => followSection(setId), []);
  const section = sectionById(id) ?? SECTIONS[0];
  const next = SECTIONS[section.index + 1];
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
  return (
    <main className="speaker-notes">
      <h1>
        Speaker notes: {section.index}. {section.title}
      </h1>
      <div className="notes-text">
        {notes.split(/\n{2,}/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </div>
      {next && <p className="hint">Next: {next.index}. {next.title}</p>}
    </main>
  );
}
