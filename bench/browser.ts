/**
 * `npm run bench:browser`: live training in headless Chromium, per backend
 * (WebGL and WebGPU through SwiftShader, WASM), against a bare loop.
 * - Reference: the engine's Trainer alone in a worker on a bench page
 *   (bench/bare), timed over the same steps after the same warm-up.
 * - The lesson: the Training section's run (its worker, progress messages,
 *   charts), timed from the page between the same two steps.
 * - Overhead = lesson ms/step / bare ms/step - 1, target 10% or less; and the
 *   longest main-thread task while it trains (PerformanceObserver 'longtask'),
 *   target 50 ms.
 * The bare loop runs before and after the lesson's; the reference is their mean.
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { build } from 'vite';
import { launchBrowser, serveBuiltApp } from '../tests/e2e/browser.ts';

interface Plan {
  readonly backend: string;
  readonly warm: number;
  readonly steps: number;
}

// wasm's window spans step 50, so it pays for what a real run pays every 50 steps: a save
// point (weights and Adam moments read back, posted, written to IndexedDB) and, in a run this
// short, an accuracy check-up too. Software GPUs are slow here (WebGPU on SwiftShader: ~20 s
// a step), so few steps on them, which miss those costs.
const PLANS: Plan[] = [
  { backend: 'wasm', warm: 3, steps: 50 },
  { backend: 'webgl', warm: 3, steps: 8 },
  { backend: 'webgpu', warm: 1, steps: 4 },
];
const only = process.argv.slice(2);

const app = await serveBuiltApp();
await build({
  root: 'bench/bare',
  base: './',
  configFile: false,
  logLevel: 'error',
  build: { outDir: join(app.outDir, 'bench'), emptyOutDir: true },
});
const browser = await launchBrowser();

let kernels: string | undefined;

async function bare({ backend, warm, steps }: Plan): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.goto(app.url + 'bench/index.html');
    const r = await page.evaluate((req) => window.runBare(req), { backend, warm, steps });
    if (r.backend !== backend) throw new Error(`the bare loop ran on ${r.backend}`);
    kernels = r.kernels;
    return r.msPerStep;
  } finally {
    await page.close();
  }
}

/** The lesson's own live run: ms/step between step `warm` and `warm + steps`, and the longest main-thread task meanwhile. */
async function lesson({ backend, warm, steps }: Plan): Promise<{ msPerStep: number; longest: number; where: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.addInitScript(() => {
      const w = window as unknown as { longest: number };
      w.longest = 0;
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.longest = Math.max(w.longest, e.duration);
      }).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(app.url + `?backend=${backend}&section=training`);
    const cell = page.locator('.cell[data-cell="model-source"]');
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.cell[data-cell="model-source"][data-state="done"]').waitFor({ timeout: 120_000 });
    const total = warm + steps + 1; // ends after the timed window, so the final check-up is not timed
    await cell.getByRole('textbox', { name: 'Steps' }).fill(String(total));
    await cell.getByRole('button', { name: `Train ${total} steps` }).click();
    // The page's clock when the progress line first shows step n (polled every 5 ms), and the
    // longest task so far, read in that same poll: the run ends a step later, and what the page
    // does then (building the finished model) is not training.
    const reach = (n: number) =>
      page
        .waitForFunction(
          (n) => {
            const m = document.querySelector('[data-testid="train-progress"]')?.textContent?.match(/Step (\d+)/);
            const longest = (window as unknown as { longest: number }).longest;
            return m && Number(m[1]) >= n ? { at: performance.now(), longest } : null;
          },
          n,
          { polling: 5, timeout: 900_000 },
        )
        .then((h) => h.jsonValue() as Promise<{ at: number; longest: number }>);
    const t0 = (await reach(warm)).at;
    // Loading tfjs and compiling shaders is not training: count long tasks from here.
    await page.evaluate(() => ((window as unknown as { longest: number }).longest = 0));
    const { at: t1, longest } = await reach(warm + steps);
    const where = (await cell.textContent())?.includes('background worker') ? 'worker' : 'page';
    const badge = await page.getByTestId('train-backend').textContent();
    if (badge?.split(',')[0] !== backend) throw new Error(`the lesson trained on ${badge}`);
    return { msPerStep: (t1 - t0) / steps, longest, where };
  } finally {
    await context.close();
  }
}

console.log(`load average ${loadavg()[0].toFixed(1)} at the start`);
try {
  for (const plan of PLANS.filter((p) => only.length === 0 || only.includes(p.backend))) {
    try {
      const before = await bare(plan);
      const ours = await lesson(plan);
      const after = await bare(plan);
      const reference = (before + after) / 2;
      const overhead = ours.msPerStep / reference - 1;
      console.log(
        `${plan.backend.padEnd(6)} bare loop ${reference.toFixed(0)} ms/step (${before.toFixed(0)} before, ${after.toFixed(0)} after); ` +
          `lesson ${ours.msPerStep.toFixed(0)} ms/step in a ${ours.where}: overhead ${(100 * overhead).toFixed(1)}% (target 10%, ratio ${(overhead / 0.1).toFixed(2)}); ` +
          `${ours.longest > 0 ? `longest main-thread task ${ours.longest.toFixed(0)} ms (target 50 ms, ratio ${(ours.longest / 50).toFixed(2)})` : 'no main-thread task of 50 ms or more (the long-task observer reports only those; target 50 ms)'}; ${plan.steps} timed steps after ${plan.warm}` +
          (kernels ? `\n       our kernels: ${kernels}` : ''),
      );
    } catch (e) {
      console.log(`${plan.backend.padEnd(6)} failed: ${(e as Error).message.split('\n')[0]}`);
    }
  }
} finally {
  await browser.close();
  await app.close();
}
