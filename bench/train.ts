/**
 * `npm run bench:train`: training speed of the engine on each Node backend, and of
 * the notebook's PyTorch code on this same machine in the same run when
 * /usr/bin/python3 has torch. Prints ms/step (median after warm-up) and ratios.
 *
 *   npm run bench:train [-- --steps N] [-- --recipe NAME] [-- --rounds R]
 *
 * Each backend runs in its own process so one's threads and caches do not
 * colour another's numbers. With --rounds R the wasm and PyTorch runs take
 * turns R times (cpu once), and each row is the median over the rounds: on a
 * shared machine the load moves between runs, and taking turns spreads it.
 * Each row has wall time and CPU time a step; CPU time counts only the time
 * the process ran, so it moves less with the machine's load (both sides still
 * slow down when another process shares their core).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { getRecipe } from '../src/core/recipes.ts';
import type { StepTiming } from './step.ts';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '10' },
    recipe: { type: 'string', default: 'notebook' },
    rounds: { type: 'string', default: '1' },
    // Time-to-learn counts wall time, so a batch size is worth what a step of it costs: compare them here.
    batch: { type: 'string', default: '64' },
  },
});
const steps = values.steps!;
const rounds = Math.max(1, Number(values.rounds));
const dropout = getRecipe(values.recipe!).dropout; // PyTorch runs the same rate
const batch = Number(values.batch);
if (!Number.isInteger(batch) || batch < 1 || batch > 4096) throw new Error(`--batch must be a whole number from 1 to 4096, got "${values.batch}"`);
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

function run(cmd: string, args: string[], env: Record<string, string> = {}): StepTiming | null {
  try {
    const out = execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 1_200_000,
      env: { ...process.env, ...env },
    });
    return JSON.parse(out.trim().split('\n').pop()!) as StepTiming;
  } catch (e) {
    console.error(`  (${args.join(' ')} failed: ${(e as Error).message.split('\n')[0]})`);
    return null;
  }
}

const python = '/usr/bin/python3';
const hasTorch = existsSync(python) && run(python, ['-c', 'import torch; print("{}")']) !== null;
if (!hasTorch) console.error('PyTorch not found (apt-get install python3-torch libopenblas0-pthread): no reference this run');

const runs = new Map<string, StepTiming[]>();
const record = (r: StepTiming | null) => r && runs.set(r.backend, [...(runs.get(r.backend) ?? []), r]);
const loadBefore = loadavg()[0];
for (let round = 1; round <= rounds; round++) {
  for (const backend of round === 1 ? ['wasm', 'cpu'] : ['wasm']) {
    console.error(`timing ${backend}${rounds > 1 ? `, round ${round} of ${rounds}` : ''} ...`);
    record(run(process.execPath, ['--import', 'tsx', here('./step.ts'), backend, values.recipe!, backend === 'cpu' ? '3' : steps, String(batch)]));
  }
  if (hasTorch) {
    for (const threads of ['1', '2']) {
      console.error(`timing PyTorch, ${threads} thread(s) ...`);
      // OpenBLAS starts its own threads unless told: left alone it oversubscribes and halves torch's speed here.
      record(
        run(python, [here('./torch_step.py'), threads, steps, String(dropout), String(batch)], {
          OPENBLAS_NUM_THREADS: threads,
          OMP_NUM_THREADS: threads,
        }),
      );
    }
  }
}

const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [...runs].map(([backend, rs]) => ({
  backend,
  medianMs: median(rs.map((r) => r.medianMs)),
  cpuMs: rs.every((r) => r.cpuMs !== undefined) ? median(rs.map((r) => r.cpuMs!)) : undefined,
  warmupMs: median(rs.map((r) => r.warmupMs)),
  tensorsLeaked: Math.max(...rs.map((r) => r.tensorsLeaked ?? 0)),
  n: rs.length,
}));

// The reference is PyTorch at its fastest here. The issue names 2 threads, but on this
// 2-core machine 2 threads are slower than 1 (they fight the other core's work), so the
// faster of the two is the honest bar; both rows are printed.
const torch = rows.filter((r) => r.backend.startsWith('pytorch'));
const ref = torch.length > 0 ? torch.reduce((a, b) => (b.medianMs < a.medianMs ? b : a)) : undefined;
const ratio = (a: number | undefined, b: number | undefined) => (a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}x` : '-');
console.log(
  `\ntraining step, batch ${batch}, recipe "${values.recipe}" (dropout ${dropout}; median of ${steps} after warm-up${rounds > 1 ? `; median over ${rounds} rounds` : ''}); load average ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`,
);
console.log('backend                     ms/step   CPU ms/step   first step   vs ' + (ref?.backend ?? 'no reference') + ' (wall, CPU)');
for (const r of rows) {
  const cpu = r.cpuMs === undefined ? '-' : r.cpuMs.toFixed(1);
  console.log(
    `${r.backend.padEnd(26)} ${r.medianMs.toFixed(1).padStart(8)} ${cpu.padStart(12)} ${r.warmupMs.toFixed(0).padStart(10)} ms   ${ratio(r.medianMs, ref?.medianMs)}, ${ratio(r.cpuMs, ref?.cpuMs)}`,
  );
}
if (rows.some((r) => r.tensorsLeaked))
  console.log(
    'WARNING: tensors leaked:',
    rows
      .filter((r) => r.tensorsLeaked)
      .map((r) => r.backend)
      .join(', '),
  );
