/** The TODOs in Chromium: diagnose a mistake, pass once fixed, survive endless code, and feed Results. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EXERCISES } from '../../src/exercises/exercises.ts';
import { useBuiltApp } from './browser.ts';

const env = useBuiltApp();

/** Replace the editor's text the way a student would: select all, type. */
async function typeCode(page: Page, exercise: string, code: string) {
  const content = page.locator(`[data-exercise="${exercise}"] .cm-content`);
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

async function openExercises() {
  const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(env.app.url + '?backend=wasm&section=exercises');
  const first = page.locator('[data-exercise="todo-1"]');
  await first.locator('.model-picker').getByRole('button', { name: /learns recipe/ }).click();
  await first.locator('.cm-content').waitFor();
  await first.getByRole('button', { name: 'Check my code' }).and(page.locator(':not([disabled])')).waitFor({ timeout: 60_000 });
  return { page, errors };
}

describe('exercises in Chromium', () => {
  it('diagnoses a wrong loss, then passes the fixed one, and remembers it', async () => {
    const { page, errors } = await openExercises();
    const ex = page.locator('[data-exercise="todo-1"]');
    // The untouched starter points at its first blank.
    await ex.getByRole('button', { name: 'Check my code' }).click();
    expect(await page.getByTestId('todo-1-problem').textContent()).toBe('Line 12: This blank is still to fill in: run the model on xt and t.');

    await typeCode(page, 'todo-1', EXERCISES['todo-1'].solution.replace('tf.mean(picked)', 'tf.sum(picked)'));
    await page.keyboard.press('Shift+Enter');
    const checks = page.getByTestId('todo-1-checks');
    await expect.poll(() => checks.textContent(), { timeout: 60_000 }).toContain('Failed');
    expect(await checks.textContent()).toContain("sum over the masked positions. The lesson's loss is their mean");
    expect(await checks.textContent()).toContain('Public check: seed 0, t = 0.5 (public)');
    expect(await checks.textContent()).toContain('Hidden check 3: t = 0.8 (hidden');

    await typeCode(page, 'todo-1', EXERCISES['todo-1'].solution);
    await page.keyboard.press('Shift+Enter');
    await ex.getByText('All checks pass.').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('todo-1-status').textContent()).toContain('✓ Solved.');
    expect(await page.locator('nav.toc a', { hasText: 'Your turn' }).textContent()).toContain('1/2');

    // Code and progress survive a reload.
    await page.reload();
    await page.locator('[data-exercise="todo-1"] .cm-content').waitFor();
    expect(await page.getByTestId('todo-1-status').textContent()).toMatch(/✓ Solved\. Attempts: 3\./);
    expect(await page.locator('[data-exercise="todo-1"] .cm-content').textContent()).toContain('tf.neg(tf.mean(picked))');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('stops an endless loop with its line, and a hang with no loop by the time limit, while the page stays usable', async () => {
    const { page, errors } = await openExercises();
    await typeCode(page, 'todo-1', 'function computeSingleLoss(model, x0, xt, mask, t) {\n  let n = 0;\n  while (n >= 0) n++;\n}');
    await page.keyboard.press('Shift+Enter');
    const problem = page.getByTestId('todo-1-problem');
    await problem.waitFor({ timeout: 30_000 });
    expect(await problem.textContent()).toBe('Line 3: This loop was still running after 3 s. Is its condition ever false?');

    // No loop to guard: catastrophic regex backtracking. The worker is stopped and replaced.
    await typeCode(page, 'todo-1', "function computeSingleLoss() {\n  return /(a+)+b/.test('a'.repeat(40));\n}");
    await page.keyboard.press('Shift+Enter');
    await page.getByText('Running your code in a worker…').waitFor();
    // Meanwhile the page answers: the theme button works.
    const theme = page.getByRole('button', { name: /^Theme: / });
    const before = await theme.textContent();
    await theme.click();
    expect(await theme.textContent()).not.toBe(before);
    await expect.poll(() => problem.textContent(), { timeout: 30_000 }).toContain('still running after 5 s, so it was stopped');

    // And the next run gets a fresh worker.
    await typeCode(page, 'todo-1', EXERCISES['todo-1'].solution);
    await page.keyboard.press('Shift+Enter');
    await page.locator('[data-exercise="todo-1"]').getByText('All checks pass.').waitFor({ timeout: 60_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it("uses the student's predictMasked in Results once TODO 2 is solved, and says so", async () => {
    const { page, errors } = await openExercises();
    const by = page.getByTestId('predictions-by');
    const runPredictions = async () => {
      await page.locator('#results').scrollIntoViewIfNeeded();
      await page.locator('.cell[data-cell="predictions"] button.run').click();
      await page.locator('.cell[data-cell="predictions"][data-state="done"]').waitFor({ timeout: 60_000 });
      return by.textContent();
    };
    expect(await runPredictions()).toContain('the reference predictMasked (solve TODO 2');

    const ex = page.locator('[data-exercise="todo-2"]');
    // A natural first attempt with unsorted guesses is diagnosed.
    await typeCode(page, 'todo-2', EXERCISES['todo-2'].solution.replace(".map((token, j) => ({ token, prob: p[0][position][j] }));", ".map((token, j) => ({ token, prob: p[0][position][j] })).reverse();"));
    await ex.getByRole('button', { name: 'Check my code' }).click();
    await expect.poll(() => page.getByTestId('todo-2-checks').textContent(), { timeout: 60_000 }).toContain('is not sorted');

    await typeCode(page, 'todo-2', EXERCISES['todo-2'].solution);
    await ex.getByRole('button', { name: 'Check my code' }).click();
    await ex.getByText('All checks pass.').waitFor({ timeout: 60_000 });
    expect(await runPredictions()).toContain('your predictMasked from TODO 2');
    expect(errors).toEqual([]);
    await page.close();
  }, 240_000);

  it('hides solutions when the instructor asks (?solutions=off), and offers them only after an attempt otherwise', async () => {
    const page = await env.browser.newPage();
    await page.goto(env.app.url + '?backend=wasm&section=exercises&solutions=off');
    await page.locator('[data-exercise="todo-1"] .cm-content').waitFor();
    expect(await page.getByRole('button', { name: 'Reveal the solution' }).count()).toBe(0);
    expect(await page.getByText('Your instructor has hidden the solutions').count()).toBe(2);
    await page.goto(env.app.url + '?backend=wasm&section=exercises');
    await page.locator('[data-exercise="todo-2"] .cm-content').waitFor();
    expect(await page.locator('[data-exercise="todo-2"]').getByRole('button', { name: 'Reveal the solution' }).isDisabled()).toBe(true);
    // Hints come one rung at a time.
    const hint = page.locator('[data-exercise="todo-2"]').getByRole('button', { name: 'Show a hint' });
    await hint.click();
    expect(await page.locator('[data-exercise="todo-2"] .hints li').count()).toBe(1);
    await page.close();
  }, 120_000);
});
