/**
 * Real words in the built app: section 11's word model writes words by
 * unmasking, step by step, with both samplers, and reports what they are
 * against the list it ships with; a fresh one trains in the worker, is
 * measured as it goes, and then writes the words. The list and weights load only when the
 * cell runs. axe in light and dark; screenshots in .artifacts/screenshots.
 */
import { mkdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { axe, useBuiltApp } from './browser.ts';
import { chartsDrawn } from './charts.ts';

const SHOTS = '.artifacts/screenshots';
const env = useBuiltApp();

describe('real words, in Chromium', () => {
  it('writes words letter by letter with both samplers and measures them against the list', async () => {
    mkdirSync(SHOTS, { recursive: true });
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(env.app.url + '?backend=wasm&section=beyond');
    const cell = page.locator('.cell[data-cell="real-words"]');
    await cell.waitFor();
    const fetched = () =>
      page.evaluate(() =>
        performance
          .getEntriesByType('resource')
          .map((r) => r.name)
          .filter((n) => /words\.txt|words-\d+\./.test(n)),
      );
    expect(await fetched()).toEqual([]); // nothing of it before the learner asks

    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.cell[data-cell="real-words"][data-state="done"]').waitFor({ timeout: 240_000 });
    expect((await fetched()).length).toBe(3); // the list, the weights, the training record

    // The reverse process on letters: 12 steps, all masks at step 0, a word (letters then end tokens) at the end.
    const step = page.getByTestId('words-step');
    expect(await step.textContent()).toBe('Step 12 of 12, t = 0.00');
    const rows = cell.locator('.letters');
    expect(await rows.count()).toBe(8);
    const final = await rows.first().locator('li').allTextContents();
    expect(final).toHaveLength(12);
    expect(final.join('')).toMatch(/^[a-z]*·*$/);
    await cell.getByRole('slider', { name: 'Step' }).fill('0');
    expect(await step.textContent()).toBe('Step 0 of 12, t = 1.00');
    expect((await rows.first().locator('li').allTextContents()).join('')).toBe('_'.repeat(12));
    await cell.getByRole('button', { name: 'Next step' }).click();
    expect(await step.textContent()).toBe('Step 1 of 12, t = 0.92');

    const summary = (await page.getByTestId('words-summary').textContent())!;
    expect(summary).toMatch(
      /^Of 64 words, \d+% are in the list \(\d+% are held-out words it never trained on\), \d+% are new, and \d+% are word-like\.$/,
    );
    const table = await page
      .getByTestId('words-quality')
      .locator('tbody tr')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => c.textContent ?? '')));
    expect(table.map((r) => r[0])).toEqual(['this model, ancestral (random order)', 'this model, confidence-based (surest first)']);
    const wordLike = table.map((r) => Number(r[5].replace('%', '')));
    expect(wordLike[0]).toBeGreaterThan(30); // the shipped model writes mostly word-like words
    expect(wordLike[1]).toBeGreaterThan(wordLike[0]); // and surest-first more so
    const verdicts = await cell.getByRole('list', { name: 'Generated words and what they are' }).locator('li').allTextContents();
    expect(verdicts.length).toBeGreaterThan(20);
    for (const v of verdicts)
      expect(v).toMatch(/^[★✓○✗] [a-z]+: (a real word|a real word the model never saw \(held out\)|new, word-like|new, not word-like)$/);
    expect(await page.getByTestId('words-record').textContent()).toMatch(
      /validation bits per character fell to \d\.\d\d, against 3\.58 for a bigram model and 4\.25 for a unigram model/,
    );
    const plot = cell.getByTestId('plot');
    await chartsDrawn(plot);

    // Another sampler, seed and step count; a bad setting is explained and cannot run.
    await cell.getByRole('textbox', { name: 'Steps', exact: true }).fill('99');
    expect(await cell.getByRole('alert').textContent()).toBe('Steps must be a whole number from 1 to 48.');
    expect(await cell.getByRole('button', { name: 'Write words' }).isDisabled()).toBe(true);
    await cell.getByRole('textbox', { name: 'Steps', exact: true }).fill('6');
    await cell.getByRole('combobox', { name: 'Sampler' }).selectOption('confidence');
    await cell.getByRole('textbox', { name: 'Seed' }).fill('7');
    await cell.getByRole('button', { name: 'Write words' }).click();
    await expect.poll(() => step.textContent(), { timeout: 240_000 }).toBe('Step 6 of 6, t = 0.00');
    expect(await cell.locator('.hint').first().textContent()).toContain(
      'confidence-based (surest first), 6 steps on a uniform time grid, temperature 1, seed 7',
    );

    // A fresh word model trained here, in the worker: check-ups as it goes, then it writes the words.
    await cell.getByRole('textbox', { name: 'Training steps' }).fill('60');
    await cell.getByRole('button', { name: 'Train 60 steps' }).click();
    const status = page.getByTestId('train-words-status');
    await expect
      .poll(() => status.textContent(), { timeout: 240_000 })
      .toMatch(/^Completed 60 steps\. Step 60 of 60, [\d.]+ steps\/s, \d+ s of training on wasm\.$/);
    const checkup = (await page.getByTestId('train-words-checkup').textContent())!;
    expect(checkup).toMatch(/^At step 60: \d\.\d\d bits per character\. Ancestral: \d+% word-like, \d+% real, [\d.]+ letters a word/);
    const livePlots = cell.locator('.train-words').getByTestId('plot');
    expect(await livePlots.count()).toBe(2);
    await chartsDrawn(livePlots);
    await cell.getByRole('button', { name: 'Write words with this model' }).click();
    await expect
      .poll(() => cell.locator('.hint').first().textContent(), { timeout: 240_000 })
      .toContain('Model: the word model trained here (60 steps).');

    // The sticky toolbar would sit over the cell's screenshot.
    await page.addStyleTag({ content: '.topbar { position: static !important; }' });
    await cell.scrollIntoViewIfNeeded();
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => document.documentElement.setAttribute('data-theme', t), theme);
      expect(await axe(page, '.cell[data-cell="real-words"]')).toEqual([]);
      await cell.screenshot({ path: `${SHOTS}/real-words-${theme}.png` });
    }
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);
});
