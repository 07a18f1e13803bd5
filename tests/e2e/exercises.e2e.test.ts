/** The TODOs in Chromium: diagnose a mistake, pass once fixed, survive endless code, and feed Results. */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SOLUTIONS } from '../../src/exercises/solutions.ts';
import { useBuiltApp } from './browser.ts';
import { editorOf, loadExerciseModel } from './exercise-model.ts';

const env = useBuiltApp();

/** Replace the editor's text the way a student would: select all, type. */
async function typeCode(page: Page, exercise: string, code: string) {
  const content = await editorOf(page, exercise);
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
  await loadExerciseModel(page);
  return { page, errors };
}

/**
 * Wait for an exercise's verdict to name a problem. If the checker itself fails instead (its
 * own alert, with no test id), fail at once with what it said rather than after the timeout.
 */
async function problemShown(page: Page, exercise: string) {
  const problem = page.getByTestId(`${exercise}-problem`);
  const checkerFailed = page.locator(`[data-exercise="${exercise}"] .error[role="alert"]:not([data-testid])`);
  await problem.or(checkerFailed).first().waitFor({ timeout: 240_000 });
  if (await checkerFailed.count()) throw new Error(`${exercise}: the checker failed: ${await checkerFailed.first().textContent()}`);
}

describe('exercises in Chromium', () => {
  it('diagnoses a wrong loss, then passes the fixed one, and remembers it', async () => {
    const { page, errors } = await openExercises();
    const ex = page.locator('[data-exercise="todo-1"]');
    // The untouched starter points at its first blank.
    await ex.getByRole('button', { name: 'Check my code' }).click();
    expect(await page.getByTestId('todo-1-problem').textContent()).toBe('Line 12: This blank is still to fill in: run the model on xt and t.');

    await typeCode(page, 'todo-1', SOLUTIONS!['todo-1'].replace('tf.mean(picked)', 'tf.sum(picked)'));
    await page.keyboard.press('Shift+Enter');
    const checks = page.getByTestId('todo-1-checks');
    await expect.poll(() => checks.textContent(), { timeout: 240_000 }).toContain('Failed');
    expect(await checks.textContent()).toContain("Your loss is the sum over the masked positions. Section 3's formula is written as that sum");
    expect(await checks.textContent()).toContain('Public check: seed 0, t = 0.5 (public)');
    expect(await checks.textContent()).toContain('Hidden check 3: t = 0.8 (hidden');

    await typeCode(page, 'todo-1', SOLUTIONS!['todo-1']);
    await page.keyboard.press('Shift+Enter');
    await ex.getByText('All checks pass.').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('todo-1-status').textContent()).toContain('✓ Solved.');
    expect(await page.locator('nav.toc a', { hasText: 'Your turn' }).textContent()).toContain('1/3');

    // Code and progress survive a reload.
    await page.reload();
    const reloaded = await editorOf(page, 'todo-1');
    expect(await page.getByTestId('todo-1-status').textContent()).toMatch(/✓ Solved\. Attempts: 3\./);
    expect(await reloaded.textContent()).toContain('tf.neg(tf.mean(picked))');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('stops an endless loop with its line, and a hang with no loop by the time limit, while the page stays usable', async () => {
    const { page, errors } = await openExercises();
    await typeCode(page, 'todo-1', 'function computeSingleLoss(model, x0, xt, mask, t) {\n  let n = 0;\n  while (n >= 0) n++;\n}');
    await page.keyboard.press('Shift+Enter');
    const problem = page.getByTestId('todo-1-problem');
    await problem.waitFor({ timeout: 240_000 });
    expect(await problem.textContent()).toBe('Line 3: This loop was still running after 3 s. Is its condition ever false?');

    // No loop to guard: catastrophic regex backtracking. The worker is stopped and replaced.
    await typeCode(page, 'todo-1', "function computeSingleLoss() {\n  return /(a+)+b/.test('a'.repeat(40));\n}");
    await page.keyboard.press('Shift+Enter');
    await page.getByText('Running your code in a sandbox…').waitFor();
    // Meanwhile the page answers: the theme button works.
    const theme = page.getByRole('button', { name: /^Theme: / });
    const before = await theme.textContent();
    await theme.click();
    expect(await theme.textContent()).not.toBe(before);
    await expect.poll(() => problem.textContent(), { timeout: 240_000 }).toContain('still running after 5 s, so it was stopped');

    // And the next run gets a fresh worker.
    await typeCode(page, 'todo-1', SOLUTIONS!['todo-1']);
    await page.keyboard.press('Shift+Enter');
    await page.locator('[data-exercise="todo-1"]').getByText('All checks pass.').waitFor({ timeout: 240_000 });
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it("uses the student's predictMasked in Results once TODO 2 is solved, and says so", async () => {
    const { page, errors } = await openExercises();
    const by = page.getByTestId('predictions-by');
    const runPredictions = async () => {
      await page.locator('#results').scrollIntoViewIfNeeded();
      await page.locator('.cell[data-cell="predictions"] button.run').click();
      await page.locator('.cell[data-cell="predictions"][data-state="done"]').waitFor({ timeout: 240_000 });
      return by.textContent();
    };
    expect(await runPredictions()).toContain('the reference predictMasked (solve TODO 2');

    const ex = page.locator('[data-exercise="todo-2"]');
    // A natural first attempt with unsorted guesses is diagnosed.
    await typeCode(
      page,
      'todo-2',
      SOLUTIONS!['todo-2'].replace(
        '.map((token, j) => ({ token, prob: p[0][position][j] }));',
        '.map((token, j) => ({ token, prob: p[0][position][j] })).reverse();',
      ),
    );
    await ex.getByRole('button', { name: 'Check my code' }).click();
    await expect.poll(() => page.getByTestId('todo-2-checks').textContent(), { timeout: 240_000 }).toContain('is not sorted');

    await typeCode(page, 'todo-2', SOLUTIONS!['todo-2']);
    await ex.getByRole('button', { name: 'Check my code' }).click();
    await ex.getByText('All checks pass.').waitFor({ timeout: 240_000 });
    expect(await runPredictions()).toContain('your predictMasked from TODO 2');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('TODO 3, about the idea: points at its first blank, names a mistake, passes the reference', async () => {
    const { page, errors } = await openExercises();
    const ex = page.locator('[data-exercise="todo-3"]');
    await ex.getByRole('button', { name: 'Check my code' }).click();
    await expect
      .poll(() => page.getByTestId('todo-3-problem').textContent(), { timeout: 240_000 })
      .toBe('Line 13: This blank is still to fill in: the probability that a token masked at t is visible at s.');

    await typeCode(page, 'todo-3', SOLUTIONS!['todo-3'].replace('const reveal = (t - s) / t;', 'const reveal = s / t;'));
    await ex.getByRole('button', { name: 'Check my code' }).click();
    const checks = page.getByTestId('todo-3-checks');
    await expect.poll(() => checks.textContent(), { timeout: 240_000 }).toContain('That is the chance it stays hidden');
    // Said once: the other checks point back to it.
    expect(await checks.textContent()).toContain('The same mistake as above.');

    await typeCode(page, 'todo-3', SOLUTIONS!['todo-3']);
    await ex.getByRole('button', { name: 'Check my code' }).click();
    await ex.getByText('All checks pass.').waitFor({ timeout: 240_000 });
    expect(await ex.locator('.output-text').textContent()).toMatch(/^Your function returned x_s = (\d+|\[M\])( (\d+|\[M\])){31}$/);
    expect(await page.locator('nav.toc a', { hasText: 'Your turn' }).textContent()).toContain('1/3');
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('says "solved with the solution shown", and does not count it, when the revealed solution is checked', async () => {
    const { page, errors } = await openExercises();
    page.on('dialog', (d) => void d.accept());
    const ex = page.locator('[data-exercise="todo-2"]');
    await ex.getByRole('button', { name: 'Check my code' }).click(); // a first attempt unlocks Reveal
    await problemShown(page, 'todo-2');
    await ex.getByRole('button', { name: 'Reveal the solution' }).click();
    await expect.poll(() => ex.locator('.cm-content').textContent()).toContain('tf.topk(probs, k)');
    await ex.getByRole('button', { name: 'Check my code' }).click();
    await page.getByTestId('todo-2-borrowed').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('todo-2-borrowed').textContent()).toContain('solved with the solution shown, so it does not count as solved');
    expect(await page.getByTestId('todo-2-status').textContent()).toContain('Not solved yet.');
    expect(await page.locator('nav.toc a', { hasText: 'Your turn' }).textContent()).toContain('0/3');
    expect(await ex.getByText('The Results section now uses your predictMasked.').count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 600_000);

  it('hides solutions when the instructor asks (?solutions=off), and offers them only after an attempt otherwise', async () => {
    const page = await env.browser.newPage();
    await page.goto(env.app.url + '?backend=wasm&section=exercises&solutions=off');
    await editorOf(page, 'todo-1');
    expect(await page.getByRole('button', { name: 'Reveal the solution' }).count()).toBe(0);
    expect(await page.getByText('Your instructor has hidden the solutions').count()).toBe(3);
    await page.goto(env.app.url + '?backend=wasm&section=exercises');
    await editorOf(page, 'todo-2');
    expect(await page.locator('[data-exercise="todo-2"]').getByRole('button', { name: 'Reveal the solution' }).isDisabled()).toBe(true);
    // Hints come one rung at a time.
    const hint = page.locator('[data-exercise="todo-2"]').getByRole('button', { name: 'Show a hint' });
    await hint.click();
    expect(await page.locator('[data-exercise="todo-2"] .hints li').count()).toBe(1);
    await page.close();
  }, 600_000);
});
