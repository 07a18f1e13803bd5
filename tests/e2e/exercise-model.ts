/** Shared by the e2e files that check exercise code: loading the model the checks run on. */
import type { Locator, Page } from 'playwright-core';
import { pickLearns } from './model-picker.ts';

/**
 * An exercise's code editor, ready to type in. The editor is made when it comes on screen
 * (CodeEditor.tsx), so this scrolls to it first, as a student would.
 */
export async function editorOf(page: Page, exercise: string): Promise<Locator> {
  const host = page.locator(`[data-exercise="${exercise}"] [data-testid="code-editor"]`);
  const content = host.locator('.cm-content');
  // Sections above may still be mounting their cells and push the editor off screen again:
  // scroll back to it until it has been made.
  for (const until = Date.now() + 240_000; !(await content.count());) {
    if (Date.now() > until)
      throw new Error(
        `the ${exercise} editor was never made; the exercise shows: ${await page.locator(`[data-exercise="${exercise}"]`).innerText()}`,
      );
    await host.scrollIntoViewIfNeeded();
    await content.waitFor({ timeout: 1000 }).catch(() => undefined);
  }
  return content;
}

/**
 * Load the learns checkpoint from the first exercise's picker and wait until the exercise can be
 * checked; fail at once with the picker's message if loading failed, and with what the picker
 * shows if it never ends.
 */
export async function loadExerciseModel(page: Page) {
  const first = page.locator('[data-exercise="todo-1"]');
  await pickLearns(first);
  await editorOf(page, 'todo-1');
  const ready = first.getByRole('button', { name: 'Check my code' }).and(page.locator(':not([disabled])'));
  const failed = first.locator('.model-picker [role="alert"]');
  try {
    await ready.or(failed).first().waitFor({ timeout: 240_000 });
  } catch {
    const picker = first.locator('.model-picker');
    throw new Error(`the model never loaded; the picker shows: ${(await picker.count()) ? await picker.innerText() : '(no picker)'}`);
  }
  if (await failed.count()) throw new Error(`loading the model failed: ${await failed.innerText()}`);
}
