/** A chart's menu opens over what follows it, even past the end of its section (sections are contained for speed). */
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from './browser.ts';

const env = useBuiltApp();

describe('a chart menu at the end of a section', () => {
  it('shows every item over the next section and takes their clicks', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1366, height: 768 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.app.url + '?backend=wasm&section=statistics');
    await page.getByRole('button', { name: 'Run all' }).click();
    const toggle = page.locator('#statistics .plot-menu-toggle').last();
    await toggle.waitFor({ timeout: 240_000 });
    await toggle.scrollIntoViewIfNeeded();
    // Make that chart the last thing in its section, so its menu must open past the section's end.
    await page.evaluate(() => {
      const t = [...document.querySelectorAll('#statistics .plot-menu-toggle')].pop()!;
      const hideAfter = (el: Element) => {
        for (let n = el.nextElementSibling; n; n = n.nextElementSibling) (n as HTMLElement).style.display = 'none';
      };
      for (let el = t.closest('.plot'); el && el.id !== 'statistics'; el = el.parentElement) hideAfter(el);
    });
    await toggle.click();
    const menu = page.locator('#statistics .plot-menu-items');
    const box = (await menu.boundingBox())!;
    const section = (await page.locator('#statistics').boundingBox())!;
    expect(box.y + box.height).toBeGreaterThan(section.y + section.height); // it does reach past the section
    const hit = await menu.evaluate((m) => {
      const r = m.getBoundingClientRect();
      const el = document.elementFromPoint(r.left + r.width / 2, r.bottom - 8);
      return !!el && m.contains(el);
    });
    expect(hit).toBe(true);
    await menu.getByRole('button', { name: 'Show data table' }).click({ trial: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
