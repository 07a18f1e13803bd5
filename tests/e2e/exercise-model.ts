/** Shared by the e2e files that check exercise code: loading the model the checks run on. */
import type { Page } from 'playwright-core';

/**
 * Load the learns checkpoint from the first exercise's picker and wait until the exercise can be
 * checked; fail at once with the picker's message if loading failed, and with what the picker
 * shows if it never ends.
 */
export async function loadExerciseModel(page: Page) {
  const first = page.locator('[data-exercise="todo-1"]');
  await first
    .locator('.model-picker')
    .getByRole('button', { name: /learns recipe/ })
    .click();
  await first.locator('.cm-content').waitFor();
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
