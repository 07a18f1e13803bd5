/**
 * The floors under the two objectives for this data, for the lesson to quote:
 * the data's entropy per token (exact: the ELBO's floor) and the best possible
 * model's pooled masked mean (the notebook's training loss), estimated from the
 * exact posterior on many sequences. Writes public/measured/loss-floor.json.
 *
 *   npx tsx bench/loss-floor.ts [--bins 98] [--seqs 1000] [--seed 11]
 *
 * The pooled mean over t ~ U(0.02, 1) weighs ratio t by t; it is integrated with
 * the midpoint rule over `bins` equal bins of (0.02, 1), `seqs` sequences each.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '../src/core/rng.ts';
import type { LossFloor } from '../src/lesson/measured-types.ts';
import { bestPossibleLoss, dataEntropyPerToken } from '../src/core/elbo-bins.ts';

const { values } = parseArgs({
  options: { bins: { type: 'string', default: '98' }, seqs: { type: 'string', default: '1000' }, seed: { type: 'string', default: '11' } },
});
const bins = Number(values.bins);
const seqs = Number(values.seqs);
const seed = Number(values.seed);
const tMin = 0.02;
const width = (1 - tMin) / bins;
const mids = Array.from({ length: bins }, (_, k) => tMin + (k + 0.5) * width);
const loss = bestPossibleLoss(mids, seqs, new Rng(seed));
// Pooled: sum_k t_k l_k / sum_k t_k (each bin's share of masked tokens is proportional to t).
const pooled = mids.reduce((s, t, k) => s + t * loss[k], 0) / mids.reduce((s, t) => s + t, 0);
// The ELBO's floor over the same grid (plus (0, 0.02), where the loss is 0 to many decimals): a check on the estimate.
const elbo = loss.reduce((s, l) => s + l * width, 0);
const entropy = dataEntropyPerToken();
const out: LossFloor = {
  command: `npx tsx bench/loss-floor.ts --bins ${bins} --seqs ${seqs} --seed ${seed}`,
  entropyNatsPerToken: entropy,
  entropyBitsPerToken: entropy / Math.LN2,
  perplexity: Math.exp(entropy),
  pooledMeanFloorNats: Number(pooled.toFixed(5)),
  elboFloorEstimateNats: Number(elbo.toFixed(5)),
};
const file = fileURLToPath(new URL('../public/measured/loss-floor.json', import.meta.url));
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, JSON.stringify(out, null, 1) + '\n');
console.error(JSON.stringify(out));
