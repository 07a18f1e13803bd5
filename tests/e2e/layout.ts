/** Layout checks shared by the e2e files: the three screen sizes, and what scrolls sideways. */
import type { Page } from 'playwright-core';

export const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'desktop', width: 1920, height: 1080 },
] as const;

const EVERY_SECTION = '.lesson > .lesson-section, .lesson-section > .prose, .cell-output { content-visibility: visible !important; }';

/**
 * Runs `check` with every section laid out, once every box that scrolls sideways says so.
 * A box in a section far from the screen is not laid out (content-visibility: auto), so its
 * cue (use-scroll-cues.ts) waits until the reader comes near; a check of the whole lesson
 * lays out every section first and waits for each box's ResizeObserver report.
 */
export async function withEverySectionLaidOut<T>(page: Page, check: () => Promise<T>): Promise<T> {
  await page.evaluate((css) => {
    const style = document.createElement('style');
    style.id = 'every-section-laid-out';
    style.textContent = css;
    document.head.append(style);
  }, EVERY_SECTION);
  try {
    await page.waitForFunction(
      () =>
        [...document.querySelectorAll<HTMLElement>('.math-display, .scroll-x, .data-table, .prose > table')].every(
          (box) => box.scrollWidth > box.clientWidth + 1 === (box.dataset.overflows === 'true'),
        ),
      undefined,
      { timeout: 60_000, polling: 100 },
    );
    return await check();
  } finally {
    await page.evaluate(() => document.getElementById('every-section-laid-out')?.remove());
  }
}

/**
 * How far the page reaches past the right edge of the screen (0 = nothing scrolls sideways), and what sticks out.
 * Sections, outputs and prose far from the screen skip rendering (content-visibility: auto) and keep the
 * layout they last had, at whatever width that was: for the check, all of them render now.
 */
export async function sideways(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate((css) => {
    const everySection = document.createElement('style');
    everySection.textContent = css;
    document.head.append(everySection);
    const root = document.documentElement;
    const width = root.clientWidth;
    const culprits: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1) continue;
      // Inside a box that scrolls (or clips, or contains its paint, as a chart's stage does) it may be wide.
      let boxed = false;
      for (let p = el.parentElement; p && !boxed; p = p.parentElement) {
        const style = getComputedStyle(p);
        boxed = ['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX) || /paint|strict|content/.test(style.contain);
      }
      if (!boxed) {
        const where = el.closest('[data-cell]')?.getAttribute('data-cell') ?? el.closest('section')?.id ?? 'page';
        culprits.push(`${el.tagName.toLowerCase()}.${String(el.getAttribute('class') ?? '').split(' ')[0]} in ${where}`);
      }
    }
    const overflow = root.scrollWidth - width;
    everySection.remove();
    return { overflow, culprits: culprits.slice(0, 8) };
  }, EVERY_SECTION);
}
