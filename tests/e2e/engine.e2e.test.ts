/** The engine in a real browser: backend choice and fallback, the model, the forward process. */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, serveBuiltApp } from './browser.ts';

let browser: Browser;
let app: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  app = await serveBuiltApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

async function open(query = '') {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  page.on('console', (m) => m.type() === 'warning' && console.warn(query, m.text()));
  await page.goto(app.url + query);
  try {
    await page.getByTestId('param-count').waitFor({ timeout: 120_000 });
  } catch (e) {
    throw new Error(`page ${query} never got ready: "${await page.textContent('body')}"; errors: ${JSON.stringify(errors)}`, { cause: e });
  }
  return { page, errors };
}

describe('engine in Chromium', () => {
  it('starts the best backend and builds the 156,304-parameter model', async () => {
    const { page, errors } = await open();
    expect(await page.getByTestId('param-count').textContent()).toBe('156,304');
    expect(['webgpu', 'webgl', 'wasm', 'cpu']).toContain(await page.getByTestId('backend').textContent());
    const x0 = (await page.getByTestId('x0').textContent())!.split(' ').map(Number);
    const xt = (await page.getByTestId('xt').textContent())!.split(' ');
    expect(x0).toHaveLength(32);
    xt.forEach((tok, i) => expect(tok === '[M]' || Number(tok) === x0[i]).toBe(true));
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(['wasm', 'cpu'])('falls back and says why when only %s is allowed after a missing backend', async (backend) => {
    const { page, errors } = await open(`?backend=nonesuch,${backend}`);
    expect(await page.getByTestId('backend').textContent()).toBe(backend);
    expect(await page.textContent('body')).toContain('nonesuch: not available in this build');
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(['wasm', 'cpu', 'webgl', 'webgpu'])('trains on %s in the browser', async (backend) => {
    const { page, errors } = await open(`?backend=${backend}`);
    expect(await page.getByTestId('backend').textContent()).toBe(backend);
    await page.getByRole('button', { name: 'Run two training steps here' }).click();
    const items = page.getByTestId('train-steps').locator('li');
    await items.nth(1).waitFor({ timeout: 150_000 });
    for (const text of await items.allTextContents()) {
      const [, loss, norm] = text.match(/loss ([\d.]+), gradient norm ([\d.]+)/)!;
      expect(Number(loss)).toBeGreaterThan(1);
      expect(Number(loss)).toBeLessThan(5);
      expect(Number(norm)).toBeGreaterThan(0);
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 200_000);
});
