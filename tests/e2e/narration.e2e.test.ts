/** Narration in Chromium: every clip decodes and ends with its captions; the player plays, captions, changes speed, and one clip at a time. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SEGMENTS } from '../../narration/segments.ts';
import { useBuiltApp } from './browser.ts';

const env = useBuiltApp();

describe('narration in Chromium', () => {
  it('decodes every clip, and each ends within 1 s of its last caption', async () => {
    const page = await env.browser.newPage();
    await page.goto(env.app.url + '?backend=wasm');
    await page.locator('.lesson-section').first().waitFor();
    for (const { id, section } of SEGMENTS) {
      await page.goto(env.app.url + `?backend=wasm&section=${section}`);
      const src = await page.locator(`[data-clip="${id}"] audio`).getAttribute('src');
      const vttSrc = await page.locator(`[data-clip="${id}"] audio track`).getAttribute('src');
      expect(src, id).toBeTruthy();
      const result = await page.evaluate(
        async ([a, v]) => {
          const bytes = await (await fetch(a!)).arrayBuffer();
          const audio = await new AudioContext().decodeAudioData(bytes);
          // Captions are inlined as data: URLs, which the lesson's policy lets a <track> load but not fetch().
          const vtt = v!.startsWith('data:') ? atob(v!.slice(v!.indexOf(',') + 1)) : await (await fetch(v!)).text();
          const ends = [...vtt.matchAll(/--> (\d\d):(\d\d):(\d\d\.\d{3})/g)].map((m) => Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]));
          return { duration: audio.duration, lastCue: ends[ends.length - 1] };
        },
        [src, vttSrc],
      );
      expect(result.duration, id).toBeGreaterThan(0);
      expect(Math.abs(result.duration - result.lastCue), id).toBeLessThan(1);
    }
    await page.close();
  }, 600_000);

  it('plays with moving time and captions, changes speed, and stops one clip when another starts', async () => {
    const page = await env.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.app.url + '?backend=wasm&section=math');
    const math = page.locator('[data-clip="03-math"]');
    // Folded, a clip is one "Listen" button: pressing it plays and unfolds the player.
    await math.getByRole('button', { name: /^Listen \d+:\d\d/ }).click();
    const time = () => math.locator('audio').evaluate((a: HTMLAudioElement) => a.currentTime);
    await expect.poll(time, { timeout: 240_000 }).toBeGreaterThan(0.5);
    const caption = math.getByTestId('caption');
    const first = await caption.textContent();
    const script = readFileSync(new URL('../../narration/scripts/03-math.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter(Boolean);
    expect(script).toContain(first);
    await expect.poll(() => caption.textContent(), { timeout: 240_000 }).not.toBe(first);

    await math.getByRole('combobox', { name: 'Speed' }).selectOption('1.5');
    expect(await math.locator('audio').evaluate((a: HTMLAudioElement) => a.playbackRate)).toBe(1.5);

    // Another section's clip starts: the first one stops.
    await page.locator('#data').scrollIntoViewIfNeeded();
    const data = page.locator('[data-clip="04-data-setup"]');
    await data.getByRole('button', { name: /^Listen \d+:\d\d/ }).click();
    await expect.poll(() => math.locator('audio').evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
    expect(await data.locator('audio').evaluate((a: HTMLAudioElement) => a.paused)).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
