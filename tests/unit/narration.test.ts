/** Narration: every segment has its script, audio and captions, and the audio is from the current script. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { scriptHash, sentencesOf, spokenScript, type ManifestEntry } from '../../narration/render.ts';
import { SEGMENTS } from '../../narration/segments.ts';
import { SECTIONS } from '../../src/lesson/sections.ts';

const file = (p: string) => new URL(`../../narration/${p}`, import.meta.url);
const manifest = JSON.parse(readFileSync(file('manifest.json'), 'utf8')) as ManifestEntry[];

/** [start, end] of each cue, in seconds. */
function cues(vtt: string): { start: number; end: number; text: string }[] {
  const secs = (t: string) => t.split(':').reduce((acc, x) => acc * 60 + Number(x), 0);
  return [...vtt.matchAll(/(\d\d:\d\d:\d\d\.\d{3}) --> (\d\d:\d\d:\d\d\.\d{3})\n(.+)/g)].map((m) => ({
    start: secs(m[1]),
    end: secs(m[2]),
    text: m[3],
  }));
}

describe('narration', () => {
  it('covers every section after the set-up, in lesson order', () => {
    const order = SECTIONS.map((s) => s.id);
    for (const s of SECTIONS.slice(1))
      expect(
        SEGMENTS.some((g) => g.section === s.id),
        s.id,
      ).toBe(true);
    const positions = SEGMENTS.map((g) => order.indexOf(g.section));
    expect(positions.every((p, i) => p >= 0 && (i === 0 || p >= positions[i - 1]))).toBe(true);
    expect(SEGMENTS).toHaveLength(14);
  });

  it.each(SEGMENTS.map((s) => s.id))('%s: script, audio and captions exist, and the audio is from this script', (id) => {
    // As spoken: a number it quotes from a data file is part of it, so new data means a new rendering.
    const script = spokenScript(id);
    const words = script.split(/\s+/).filter(Boolean).length;
    expect(words, 'a 45 to 120 s script at about 150 words a minute').toBeGreaterThanOrEqual(110);
    expect(words).toBeLessThanOrEqual(320);
    expect(existsSync(file(`audio/${id}.mp3`))).toBe(true);
    const entry = manifest.find((e) => e.id === id);
    expect(entry, `${id} is not in narration/manifest.json: run npm run narration`).toBeDefined();
    expect(entry!.hash, `narration/scripts/${id}.txt, or a measurement it quotes, changed after its audio was rendered: run npm run narration`).toBe(
      scriptHash(script),
    );
    const c = cues(readFileSync(file(`captions/${id}.vtt`), 'utf8'));
    expect(c.map((x) => x.text)).toEqual(sentencesOf(script));
    for (let i = 1; i < c.length; i++) expect(c[i].start).toBeGreaterThanOrEqual(c[i - 1].end);
    expect(Math.abs(entry!.duration - c[c.length - 1].end)).toBeLessThan(1);
    expect(entry!.duration).toBeGreaterThan(45);
    expect(entry!.duration).toBeLessThan(130);
  });
});
