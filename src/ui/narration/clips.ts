/** The rendered narration the build found: audio and captions by segment, transcripts loaded on demand. */
import manifest from '../../../narration/manifest.json';
import { SEGMENTS, type Segment } from '../../../narration/segments.ts';

const audio = import.meta.glob('/narration/audio/*.mp3', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
const captions = import.meta.glob('/narration/captions/*.vtt', { query: '?url', import: 'default', eager: true }) as Record<string, string>;
// The transcript is read from the captions, not the script: the captions hold exactly what the audio
// says, with every quoted measurement filled in (a script has `{{value …}}` where the renderer put a number).
const captionText = import.meta.glob('/narration/captions/*.vtt', { query: '?raw', import: 'default' }) as Record<string, () => Promise<string>>;

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

/** The sentences of a WebVTT file, one a line: the text line after each cue's timing line. */
export function cueText(vtt: string): string {
  return [...vtt.replace(/\r\n/g, '\n').matchAll(/-->[^\n]*\n([^\n]+)/g)].map((m) => m[1]).join('\n');
}

/** A segment's transcript, one sentence a line, as spoken. */
export async function transcript(id: string): Promise<string | null> {
  const load = captionText[`/narration/captions/${id}.vtt`];
  return load ? cueText(await load()) : null;
}
