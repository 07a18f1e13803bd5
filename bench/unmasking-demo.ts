/**
 * Writes src/ui/notebook/unmasking-demo.json, the sequences the first screen shows
 * un-masking themselves: the shipped curriculum checkpoint, the ancestral sampler,
 * settings in bench/unmasking-demo/build.ts. A test fails if the file and the checkpoint
 * disagree; after a new checkpoint, run
 *
 *   npx tsx bench/unmasking-demo.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { useNodeBackend } from '../src/cli/node.ts';
import { isPerfectlyPeriodic } from '../src/core/periodicity.ts';
import { buildUnmaskingDemo, DEMO_SETTINGS } from './unmasking-demo/build.ts';

await useNodeBackend('wasm');
const weights = readFileSync(fileURLToPath(new URL(`../public/pretrained/${DEMO_SETTINGS.checkpoint}`, import.meta.url)));
const demo = await buildUnmaskingDemo(weights);
const out = fileURLToPath(new URL('../src/ui/notebook/unmasking-demo.json', import.meta.url));
writeFileSync(out, JSON.stringify(demo) + '\n');
for (const s of demo.sequences) console.log(`${s.tokens.join(' ')}   ${isPerfectlyPeriodic(s.tokens) ? 'periodic' : 'not periodic'}`);
console.log(`wrote ${out}`);
