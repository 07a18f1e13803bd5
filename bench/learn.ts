/**
 * `npm run bench:learn`: time-to-learn, measured as the goal states it.
 *
 * 1. The lesson: build and serve the app, open it in headless Chromium with
 *    `?backend=wasm`, go to section 8 (Training), pick the recipe in the
 *    Recipe dropdown, press Train, wait until the trained model is the page's
 *    model, and download it with the Download button. Wall time runs from the
 *    press of Train to the trained model in place: worker start-up, tfjs
 *    loading, the run's check-ups and saves all count, as they do for a learner.
 * 2. The reference, in the same run: `unmask train` with the same recipe,
 *    steps and seed in Node (wall time of the whole command).
 * 3. Both models are scored here in Node with the engine's `evaluate`, 1000
 *    sequences a ratio (seed 1234): the ratios `unmask eval` reports up to 0.8
 *    (the same numbers it prints) and t = 0.8 itself. The gap is accuracy
 *    minus the exact best possible on the same sequences.
 *
 *   npm run bench:learn [-- --recipe NAME] [-- --steps N] [-- --seed S] [-- --seqs N] [-- --json FILE]
 *
 * --json also writes the figures to FILE (public/measured/time-to-learn.json is the
 * record the lesson quotes).
 *
 * The machine's load (os.loadavg) is printed before, between and after, since
 * on a shared machine the wall times mean little without it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchBrowser, serveBuiltApp } from '../tests/e2e/browser.ts';
import { useNodeBackend } from '../src/cli/node.ts';
import { loadWeights } from '../src/core/checkpoint.ts';
import { DEFAULT_MODEL } from '../src/core/config.ts';
import { evaluate } from '../src/core/metrics.ts';
import { DiffusionLM } from '../src/core/model.ts';
import { getRecipe, initOptions, type Recipe } from '../src/core/recipes.ts';
import { Rng } from '../src/core/rng.ts';
import { DEFAULT_RECIPE } from '../src/ui/training/live-training.ts';
import { CRITERION_RATIOS, GOAL_SECONDS, T_MAX, TARGET_POINTS } from './learned.ts';

const { values } = parseArgs({
  options: {
    recipe: { type: 'string', default: DEFAULT_RECIPE },
    steps: { type: 'string' },
    seed: { type: 'string', default: '42' },
    seqs: { type: 'string', default: '1000' },
    json: { type: 'string' },
  },
});
const recipe = getRecipe(values.recipe!);
const steps = Number(values.steps ?? recipe.steps);
const seed = Number(values.seed);
const seqs = Number(values.seqs);
for (const [name, n] of [
  ['steps', steps],
  ['seed', seed],
  ['seqs', seqs],
] as const) {
  if (!Number.isInteger(n) || n < (name === 'seed' ? 0 : 1)) throw new RangeError(`--${name} must be a whole number, got ${n}`);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'unmask-learn-'));

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
const loads: string[] = [`before: ${load()}`];

interface Run {
  readonly where: string;
  readonly wallMs: number;
  readonly file: string;
}

/** The lesson's Training section, driven as a learner drives it. */
async function inTheLesson(): Promise<Run> {
  const app = await serveBuiltApp();
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(app.url + '?backend=wasm&section=training');
    const cell = page.locator('.cell[data-cell="model-source"]');
    await cell.getByRole('button', { name: 'Run', exact: true }).click();
    await page.locator('.cell[data-cell="model-source"][data-state="done"]').waitFor({ timeout: 120_000 });
    await cell.getByRole('combobox', { name: 'Recipe' }).selectOption(recipe.name);
    // Choosing a recipe fills in its own steps; a different count is typed, as a learner would.
    const stepsBox = cell.getByRole('textbox', { name: 'Steps' });
    if ((await stepsBox.inputValue()) !== String(steps)) await stepsBox.fill(String(steps));
    const label = page.getByTestId('model-label');
    const trained = `trained here: ${steps} steps of the ${recipe.name} recipe`;
    const train = cell.getByRole('button', { name: `Train ${steps} steps` });
    const t0 = Date.now();
    await train.click();
    await page.waitForFunction((want) => document.querySelector('[data-testid="model-label"]')?.textContent === want, trained, {
      polling: 200,
      timeout: 3_600_000,
    });
    const wallMs = Date.now() - t0;
    const badge = await page.getByTestId('train-backend').textContent();
    if (badge?.split(',')[0] !== 'wasm') throw new Error(`the lesson trained on ${badge}, not wasm`);
    if ((await label.textContent()) !== trained) throw new Error(`the page's model is "${await label.textContent()}"`);
    const [download] = await Promise.all([page.waitForEvent('download'), cell.getByRole('button', { name: 'Download the current model' }).click()]);
    const file = join(work, 'lesson.safetensors');
    await download.saveAs(file);
    const where = (await cell.textContent())?.includes('background worker') ? 'Chromium, wasm, worker' : 'Chromium, wasm, on the page';
    await context.close();
    return { where, wallMs, file };
  } finally {
    await browser.close();
    await app.close();
  }
}

/** `unmask train` in its own process, timed from spawn to exit. */
function inNode(): Promise<Run> {
  const file = join(work, 'node.safetensors');
  const args = ['bin/unmask.mjs', 'train', '--preset', recipe.name, '--steps', String(steps), '--seed', String(seed), '--out', file];
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-2000)));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolve({ where: 'Node, wasm (unmask train)', wallMs: Date.now() - t0, file });
      else reject(new Error(`unmask train exited ${code}: ${err.trim().split('\n').pop()}`));
    });
  });
}

interface Scored {
  readonly t: number;
  readonly accuracy: number;
  readonly best: number;
}

async function score(file: string, r: Recipe): Promise<Scored[]> {
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0), initOptions(r));
  try {
    const meta = loadWeights(model, new Uint8Array(readFileSync(file)));
    const e = await evaluate(model, { seqsPerRatio: seqs, ratios: [...CRITERION_RATIOS], elbo: false, ignoreTime: meta.ignore_time === 'true' });
    return e.ratios.map((x) => ({ t: x.t, accuracy: x.accuracy, best: x.bestPossible }));
  } finally {
    model.dispose();
  }
}

interface Reported {
  readonly where: string;
  readonly wallS: number;
  readonly msPerStep: number;
  /** The largest gap to the best possible at t <= 0.8, points (negative: short of it), and where. */
  readonly worst: number;
  readonly worstAt: number;
}

function report(run: Run, scored: Scored[]): Reported {
  const gaps = scored.map((s) => 100 * (s.accuracy - s.best));
  const worst = Math.min(...gaps);
  const at = scored[gaps.indexOf(worst)].t;
  console.log(`\n${run.where}: ${steps} steps of "${recipe.name}", seed ${seed}`);
  console.log(
    `  wall time from pressing Train (or starting the command) to the trained model: ${(run.wallMs / 1000).toFixed(1)} s, ${(run.wallMs / steps).toFixed(1)} ms/step`,
  );
  console.log('       t  accuracy  best possible    gap');
  scored.forEach((s, i) =>
    console.log(
      `  ${s.t.toFixed(3).padStart(6)}  ${(100 * s.accuracy).toFixed(2).padStart(7)}%  ${(100 * s.best).toFixed(2).padStart(12)}%  ${gaps[i].toFixed(2).padStart(5)}`,
    ),
  );
  console.log(
    `  largest gap at t <= ${T_MAX}: ${worst.toFixed(2)} points at t = ${at.toFixed(3)} (${worst >= -TARGET_POINTS ? 'on target' : 'NOT on target'}: within ${TARGET_POINTS} points everywhere)`,
  );
  const round = (x: number, d: number) => Number(x.toFixed(d));
  return {
    where: run.where,
    wallS: round(run.wallMs / 1000, 1),
    msPerStep: round(run.wallMs / steps, 1),
    worst: round(worst, 2),
    worstAt: round(at, 3),
  };
}

await useNodeBackend('wasm');
const lesson = await inTheLesson();
loads.push(`after the lesson's run: ${load()}`);
const node = await inNode();
loads.push(`after unmask train: ${load()}`);
const a = report(lesson, await score(lesson.file, recipe));
const b = report(node, await score(node.file, recipe));
console.log(
  `\ntime-to-learn: lesson ${a.wallS.toFixed(1)} s (goal ${GOAL_SECONDS} s, ratio ${(a.wallS / GOAL_SECONDS).toFixed(2)}); Node reference ${b.wallS.toFixed(1)} s; lesson / Node = ${(a.wallS / b.wallS).toFixed(2)}`,
);
console.log(
  `(the page and unmask train seed the model and the data the same way, src/core/model-factory.ts: with one seed they are one run, so their gaps agree and the wall times compare the two hosts)`,
);
loads.push(`after scoring: ${load()}`);
console.log(`load average (1, 5, 15 min; ${cpus().length} cores): ${loads.join('; ')}`);
if (values.json) {
  const record = {
    what: `Time-to-learn: wall time from pressing Train in section 8 (headless Chromium, ?backend=wasm, training worker) to the trained model in place, for ${steps} steps of the ${recipe.name} recipe; the same recipe with unmask train in Node as the reference, in the same run. Gaps: accuracy minus the best possible, points, ${seqs} sequences a ratio.`,
    source: 'npm run bench:learn -- --recipe ' + recipe.name + ' --json FILE',
    measuredAt: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}`,
    recipe: recipe.name,
    steps,
    goalSeconds: GOAL_SECONDS,
    lesson: a,
    node: b,
    load: loads,
  };
  writeFileSync(values.json, JSON.stringify(record, null, 1) + '\n');
  console.log(`wrote ${values.json}`);
}
