/**
 * How valid are generated samples, and how much of the invalidity is the
 * sampler's rather than the model's? Samples with the best possible denoiser
 * (the exact posterior, which makes no mistakes) and with each shipped
 * checkpoint, at the settings section 11 offers, and writes
 * public/measured/sampling.json, which the lesson quotes and draws.
 *
 *   npx tsx bench/sampler-quality.ts [--draws 10] [--batch 64]
 *
 * Each setting is sampled `draws` times, batch `batch`, from seeds 1..draws
 * (pooled: draws × batch sequences). The "page" block repeats exactly what
 * section 11's generation cell computes at seed 42 with its defaults, so the
 * prose can say which numbers the learner sees and which are the long-run ones.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { useNodeBackend } from '../src/cli/node.ts';
import { loadWeights } from '../src/core/checkpoint.ts';
import { DEFAULT_MODEL } from '../src/core/config.ts';
import { bayesDenoiser, type Denoiser } from '../src/core/denoiser.ts';
import { DiffusionLM } from '../src/core/model.ts';
import { sampleQuality } from '../src/core/periodicity.ts';
import { Rng } from '../src/core/rng.ts';
import { sample, type Sampler, type TimeGrid } from '../src/core/sampling.ts';
import type { SamplingMeasurements, SamplingSetting, SamplingSource } from '../src/lesson/measured-types.ts';
import { rngFor } from '../src/ui/cells/types.ts';

const { values } = parseArgs({
  options: { draws: { type: 'string', default: '10' }, batch: { type: 'string', default: '64' }, out: { type: 'string' } },
});
const draws = Number(values.draws);
const batch = Number(values.batch);
const outFile = values.out ?? fileURLToPath(new URL('../public/measured/sampling.json', import.meta.url));
const backend = await useNodeBackend('wasm');
const round = (x: number) => Number(x.toFixed(4));

/** Every setting section 11 offers on its menus at temperature 1, and the exact denoiser's long runs. */
const SETTINGS: { sampler: Sampler; grid: TimeGrid; steps: number }[] = [
  ...[8, 16, 32, 64].flatMap((steps) => (['uniform', 'cosine'] as const).map((grid) => ({ sampler: 'ancestral' as const, grid, steps }))),
  ...(['uniform', 'cosine'] as const).map((grid) => ({ sampler: 'confidence' as const, grid, steps: 32 })),
];
const LONG_STEPS = [128, 256, 512];

async function measure(denoiser: DiffusionLM | Denoiser, s: { sampler: Sampler; grid: TimeGrid; steps: number }): Promise<SamplingSetting> {
  let periodic = 0;
  let defect = 0;
  let distinct = 0;
  for (let d = 1; d <= draws; d++) {
    const r = await sample(denoiser, new Rng(d), { ...s, temperature: 1, batch, keepTrajectory: false });
    const q = sampleQuality(r.tokens);
    periodic += q.periodicFraction * q.sequences;
    defect += q.meanDefect * q.sequences;
    distinct += q.distinct;
  }
  const n = draws * batch;
  return {
    ...s,
    temperature: 1,
    sequences: n,
    periodicFraction: round(periodic / n),
    meanDefect: round(defect / n),
    distinctPerBatch: round(distinct / draws),
  };
}

/** What the generation cell shows at seed 42 with its defaults (its own streams, batch 64). */
async function page(denoiser: DiffusionLM | Denoiser, stream: string, sampler: Sampler): Promise<SamplingSetting> {
  const r = await sample(denoiser, rngFor(42, stream), { sampler, grid: 'uniform', steps: 32, temperature: 1, batch: 64, keepTrajectory: false });
  const q = sampleQuality(r.tokens);
  return {
    sampler,
    grid: 'uniform',
    steps: 32,
    temperature: 1,
    sequences: q.sequences,
    periodicFraction: round(q.periodicFraction),
    meanDefect: round(q.meanDefect),
    distinctPerBatch: q.distinct,
  };
}

const sources: SamplingSource[] = [];
const best = bayesDenoiser();
console.error('best possible denoiser ...');
const bestSettings: SamplingSetting[] = [];
for (const s of [
  ...SETTINGS.filter((x) => x.sampler === 'ancestral'),
  ...LONG_STEPS.map((steps) => ({ sampler: 'ancestral' as const, grid: 'uniform' as const, steps })),
]) {
  bestSettings.push(await measure(best, s));
  console.error(`  ${JSON.stringify(bestSettings.at(-1))}`);
}
sources.push({ source: 'best possible', settings: bestSettings, page: [await page(best, 'generate-best', 'ancestral')] });

for (const file of ['notebook-3000', 'learns-5000', 'curriculum-6500']) {
  const path = fileURLToPath(new URL(`../public/pretrained/${file}.safetensors`, import.meta.url));
  if (!existsSync(path)) continue;
  console.error(`${file} ...`);
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
  loadWeights(model, new Uint8Array(readFileSync(path)));
  const settings: SamplingSetting[] = [];
  for (const s of SETTINGS) {
    settings.push(await measure(model, s));
    console.error(`  ${JSON.stringify(settings.at(-1))}`);
  }
  sources.push({
    source: file,
    settings,
    page: [await page(model, 'generate', 'ancestral'), await page(model, 'generate-confidence', 'confidence')],
  });
  model.dispose();
}

const out: SamplingMeasurements = {
  command: `npx tsx bench/sampler-quality.ts --draws ${draws} --batch ${batch}`,
  backend: backend.name,
  draws,
  batch,
  sources,
};
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(out, null, 1) + '\n');
console.error(`wrote ${outFile}`);
