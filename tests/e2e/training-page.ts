/** Steps a learner takes in the built app's Training section, shared by the e2e files that train. */
import type { Locator, Page, Worker } from 'playwright-core';
import type { BuiltApp } from './browser.ts';

/** Open the lesson at a section and run one of its cells; console errors are collected. */
export function opener(env: BuiltApp) {
  return async (query: string, cellId: string) => {
    const page = await env.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(env.app.url + query);
    // A section's cells load as it nears the screen, and the first screen is the lesson's
    // opening, above section 0: a reader scrolls down to the section, and so does this.
    await page.locator(`#${new URLSearchParams(query).get('section') ?? 'setup'}`).scrollIntoViewIfNeeded();
    const cell = page.locator(`.cell[data-cell="${cellId}"]`);
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    try {
      await page.locator(`.cell[data-cell="${cellId}"][data-state="done"]`).waitFor({ timeout: 240_000 });
    } catch (e) {
      throw new Error(`cell ${cellId} never finished: "${await cell.textContent()}"; errors: ${JSON.stringify(errors)}`, { cause: e });
    }
    return { page, errors, cell };
  };
}

/** Set the steps and press Train, as a learner does. */
export async function startTraining(cell: Locator, steps: number): Promise<void> {
  await cell.getByRole('textbox', { name: 'Steps' }).fill(String(steps));
  await cell.getByRole('button', { name: `Train ${steps} steps` }).click();
}

/** The step the progress line shows, 0 before it appears. */
export async function currentStep(page: Page): Promise<number> {
  return Number(
    (
      await page
        .getByTestId('train-progress')
        .textContent()
        .catch(() => '')
    )?.match(/Step (\d+)/)?.[1] ?? 0,
  );
}

/** The training worker of a page (its script is bundled as training.worker-<hash>.js). */
export async function trainingWorker(page: Page): Promise<Worker> {
  const find = () => page.workers().find((w) => w.url().includes('training.worker'));
  for (let i = 0; i < 600 && !find(); i++) await page.waitForTimeout(100);
  const worker = find();
  if (!worker) throw new Error(`no training worker among ${JSON.stringify(page.workers().map((w) => w.url()))}`);
  return worker;
}
