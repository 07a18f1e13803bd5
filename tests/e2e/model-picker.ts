/** Loading the shipped learns checkpoint from a cell's model picker, as set-up for a test. */
import type { Locator } from 'playwright-core';

/**
 * Press "Load the learns recipe" in the picker under `scope`. Dispatched on the button itself,
 * not aimed by coordinates: a page opened at one section mounts the cells of the sections above
 * meanwhile, and on a loaded machine one grew between Playwright's hit test and its mouse press,
 * so the press missed and nothing loaded (CI, stop 28). Tests of the click itself click.
 */
export async function pickLearns(scope: Locator): Promise<void> {
  await scope
    .locator('.model-picker')
    .getByRole('button', { name: /learns recipe/ })
    .dispatchEvent('click');
}
