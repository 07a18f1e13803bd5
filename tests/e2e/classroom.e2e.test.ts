/**
 * The lesson in front of a class and on every screen, in real Chromium: the first screen
 * (light, without TensorFlow.js or Plotly), no sideways scrolling at 390, 1366 and 1920 px,
 * projector mode as slides driven by a clicker's keys, leaving it at the same place,
 * projector chart text, speaker notes, and the keyboard help. Screenshots at each size and
 * in projector mode, light and dark, land in .artifacts/screenshots for a person to look at.
 * (After every cell has run, the same sizes are checked in lesson.e2e, which runs them all.)
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { axe, useBuiltApp } from './browser.ts';
import { sideways, SIZES, withEverySectionLaidOut } from './layout.ts';

const SHOTS = '.artifacts/screenshots';
const env = useBuiltApp();
beforeAll(() => mkdirSync(SHOTS, { recursive: true }));

async function open(query: string, size: { width: number; height: number }, colorScheme: 'light' | 'dark' = 'light') {
  const page = await env.browser.newPage({ viewport: { width: size.width, height: size.height }, colorScheme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(env.app.url + query);
  await page.locator('.lesson-section, .presenter').first().waitFor();
  return { page, errors };
}

/** Scroll the whole page through once, so every section loads and every cell that runs on sight runs; wait until none is running. */
/**
 * PageDown, as a clicker sends it, until the next slide shows. A slide taller than the
 * screen scrolls its rest into view first, so one press may not leave it: whether it does
 * depends on how tall the slide's outputs came out. Each press waits for its effect.
 */
async function showNextSlide(page: Page): Promise<void> {
  const counter = page.getByTestId('slide-counter');
  const before = await counter.textContent();
  for (let press = 0; press < 20; press++) {
    const scrolled = await page.evaluate(() => window.scrollY);
    await page.keyboard.press('PageDown');
    await page.waitForFunction(
      ([b, y]) => document.querySelector('[data-testid="slide-counter"]')!.textContent !== b || window.scrollY > y,
      [before, scrolled] as const,
      { polling: 50 },
    );
    if ((await counter.textContent()) !== before) return;
  }
  throw new Error(`20 presses of PageDown did not leave "${before}"`);
}

async function scrollThrough(page: Page) {
  const sections = await page.locator('.lesson-section').count();
  for (let i = 0; i < sections; i++) {
    await page.locator('.lesson-section').nth(i).scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => !document.querySelectorAll('.lesson-section')[n]?.querySelector('.cell-loading'), i, {
      timeout: 240_000,
      polling: 100,
    });
  }
  await page.waitForFunction(() => document.querySelectorAll('.cell[data-state="running"], .cell[data-state="queued"]').length === 0, undefined, {
    timeout: 240_000,
    polling: 250,
  });
  await page.evaluate(() => window.scrollTo({ top: 0 }));
}

describe('the first screen', () => {
  it('opens with the payoff, the objectives and the length, without TensorFlow.js or Plotly', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const fetched: string[] = [];
    page.on('requestfinished', (r) => fetched.push(new URL(r.url()).pathname));
    await page.goto(env.app.url + '?backend=wasm');
    await page.locator('.hero').waitFor();
    // Every section near the screen has loaded its cells (what the first screen asks for), then the network is quiet.
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll('.lesson-section')]
          .filter((s) => s.getBoundingClientRect().top < innerHeight + 200)
          .every((s) => !s.querySelector('.cell-loading')),
      undefined,
      { polling: 100 },
    );
    await page.waitForLoadState('networkidle');
    // What a first screen fetched, by content: tfjs-core carries its URL-flag parser, Plotly its name.
    const scripts = fetched.filter((p) => p.endsWith('.js')).map((p) => readFileSync(join(env.app.outDir, p.slice('/unmask/'.length)), 'utf8'));
    expect(scripts.filter((code) => code.includes('tfjsflags'))).toHaveLength(0);
    expect(scripts.filter((code) => code.includes('plotly.js'))).toHaveLength(0);
    expect(fetched.filter((p) => p.endsWith('.mp3') || p.endsWith('.vtt'))).toEqual([]); // narration waits for Listen

    const hero = page.locator('.hero');
    expect(await hero.isVisible()).toBe(true);
    expect(
      await page
        .locator('.hero')
        .boundingBox()
        .then((b) => b!.y),
    ).toBeLessThan(200); // on the first screen, under the header
    expect(await hero.getByRole('list', { name: /^Generated sequence/ }).count()).toBe(3);
    expect(await page.getByTestId('lesson-length').textContent()).toMatch(/^About (\d+ h )?\d+ min/);
    expect(await hero.locator('.hero-facts li').count()).toBeGreaterThanOrEqual(3);
    // The demo plays to the end: all 96 tokens revealed.
    await page.waitForFunction(() => document.querySelector('.hero-controls')?.textContent?.includes('0 of 96 still masked'), undefined, {
      timeout: 240_000,
    });
    expect(await page.getByTestId('lesson-progress').textContent()).toMatch(/0% done · about .+ left/);
    expect(await axe(page, '.hero')).toEqual([]);
    await page.close();
  });
});

describe('every screen, before any Run', () => {
  for (const size of SIZES) {
    it(`scrolls nothing sideways at ${size.width} px, light and dark`, async () => {
      for (const scheme of ['light', 'dark'] as const) {
        const { page, errors } = await open('?backend=wasm', size, scheme);
        await page.screenshot({ path: `${SHOTS}/first-screen-${size.width}-${scheme}.png` });
        expect(await sideways(page), `first screen, ${scheme}`).toEqual({ overflow: 0, culprits: [] });
        if (scheme === 'light') {
          await scrollThrough(page);
          expect(await sideways(page), 'every section loaded').toEqual({ overflow: 0, culprits: [] });
          // Boxes that scroll at this width are focusable and named, not traps for a keyboard.
          expect(await withEverySectionLaidOut(page, () => axe(page, '#lesson')), `axe on the lesson at ${size.width} px`).toEqual([]);
          await page.locator('#data').scrollIntoViewIfNeeded();
          await page.screenshot({ path: `${SHOTS}/section-4-${size.width}-light.png` });
        }
        if (size.width < 700) {
          // The toolbar is a menu; the contents fold; the lesson is on the first screen.
          const header = await page.locator('header.topbar').boundingBox();
          expect(header!.height).toBeLessThan(0.12 * size.height);
          expect(await page.locator('#notebook-controls').isVisible()).toBe(false);
          await page.getByRole('button', { name: 'Menu' }).click();
          await page.getByRole('button', { name: 'Run all' }).waitFor();
          expect(await sideways(page), 'menu open').toEqual({ overflow: 0, culprits: [] });
          // The wider "Close menu" button sits beside the title and the progress line, never over them.
          const under = await page.evaluate(() => {
            const button = document.querySelector('.menu-toggle')!.getBoundingClientRect();
            return [...document.querySelectorAll('.topbar-title h1, .lesson-progress span')].map(
              (e) => e.getBoundingClientRect().right - button.left,
            );
          });
          for (const px of under) expect(px).toBeLessThanOrEqual(0);
          await page.screenshot({ path: `${SHOTS}/menu-open-${size.width}-${scheme}.png` });
          expect(await axe(page, 'header.topbar')).toEqual([]);
          await page.getByRole('button', { name: 'Close menu' }).click();
        }
        expect(errors).toEqual([]);
        await page.close();
      }
    }, 600_000);
  }
});

describe('projector mode', () => {
  it('steps through a long section slide by slide with PageDown and leaves it only at its end; Esc returns to the same place', async () => {
    const { page, errors } = await open('?backend=wasm&present&section=math', SIZES[2]);
    const counter = page.getByTestId('slide-counter');
    const math = SECTIONS.find((s) => s.id === 'math')!;
    const next = SECTIONS[math.index + 1];
    const read = async () => {
      const m = (await counter.textContent())!.match(/^Section (\d+) · (\d+) of (\d+)$/)!;
      return { section: Number(m[1]), slide: Number(m[2]), of: Number(m[3]) };
    };
    const start = await read();
    // The counter agrees with the section numbers in the contents ("3. The math").
    expect(start).toMatchObject({ section: math.index, slide: 1 });
    expect(start.of).toBeGreaterThan(5);
    expect(page.url()).toMatch(/[?&]present(&|$)/);

    let at = start;
    let presses = 0;
    while (at.section === math.index && presses < 3 * start.of) {
      const scrolled = await page.evaluate(() => window.scrollY);
      const shown = await counter.textContent();
      await page.keyboard.press('PageDown');
      presses++;
      // Each press shows the next slide, or (on a slide taller than the screen) the rest of this one.
      await page.waitForFunction(
        ([before, y]) => document.querySelector('[data-testid="slide-counter"]')!.textContent !== before || window.scrollY > y,
        [shown, scrolled] as const,
        { polling: 50 },
      );
      const now = await read();
      if (now.section === math.index) {
        expect(now.slide === at.slide || now.slide === at.slide + 1, `after ${at.slide} came ${now.slide}`).toBe(true);
      } else {
        // Left only from the last slide, into the next section's first.
        expect(at.slide).toBe(at.of);
        expect(now).toMatchObject({ section: next.index, slide: 1 });
      }
      at = now;
    }
    expect(at.section).toBe(next.index);
    // The address follows the slide in an effect after the frame that shows it.
    await expect.poll(() => page.url()).toContain(`section=${next.id}`);

    // Back into the math section, to a slide with a live cell, and leave there.
    await page.keyboard.press('PageUp');
    await expect.poll(read).toMatchObject({ section: math.index, slide: start.of });
    let slideWithCell = await page.locator('.slide:not([hidden]) .cell').count();
    while (slideWithCell === 0) {
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() => window.scrollY === 0);
      slideWithCell = await page.locator('.slide:not([hidden]) .cell').count();
    }
    const cellId = await page.locator('.slide:not([hidden]) .cell').first().getAttribute('data-cell');
    await page.screenshot({ path: `${SHOTS}/projector-math-cell-1920-light.png` });
    expect(await axe(page, '.presenter')).toEqual([]);
    await page.keyboard.press('Escape');
    await page.locator('nav.toc').waitFor();
    await expect.poll(() => page.url()).not.toMatch(/[?&](present|slide)\b/);
    expect(page.url()).toContain('section=math');
    // The same place: that cell at the top of the screen, under the header, and the contents on its section.
    await page.waitForFunction(
      (id) => {
        const cell = document.querySelector(`.cell[data-cell="${id}"]`);
        const header = document.querySelector('.topbar')!.getBoundingClientRect().bottom;
        const top = cell?.getBoundingClientRect().top ?? -1;
        return top >= header - 1 && top < header + 160;
      },
      cellId,
      { timeout: 240_000, polling: 100 },
    );
    await expect.poll(() => page.locator('nav.toc a', { hasText: math.title }).getAttribute('aria-current')).toBe('location');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('draws chart text at 20 px or more, shows speaker notes with a timer and the next slide, light and dark', async () => {
    for (const scheme of ['light', 'dark'] as const) {
      const { page, errors } = await open('?backend=wasm&present&section=statistics', SIZES[2], scheme);
      // Forward to the first slide with a chart, and let it draw. Section 6's cells run by
      // themselves (in the compute worker): a slide has its chart once its cells are done.
      const settled = () =>
        page.waitForFunction(() =>
          [...document.querySelectorAll('.slide:not([hidden]) .cell')].every((c) => ['done', 'error'].includes(c.getAttribute('data-state') ?? '')),
        );
      await settled();
      while ((await page.locator('.slide:not([hidden]) [data-testid="plot"]').count()) === 0) {
        await showNextSlide(page);
        await settled();
      }
      await page.waitForFunction(
        () => [...document.querySelectorAll('.slide:not([hidden]) [data-testid="plot"]')].every((p) => p.getAttribute('data-ready') === 'true'),
        undefined,
        {
          timeout: 240_000,
          polling: 100,
        },
      );
      const sizes = await page
        .locator('.slide:not([hidden]) [data-testid="plot"] svg text')
        .evaluateAll((texts) => texts.filter((t) => (t.textContent ?? '').trim() !== '').map((t) => parseFloat(getComputedStyle(t).fontSize)));
      expect(sizes.length).toBeGreaterThan(5); // ticks, axis titles, legend
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(20);
      const prose = await page.locator('.presenter-slide').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
      expect(prose).toBeGreaterThanOrEqual(26);
      await page.screenshot({ path: `${SHOTS}/projector-chart-1920-${scheme}.png` });
      expect(await axe(page, '.presenter')).toEqual([]);

      if (scheme === 'light') {
        const [notes] = await Promise.all([page.waitForEvent('popup'), page.keyboard.press('n')]);
        await notes
          .getByTestId('notes-where')
          .filter({ hasText: /^Slide \d+ of \d+: / })
          .waitFor();
        expect(await notes.locator('.speaker-notes h1').textContent()).toContain('6. Checking the statistics');
        const timer = notes.getByTestId('notes-timer');
        expect(await timer.textContent()).toMatch(/Talk \d+:\d\d.*This slide \d+:\d\d/);
        const nextLine = notes.getByTestId('notes-next');
        expect(await nextLine.locator('h2').textContent()).toMatch(/^Next (slide|section: 7\. .+): .+/);
        expect((await notes.locator('.notes-text').textContent())!.length).toBeGreaterThan(200);
        await notes.setViewportSize({ width: 760, height: 900 });
        await notes.screenshot({ path: `${SHOTS}/speaker-notes-light.png` });
        // The notes follow the projector, and the slide timer starts again.
        await page.bringToFront();
        const where = await notes.getByTestId('notes-where').textContent();
        await showNextSlide(page);
        await expect.poll(() => notes.getByTestId('notes-where').textContent()).not.toBe(where);
        await expect.poll(() => timer.textContent()).toMatch(/This slide 0:0\d/);
        await notes.close();
      }
      expect(errors).toEqual([]);
      await page.close();
    }
  }, 600_000);
});

describe('keyboard help', () => {
  it('opens on "?", lists the shortcuts of the page and of projector mode, and closes on Esc', async () => {
    const { page, errors } = await open('?backend=wasm', SIZES[1]);
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    for (const text of ['Open the glossary', 'Run the cell that has focus', 'Next slide', 'Blank the screen', 'Leave projector mode'])
      expect(await dialog.textContent()).toContain(text);
    expect(await axe(page, '.keyboard-help')).toEqual([]);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(errors).toEqual([]);
    await page.close();
  });
});
