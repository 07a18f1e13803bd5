/**
 * `npm run bench:words-browser`: a learner's live word run, measured. The
 * built lesson in headless Chromium, section 11's "Train one here" for N
 * steps (600 by default) in the training worker on wasm; every check-up as it
 * arrives: training seconds, bits per character, word-like shares, examples.
 *
 *   npm run bench:words-browser -- [--steps 600]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { launchBrowser, serveBuiltApp } from '../tests/e2e/browser.ts';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '600' } } });
const steps = Number(values.steps);

const app = await serveBuiltApp();
const browser = await launchBrowser();
try {
  const page = await browser.newPage();
  await page.goto(app.url + '?backend=wasm&section=beyond');
  const cell = page.locator('.cell[data-cell="real-words"]');
  await cell.getByRole('button', { name: 'Run', exact: true }).click();
  await page.locator('.cell[data-cell="real-words"][data-state="done"]').waitFor({ timeout: 300_000 });
  await cell.getByRole('textbox', { name: 'Training steps' }).fill(String(steps));
  const started = Date.now();
  await cell.getByRole('button', { name: `Train ${steps} steps` }).click();
  console.log(
    `load average at start ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
  console.log('wall s | status | check-up');
  let seen = '';
  for (;;) {
    const status = (await page.getByTestId('train-words-status').textContent()) ?? '';
    const checkup =
      (await page
        .getByTestId('train-words-checkup')
        .textContent()
        .catch(() => '')) ?? '';
    if (checkup && checkup !== seen) {
      seen = checkup;
      console.log(`${((Date.now() - started) / 1000).toFixed(0).padStart(5)} | ${status} | ${checkup}`);
    }
    if (/^(Completed|Stopped|Training failed|Training could not)/.test(status)) {
      console.log(status);
      break;
    }
    await page.waitForTimeout(1000);
  }
  console.log(
    `load average at end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
} finally {
  await browser.close();
  await app.close();
}
