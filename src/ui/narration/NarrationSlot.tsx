/**
 * Where a section's narration plays. Audio and captions are files in
 * narration/ (narration/audio/<section>.mp3, narration/captions/<section>.vtt);
 * the build finds whichever exist, and a section without audio shows nothing.
 */
const audio = import.meta.glob('/narration/audio/*.mp3', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const captions = import.meta.glob('/narration/captions/*.vtt', { query: '?url', import: 'default', eager: true }) as Record<string, string>;

export function narrationFor(section: string): { audio: string; captions?: string } | null {
  const src = audio[`/narration/audio/${section}.mp3`];
  return src ? { audio: src, captions: captions[`/narration/captions/${section}.vtt`] } : null;
}

export function NarrationSlot({ section, title }: { section: string; title: string }) {
  const n = narrationFor(section);
  if (!n) return null;
  return (
    <figure className="narration">
      <figcaption className="hint">Listen to this section</figcaption>
      <audio controls preload="none" src={n.audio} aria-label={`Narration: ${title}`}>
        {n.captions && <track kind="captions" src={n.captions} srcLang="en" label="English" default />}
      </audio>
    </figure>
  );
}
