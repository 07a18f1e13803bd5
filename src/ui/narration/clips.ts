/** The rendered narration the build found: audio and captions by segment, transcripts loaded on demand. */
import manifest from '../../../narration/manifest.json';
import { SEGMENTS, type Segment } from '../../../narration/segments.ts';

const audio = import.meta.glob('/narration/audio/*.mp3', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const captions = import.meta.glob('/narration/captions/*.vtt', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const scripts = import.meta.glob('/narration/scripts/*.txt', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

export interface Clip extends Segment {
  readonly audio: string;
  readonly captions?: string;
  /** Seconds, from the renderer's manifest: known before any audio loads. */
  readonly duration: number | null;
}

const durations = new Map((manifest as { id: string; duration: number }[]).map((m) => [m.id, m.duration]));

/** The section's clips that have audio, in order. */
export function clipsFor(section: string): Clip[] {
  return SEGMENTS.filter((s) => s.section === section && audio[`/narration/audio/${s.id}.mp3`]).map((s) => ({
    ...s,
    audio: audio[`/narration/audio/${s.id}.mp3`],
    captions: captions[`/narration/captions/${s.id}.vtt`],
    duration: durations.get(s.id) ?? null,
  }));
}

/** A segment's script, one sentence a line. */
export async function transcript(id: string): Promise<string | null> {
  const load = scripts[`/narration/scripts/${id}.txt`];
  return load ? load() : null;
}
