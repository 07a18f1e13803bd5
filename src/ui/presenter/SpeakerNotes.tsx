/** The speaker-notes window (?notes): the current section's notes, following the projector. */
import { useEffect, useState } from 'react';
import { SECTIONS, sectionById } from '../../lesson/sections.ts';
import { parseUrl } from '../notebook/progress.ts';
import { followSection } from './channel.ts';

export function SpeakerNotes() {
  const [id, setId] = useState(() => parseUrl(location.search).section ?? SECTIONS[0].id);
  useEffect(() => followSection(setId), []);
  const section = sectionById(id) ?? SECTIONS[0];
  const next = SECTIONS[section.index + 1];
  return (
    <main className="speaker-notes">
      <h1>
        Speaker notes: {section.index}. {section.title}
      </h1>
      <div className="notes-text">
        {section.text.split(/\n{2,}/).map((para, i) => (
          <p key={i}>{para}</p>
        ))}
      </div>
      {next && <p className="hint">Next: {next.index}. {next.title}</p>}
    </main>
  );
}
