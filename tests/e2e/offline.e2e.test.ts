/** Offline use and updates: the service worker precaches the build, and a new deploy is offered, never forced. */
import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useBuiltApp } from './browser.ts';

const env = useBuiltApp();

describe('the lesson offline', () => {
  it('works offline after the first visit, and offers a new version instead of swapping it in', async () => {
    const context = await env.browser.newContext();
    let page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(env.app.url + '?backend=wasm&section=masking');
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 240_000 });

    await context.setOffline(true);
    await page.reload();
    // The figure needs no input: it runs by itself once on screen, from the cache.
    const cell = page.locator('.cell[data-cell="forward-figure"]');
    await cell.scrollIntoViewIfNeeded();
    await page.locator('.cell[data-cell="forward-figure"][data-state="done"]').waitFor({ timeout: 240_000 });
    expect(await cell.locator('ol.tokens').count()).toBe(6);
    await context.setOffline(false);

    // A new deploy: the worker script changes. The page offers it, and switches only when asked.
    const swPath = `${env.app.outDir}/sw.js`;
    const sw = readFileSync(swPath, 'utf8');
    const oldVersion = sw.match(/const CACHE = 'unmask-(\w+)'/)![1];
    writeFileSync(swPath, sw.replaceAll(oldVersion, 'e2e0update00'));
    try {
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
      const prompt = page.locator('.update-prompt');
      await prompt.waitFor({ timeout: 240_000 });
      expect(await page.evaluate(() => caches.keys())).toContain(`unmask-${oldVersion}`);
      // Either the page reloads into the new version at once, or (when the old version is still
      // busy) the prompt says it will load next time. Both are honest; a silent swap is not.
      // The reload can come before click() returns, so listen for it first.
      const reloaded = page.waitForEvent('framenavigated', { timeout: 240_000 }).then(
        () => 'reloaded',
        () => 'no reload',
      );
      await prompt.getByRole('button', { name: 'Reload to update' }).click();
      const deferred = prompt
        .getByText('will load the next time the lesson opens')
        .waitFor({ timeout: 240_000 })
        .then(
          () => 'deferred',
          () => 'no deferral',
        );
      const outcome = await Promise.race([reloaded, deferred]);
      expect(['reloaded', 'deferred']).toContain(outcome);
      // Closing the lesson and opening it again always lands on the new version.
      await page.close();
      page = await context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(env.app.url + '?backend=wasm&section=masking');
      await page.locator('.lesson-section').first().waitFor();
      // The new version's cache, and the previous one kept for tabs that still run it (until the next deploy).
      await expect
        .poll(async () => (await page.evaluate(() => caches.keys())).sort(), { timeout: 240_000 })
        .toEqual(['unmask-e2e0update00', 'unmask-meta', `unmask-${oldVersion}`].sort());
      expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toContain('sw.js');
      expect(await page.locator('.update-prompt').count()).toBe(0);
    } finally {
      writeFileSync(swPath, sw);
    }
    // The shipped weights are cached too: offline, the new version loads them and runs the model.
    await context.setOffline(true);
    await page.goto(env.app.url + '?backend=wasm&section=results');
    await page
      .locator('.cell[data-cell="predictions"] .model-picker')
      .getByRole('button', { name: /learns recipe/ })
      .click();
    await page.locator('.cell[data-cell="predictions"] button.run:not([disabled])').click();
    await page.locator('.cell[data-cell="predictions"][data-state="done"]').waitFor({ timeout: 240_000 });
    await context.setOffline(false);
    expect(errors).toEqual([]);
    await context.close();
  }, 600_000);
});
