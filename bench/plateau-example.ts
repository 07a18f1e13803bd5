/**
 * What a model on the plateau predicts, precomputed for section 8's puzzle: a
 * few pattern sequences, masked at t = 0.5, and the top three guesses of the
 * notebook-recipe checkpoint (stuck at the plateau) and the learns checkpoint
 * at every blank. Writes public/measured/plateau-example.json.
 *
 *   npx tsx bench/plateau-example.ts
 *
 * The sequences are fixed (one per period, tokens all different within the
 * pattern, plus one with a repeated token) and so is the mask (seeded), so the
 * file is the same on every run and every backend up to float rounding.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useNodeBackend } from '../src/cli/node.ts';
import { loadWeights } from '../src/core/checkpoint.ts';
import { DEFAULT_MODEL, MASK_ID } from '../src/core/config.ts';
import { maskArrays } from '../src/core/masking.ts';
import { DiffusionLM } from '../src/core/model.ts';
import { predictMasked } from '../src/core/predict.ts';
import { Rng } from '../src/core/rng.ts';
import type { PlateauExample } from '../src/lesson/measured-types.ts';

const PATTERNS = [
  [7, 2, 9],
  [5, 11],
  [3, 8, 14, 6],
  [4, 4, 11],
];
const T = 0.5;
const L = 32;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
await useNodeBackend('wasm');

const models: Record<string, DiffusionLM> = {};
for (const name of ['notebook-3000', 'learns-5000']) {
  const m = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
  loadWeights(m, new Uint8Array(readFileSync(here(`../public/pretrained/${name}.safetensors`))));
  models[name] = m;
}
const rng = new Rng(2024);
const examples: PlateauExample['examples'][number][] = [];
for (const pattern of PATTERNS) {
  const x0 = Int32Array.from({ length: L }, (_, i) => pattern[i % pattern.length]);
  const { xt } = maskArrays(x0, [T], rng);
  const predictions: Record<string, { position: number; top: { token: number; prob: number }[] }[]> = {};
  for (const [name, model] of Object.entries(models)) {
    predictions[name] = (await predictMasked(model, xt, T, 3)).map((p) => ({
      position: p.position,
      top: p.top.map((g) => ({ token: g.token, prob: Number(g.prob.toFixed(4)) })),
    }));
  }
  examples.push({ pattern, x0: [...x0], xt: [...xt], masked: xt.filter((v) => v === MASK_ID).length, predictions });
}
for (const m of Object.values(models)) m.dispose();
const out: PlateauExample = { command: 'npx tsx bench/plateau-example.ts', t: T, maskSeed: 2024, examples };
writeFileSync(here('../public/measured/plateau-example.json'), JSON.stringify(out) + '\n');
for (const e of examples) {
  const nb = e.predictions['notebook-3000'];
  const right = nb.filter((p) => p.top[0].token === e.x0[p.position]).length;
  console.error(`pattern ${e.pattern.join(' ')}: notebook right at ${right} of ${nb.length}; top-3 at the first blank: ${JSON.stringify(nb[0].top)}`);
}
