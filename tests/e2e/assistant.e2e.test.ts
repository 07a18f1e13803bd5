/**
 * The glossary and the "Ask about this lesson" panel in the built app, in
 * real Chromium: the glossary by keyboard alone, the offline mode (the
 * lesson's own passages, with the network watched and then cut), and the
 * chat-server mode end to end against the stub chat server on another port (a cross-origin request from a
 * COEP page, which CORS must allow). axe checks both; screenshots in light and
 * dark land in .artifacts/screenshots.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sectionById } from '../../src/lesson/sections.ts';
import { startChatStub, type ChatStub } from '../helpers/chat-stub.ts';
import { axe, useBuiltApp } from './browser.ts';

const SHOTS = '.artifacts/screenshots';

const env = useBuiltApp();
let stub: ChatStub;
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  stub = await startChatStub();
});
afterAll(() => stub?.close());

async function open(query = '?backend=wasm') {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(env.app.url + query);
  await page.locator('.lesson-section').first().waitFor();
  return { page, errors };
}

const setTheme = (page: Page, theme: 'light' | 'dark') => page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);

describe('the glossary in Chromium', () => {
  it('opens with "/", finds a term, follows its link by keyboard, and hands focus back', async () => {
    const { page, errors } = await open();
    await page.locator('body').click({ position: { x: 5, y: 300 } }); // focus on the page, not a field
    await page.keyboard.press('/');
    const dialog = page.getByRole('dialog', { name: 'Glossary' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('glossary-search');

    await page.keyboard.type('elbo');
    const first = dialog.locator('.glossary-results li').first();
    await expect.poll(() => first.locator('dfn').textContent()).toBe('ELBO');
    expect(await dialog.getByRole('status').textContent()).toMatch(/^\d+ terms?$/);
    await setTheme(page, 'light');
    await page.screenshot({ path: `${SHOTS}/glossary-light.png` });
    await setTheme(page, 'dark');
    await page.screenshot({ path: `${SHOTS}/glossary-dark.png` });
    expect(await axe(page, '.glossary-backdrop')).toEqual([]);
    await setTheme(page, 'light');
    expect(await axe(page, '.glossary-backdrop')).toEqual([]);

    // ↓ to the first result's link, Enter follows it: the dialog closes and the lesson moves to the section.
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-section-link'))).toBe('math');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('nav.toc a', { hasText: sectionById('math')!.title }).getAttribute('aria-current')).toBe('location');
    await expect.poll(() => page.evaluate(() => location.search)).toContain('section=math');

    // Ctrl+K opens it too; Esc closes it and focus goes back to where it was.
    await page.getByRole('button', { name: 'Run all' }).focus();
    await page.keyboard.press('Control+k');
    await dialog.waitFor();
    await page.keyboard.type('zzqqxx');
    await expect.poll(() => dialog.getByRole('status').textContent()).toContain('No term matches');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Run all');

    // Not while typing: "/" in the seed field is just a character.
    await page.locator('#seed-input').focus();
    await page.keyboard.press('/');
    expect(await dialog.count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});

describe('the glossary in projector mode', () => {
  it('opens over the slide and closes without leaving projector mode', async () => {
    const { page, errors } = await open('?backend=wasm&present&section=why');
    const title = page.locator('.presenter-slide .lesson-section > h2');
    await expect.poll(() => title.textContent()).toContain('Why masking');
    await page.keyboard.press('/');
    const dialog = page.getByRole('dialog', { name: 'Glossary' });
    await dialog.waitFor();
    await page.keyboard.type('bert');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight'); // would move the slide if it escaped the dialog
    await page.keyboard.press('Escape'); // would leave projector mode if it escaped the dialog
    await dialog.waitFor({ state: 'detached' });
    expect(await title.textContent()).toContain('Why masking');
    expect(await page.locator('.presenter').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});

describe('Ask without a server, in Chromium', () => {
  it('answers from the lesson with nothing sent: the index loads only when Ask opens, then questions make no request at all', async () => {
    stub.requests.length = 0;
    const { page, errors } = await open('?backend=wasm&section=why');
    await expect.poll(() => page.locator('nav.toc a', { hasText: sectionById('why')!.title }).getAttribute('aria-current')).toBe('location');
    const indexLoaded = () => page.evaluate(() => performance.getEntriesByType('resource').some((r) => /lesson-index-[\w-]+\.js$/.test(r.name)));
    expect(await indexLoaded()).toBe(false); // not part of the first load

    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.getByRole('button', { name: 'Ask about this lesson' }).click();
    const panel = page.getByRole('dialog', { name: 'Ask about this lesson' });
    await panel.waitFor();
    expect(await panel.getByRole('radio', { name: 'The lesson, offline' }).isChecked()).toBe(true);
    await expect.poll(indexLoaded).toBe(true);
    // Opening fetched only the app's own files (the panel's chunk and the index) from the lesson's own server.
    expect(requests.some((url) => /lesson-index-[\w-]+\.js$/.test(url))).toBe(true);
    for (const url of requests) expect(url.startsWith(env.app.url), url).toBe(true);

    // From here on the browser is offline and every request is recorded: asking must not need one.
    requests.length = 0;
    await page.context().setOffline(true);
    await panel.getByRole('textbox', { name: 'Your question' }).fill('What is the ELBO?');
    await panel.getByRole('textbox', { name: 'Your question' }).press('Enter');
    const passages = panel.locator('.assistant-turn').first().locator('.lesson-passage');
    await expect.poll(() => passages.count()).toBeGreaterThanOrEqual(2);
    expect(await panel.getByText('From the lesson, quoted as written (not a generated answer):').count()).toBe(1);
    const sources = await passages.locator('.lesson-passage-source').allTextContents();
    expect(sources).toContain('Glossary ELBO (explained in section 3, The math)');
    expect(sources).toContain('Lesson text section 3, The math · Sum or average? And why neither is the ELBO');
    await passages.locator('.katex').first().waitFor(); // math as math, not TeX source
    await setTheme(page, 'light');
    expect(await axe(page, '.assistant-panel')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/ask-offline-light.png` });
    await setTheme(page, 'dark');
    expect(await axe(page, '.assistant-panel')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/ask-offline-dark.png` });

    // A suggested question works the same way.
    await panel.getByRole('group', { name: 'Suggested questions' }).getByRole('button').nth(1).click();
    await expect.poll(() => panel.locator('.assistant-turn').count()).toBe(2);
    await expect.poll(() => panel.locator('.assistant-turn').last().locator('.lesson-passage').count()).toBeGreaterThan(0);
    expect(requests).toEqual([]);
    expect(stub.requests).toEqual([]);
    await page.context().setOffline(false); // the section a link opens may load its figures

    // A passage's link takes the lesson to its section; the panel stays open beside it.
    await passages
      .filter({ hasText: 'Sum or average? And why neither is the ELBO' })
      .getByRole('link', { name: 'Go to section 3: The math' })
      .click();
    await expect.poll(() => page.locator('nav.toc a', { hasText: 'The math' }).getAttribute('aria-current')).toBe('location');
    await expect.poll(() => page.evaluate(() => location.search)).toContain('section=math');
    expect(await panel.isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});

describe('the assistant in Chromium', () => {
  it('asks for consent, then streams an answer from a server on another origin', async () => {
    stub.requests.length = 0;
    stub.reply({ kind: 'stream', pieces: ['Each token is hidden ', 'with probability $t$, ', '**independently**.'], delayMs: 30 });
    const { page, errors } = await open('?backend=wasm&section=math');
    await expect.poll(() => page.locator('nav.toc a', { hasText: 'The math' }).getAttribute('aria-current')).toBe('location');
    const rendererLoaded = () => page.evaluate(() => performance.getEntriesByType('resource').some((r) => /\/markdown-[\w-]+\.js$/.test(r.name)));
    expect(await rendererLoaded()).toBe(false); // marked and KaTeX are not part of the first load

    await page.getByRole('button', { name: 'Ask about this lesson' }).click();
    const panel = page.getByRole('dialog', { name: 'Ask about this lesson' });
    await panel.waitFor();
    await panel.getByRole('radio', { name: 'A chat server (opt-in)' }).check(); // the offline mode is the default
    await page.screenshot({ path: `${SHOTS}/assistant-settings-light.png` });
    await panel.getByLabel('Server address (API base)').fill(stub.base);
    await panel.getByLabel('Model').fill('stub-model');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByRole('heading', { name: 'Before you ask' }).waitFor();
    expect(await panel.textContent()).toContain(`${stub.base}/chat/completions`);
    await setTheme(page, 'light');
    expect(await axe(page, '.assistant-panel')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/assistant-consent-light.png` });
    expect(stub.requests).toHaveLength(0);

    await panel.getByRole('button', { name: 'Agree and continue' }).click();
    await panel.getByRole('textbox', { name: 'Your question' }).fill('What does the forward process do?');
    await panel.getByRole('button', { name: 'Ask', exact: true }).click();
    const answer = panel.locator('.assistant-answer').first();
    await expect.poll(() => answer.locator('strong').textContent(), { timeout: 240_000 }).toBe('independently');
    await answer.locator('.katex').first().waitFor();
    await panel.getByRole('button', { name: 'Ask', exact: true }).waitFor(); // the stream has ended
    expect(await rendererLoaded()).toBe(true);

    expect(stub.requests).toHaveLength(1);
    const [req] = stub.requests;
    expect(req.headers.origin).toBe(new URL(env.app.url).origin);
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body.messages![0].content).toContain(sectionById('math')!.text);
    expect(req.body.messages!.at(-1)).toEqual({ role: 'user', content: 'What does the forward process do?' });
    // No key, seed or progress in the address the page keeps.
    expect(await page.evaluate(() => location.search)).not.toMatch(/key|endpoint/i);

    expect(await axe(page, '.assistant-panel')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/assistant-light.png` });
    await setTheme(page, 'dark');
    expect(await axe(page, '.assistant-panel')).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/assistant-dark.png` });

    // A server error is explained and the question comes back for another try.
    stub.reply({ kind: 'error', status: 503, message: 'the model is loading' });
    await panel.getByRole('textbox', { name: 'Your question' }).fill('And the reverse?');
    await panel.getByRole('textbox', { name: 'Your question' }).press('Enter');
    const alert = panel.getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('503');
    expect(await alert.textContent()).toContain('the model is loading');
    expect(await panel.getByRole('textbox', { name: 'Your question' }).inputValue()).toBe('And the reverse?');
    await page.screenshot({ path: `${SHOTS}/assistant-error-dark.png` });

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Ask about this lesson');
    // The failed request is a console error of the browser's own ("Failed to load resource"); nothing else is.
    expect(errors.filter((e) => !/status of 503/.test(e))).toEqual([]);
    await page.close();
  }, 600_000);
});
