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
 * Both train the same recipe: the Training section's default unless --recipe
 * names others (each is picked in the section as a learner would).
 *
 *   npm run bench:browser [-- wasm webgl webgpu] [-- --recipe NAME ...] [-- --json FILE]
 *
 * --json writes the figures to FILE: public/measured/step-times.json is the
 * lesson's copy (`-- wasm --recipe notebook --recipe curriculum --recipe fast`),
 * and section 8 quotes it.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { getRecipe, type Recipe } from '../src/core/recipes.ts';
import { DEFAULT_RECIPE } from '../src/ui/training/live-training.ts';
import { checkupEvery } from '../src/worker/session.ts';
import { launchBrowser, serveBuiltApp } from '../tests/e2e/browser.ts';

interface Plan {
  readonly backend: string;
  readonly warm: number;
  /** Steps timed: a number, or a whole check-up period of the recipe's own run. */
  readonly steps: number | 'check-up period';
}

// On wasm the lesson trains the recipe's whole run and is timed over one period between
// accuracy check-ups (ten a run): that window pays, in the share a real run does, for a
// check-up and for a save point every 50 steps (weights and Adam moments read back, posted,
// written to IndexedDB). Software GPUs are slow here (WebGPU on SwiftShader: ~20 s a step),
// so few steps on them, which miss those costs. The bare loop times 50 steps on wasm.
const PLANS: Plan[] = [
  { backend: 'wasm', warm: 3, steps: 'check-up period' },
  { backend: 'webgl', warm: 3, steps: 8 },
  { backend: 'webgpu', warm: 1, steps: 4 },
];
/** The steps the bare loop times: it has no check-ups, so 50 steps give its rate. */
const bareSteps = (plan: Plan) => (plan.steps === 'check-up period' ? 50 : plan.steps);
/** The lesson's run: its length, and the steps timed in it. */
function lessonRun(plan: Plan, recipe: Recipe): { total: number; timed: number } {
  if (plan.steps !== 'check-up period') return { total: plan.warm + plan.steps + 1, timed: plan.steps }; // ends after the window: its final check-up is not timed
  return { total: recipe.steps, timed: checkupEvery(recipe.steps) };
}
const { values, positionals: only } = parseArgs({
  options: { recipe: { type: 'string', multiple: true }, json: { type: 'string' } },
  allowPositionals: true,
});
const recipes: Recipe[] = (values.recipe ?? [DEFAULT_RECIPE]).map(getRecipe);

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

async function bare(plan: Plan, recipe: Recipe): Promise<number> {
  const { backend, warm } = plan;
  const steps = bareSteps(plan);
  const page = await browser.newPage();
  try {
    await page.goto(app.url + 'bench/index.html');
    const r = await page.evaluate((req) => window.runBare(req), { backend, recipe: recipe.name, warm, steps });
    if (r.backend !== backend) throw new Error(`the bare loop ran on ${r.backend}`);
    kernels = r.kernels;
    return r.msPerStep;
  } finally {
    await page.close();
  }
}

/** The lesson's own live run: ms/step between step `warm` and `warm + steps`, and the longest main-thread task meanwhile. */
async function lesson(plan: Plan, recipe: Recipe): Promise<{ msPerStep: number; longest: number; where: string; pageBusy: number; timed: number }> {
  const { backend, warm } = plan;
  const { total, timed: steps } = lessonRun(plan, recipe);
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
    await cell.getByRole('combobox', { name: 'Recipe' }).selectOption(recipe.name);
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
    // How much of the window the page's main thread spent in tasks (drawing the run, and this
    // bench's own polling): on 2 cores that time competes with the worker whenever the machine is busy.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const busy = async () => {
      const { metrics } = await cdp.send('Performance.getMetrics');
      const get = (name: string) => metrics.find((m) => m.name === name)?.value ?? Number.NaN;
      return { task: get('TaskDuration'), at: get('Timestamp') };
    };
    const t0 = (await reach(warm)).at;
    const busy0 = await busy();
    // Loading tfjs and compiling shaders is not training: count long tasks from here.
    await page.evaluate(() => ((window as unknown as { longest: number }).longest = 0));
    const { at: t1, longest } = await reach(warm + steps);
    const busy1 = await busy();
    const where = (await cell.textContent())?.includes('background worker') ? 'worker' : 'page';
    const badge = await page.getByTestId('train-backend').textContent();
    if (badge?.split(',')[0] !== backend) throw new Error(`the lesson trained on ${badge}`);
    return { msPerStep: (t1 - t0) / steps, longest, where, pageBusy: (busy1.task - busy0.task) / (busy1.at - busy0.at), timed: steps };
  } finally {
    await context.close();
  }
}

interface Run {
  readonly backend: string;
  readonly recipe: string;
  readonly batchSize: number;
  readonly dropout: number;
  readonly bareMsPerStep: number;
  readonly lessonMsPerStep: number;
  readonly overhead: number;
  readonly longestTaskMs: number;
  /** Share of the timed window the page's main thread spent in tasks. */
  readonly pageBusy: number;
  readonly timedSteps: number;
  readonly bareTimedSteps: number;
}
const runs: Run[] = [];
const loads = [
  `at the start: ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
];
console.log(`load average ${loadavg()[0].toFixed(1)} at the start`);
try {
  for (const plan of PLANS.filter((p) => only.length === 0 || only.includes(p.backend))) {
    for (const recipe of recipes) {
      const what = `${plan.backend.padEnd(6)} ${recipe.name} (batch ${recipe.batchSize}${recipe.dropout > 0 ? `, dropout ${recipe.dropout}` : ''})`;
      try {
        const before = await bare(plan, recipe);
        const ours = await lesson(plan, recipe);
        const after = await bare(plan, recipe);
        const reference = (before + after) / 2;
        const overhead = ours.msPerStep / reference - 1;
        loads.push(
          `after ${plan.backend} ${recipe.name}: ${loadavg()
            .map((x) => x.toFixed(2))
            .join(' ')}`,
        );
        runs.push({
          backend: plan.backend,
          recipe: recipe.name,
          batchSize: recipe.batchSize,
          dropout: recipe.dropout,
          bareMsPerStep: +reference.toFixed(1),
          lessonMsPerStep: +ours.msPerStep.toFixed(1),
          overhead: +overhead.toFixed(3),
          longestTaskMs: Math.round(ours.longest),
          pageBusy: +ours.pageBusy.toFixed(3),
          timedSteps: ours.timed,
          bareTimedSteps: bareSteps(plan),
        });
        console.log(
          `${what}: bare loop ${reference.toFixed(0)} ms/step (${before.toFixed(0)} before, ${after.toFixed(0)} after); ` +
            `lesson ${ours.msPerStep.toFixed(0)} ms/step in a ${ours.where} (page's main thread busy ${(100 * ours.pageBusy).toFixed(0)}% of the time): overhead ${(100 * overhead).toFixed(1)}% (target 10%, ratio ${(overhead / 0.1).toFixed(2)}); ` +
            `${ours.longest > 0 ? `longest main-thread task ${ours.longest.toFixed(0)} ms (target 50 ms, ratio ${(ours.longest / 50).toFixed(2)})` : 'no main-thread task of 50 ms or more (the long-task observer reports only those; target 50 ms)'}; ${ours.timed} timed steps after ${plan.warm} (bare loop: ${bareSteps(plan)})` +
            (kernels ? `\n       our kernels: ${kernels}` : ''),
        );
      } catch (e) {
        console.log(`${what} failed: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  }
} finally {
  await browser.close();
  await app.close();
}

if (values.json) {
  const record = {
    what: "Wall time of one training step, headless Chromium, milliseconds, per backend and recipe: in the Training section's run (the lesson's training worker; on wasm the recipe's whole run, timed over one period between accuracy check-ups, so with a check-up and a save point every 50 steps in the share a run has them) and in a bare loop of the engine's Trainer in a worker.",
    source: `npm run bench:browser -- ${only.join(' ')} ${recipes.map((r) => `--recipe ${r.name}`).join(' ')} --json FILE`.replace(/ +/g, ' '),
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, headless Debian Chromium`,
    kernels: kernels ?? null,
    runs,
    load: loads,
  };
  writeFileSync(values.json, JSON.stringify(record, null, 1) + '\n');
  console.log(`wrote ${values.json}`);
}
