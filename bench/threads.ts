/**
 * `npm run bench:threads`: would a second thread pay off for the matrix products?
 *
 * The products are about 60% of a training step here (a Node CPU profile of the
 * fast recipe), at about 40 GFLOP/s on one core, near what 128-bit SIMD allows,
 * so a faster step has to come from a second core. This times the dense layers'
 * products of one fast-recipe step (batch 32: 1024 tokens, 3 layers, forward
 * and both backward products) with our own kernel (batch-matmul.wat) on one
 * thread, and split by rows across two, the second a worker thread running the
 * same module on the same shared memory, woken and awaited with Atomics. Both
 * write the same bits (checked). The engine does not do this yet: its memory
 * is the tfjs wasm backend's, which is shared only in tfjs' threaded build.
 *
 *   npm run bench:threads [-- --rounds N]
 *
 * Reference: the one-thread time, in the same run. Reported with the load.
 */
import { loadavg, cpus } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { plainSimd } from '../src/cli/assemble-kernels.ts';
import { bestSimdVariant } from '../src/core/kernels/wasm-backend.ts';
import type { ProductModule } from '../src/core/kernels/wasm-batch-matmul.ts';

if (bestSimdVariant() === 'plain SIMD') setFlagsFromString('--experimental-wasm-relaxed-simd');
const relaxed = bestSimdVariant() === 'fused multiply-add';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`--rounds must be a whole number of 1 or more, got ${values.rounds}`);

// The module as the engine assembles it, with its memory import declared shared.
const wat = readFileSync(fileURLToPath(new URL('../src/core/kernels/batch-matmul.wat', import.meta.url)), 'utf8');
const sharedWat = wat.replace('(import "env" "memory" (memory 0))', '(import "env" "memory" (memory 0 65536 shared))');
if (sharedWat === wat) throw new Error('batch-matmul.wat no longer declares its memory as this bench expects');
const source = relaxed ? sharedWat : (plainSimd(sharedWat) ?? sharedWat);
const bytes = await assembleShared(source);
const module = new WebAssembly.Module(bytes as BufferSource);

/** As `npm run kernels` assembles (assemble-kernels.ts), with the threads feature on for the shared memory import. */
async function assembleShared(text: string): Promise<Uint8Array> {
  const wabt = (await import('wabt')).default;
  const m = (await wabt()).parseWat('batch-matmul-shared.wat', text, { simd: true, relaxed_simd: true, threads: true });
  try {
    // Not m.validate(): this wabt refuses a shared memory there even with threads on.
    // WebAssembly.Module validates the bytes below instead.
    return new Uint8Array(m.toBinary({}).buffer);
  } finally {
    m.destroy();
  }
}

type Bmm = Pick<ProductModule, 'bmm'>;

/** One product: out [m, n] = a [m, k] @ b [k, n], a stored transposed when `aT`. */
interface Product {
  readonly what: string;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly aT: boolean;
}

// A fast-recipe step's dense products: 1024 tokens, model width 64, feed-forward 256, 3 layers.
const T = 1024;
const D = 64;
const F = 256;
const dense = (what: string, inF: number, outF: number): Product[] => [
  { what: `${what} forward`, m: T, k: inF, n: outF, aT: false }, // y = x W
  { what: `${what} dx`, m: T, k: outF, n: inF, aT: false }, // dx = dy Wᵀ (Wᵀ stored as its own matrix)
  { what: `${what} dW`, m: inF, k: T, n: outF, aT: true }, // dW = xᵀ dy, x read transposed in place
];
const STEP: Product[] = [];
for (let layer = 0; layer < 3; layer++) STEP.push(...dense('qkv', D, 3 * D), ...dense('out', D, D), ...dense('ff1', D, F), ...dense('ff2', F, D));
STEP.push(...dense('head', D, 16));
const flops = STEP.reduce((s, p) => s + 2 * p.m * p.k * p.n, 0);

// Memory: every product's operands side by side, filled with values in [-1, 1).
const MB = 1 << 20;
const memory = new WebAssembly.Memory({ initial: (64 * MB) / 65536, maximum: 65536, shared: true });
const f32 = new Float32Array(memory.buffer);
let top = 1024; // bytes; the first KB is left alone
const alloc = (floats: number) => {
  const at = top;
  top += Math.ceil((floats * 4) / 64) * 64;
  if (top > memory.buffer.byteLength) throw new Error('the bench needs more memory');
  return at;
};
let seed = 1;
const placed = STEP.map((p) => {
  const a = alloc(p.m * p.k);
  const b = alloc(p.k * p.n);
  const out = alloc(p.m * p.n);
  const out2 = alloc(p.m * p.n);
  for (let i = 0; i < p.m * p.k + p.k * p.n; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    f32[a / 4 + i] = seed / 2 ** 31 - 1;
  }
  // Row i of a at a + i*aRow, column kk at a + kk*aCol: transposed storage swaps them.
  const aRow = p.aT ? 4 : 4 * p.k;
  const aCol = p.aT ? 4 * p.m : 4;
  return { ...p, a, b, out, out2, aRow, aCol };
});

const one = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Bmm;

// The second thread: the same module on the same memory. Control words (Int32): [0] a
// counter the main thread bumps to hand over a job, [1] the counter of the last job done,
// [2..12] the job's bmm arguments.
const control = new Int32Array(new SharedArrayBuffer(64));
const helper = new Worker(
  `const { workerData } = require('node:worker_threads');
   const { module, memory, control } = workerData;
   const k = new WebAssembly.Instance(module, { env: { memory } }).exports;
   let seen = 0;
   for (;;) {
     Atomics.wait(control, 0, seen);
     seen = Atomics.load(control, 0);
     if (seen < 0) break;
     const c = control;
     k.bmm(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12]);
     Atomics.store(control, 1, seen);
     Atomics.notify(control, 1);
   }`,
  { eval: true, workerData: { module, memory, control } },
);

type Placed = (typeof placed)[number];
/** Rows [0, half) here, [half, m) on the helper, at once; then wait for the helper. */
function twoThreads(p: Placed, out: number): void {
  const half = Math.floor(p.m / 2);
  const job = Atomics.load(control, 0) + 1;
  control.set([p.a + half * p.aRow, p.b, out + half * 4 * p.n, 1, p.m - half, p.k, p.n, p.aRow, p.aCol, 0, 0], 2);
  Atomics.store(control, 0, job);
  Atomics.notify(control, 0);
  one.bmm(p.a, p.b, out, 1, half, p.k, p.n, p.aRow, p.aCol, 0, 0);
  while (Atomics.load(control, 1) !== job) Atomics.wait(control, 1, job - 1);
}
const oneThread = (p: Placed, out: number) => one.bmm(p.a, p.b, out, 1, p.m, p.k, p.n, p.aRow, p.aCol, 0, 0);

// Same bits both ways.
for (const p of placed) {
  oneThread(p, p.out);
  twoThreads(p, p.out2);
  const x = new Uint32Array(memory.buffer, p.out, p.m * p.n);
  const y = new Uint32Array(memory.buffer, p.out2, p.m * p.n);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) throw new Error(`${p.what}: two threads wrote other bits at ${i}`);
}

const time = (run: (p: Placed, out: number) => void) => {
  const t0 = performance.now();
  for (const p of placed) run(p, p.out);
  return performance.now() - t0;
};
// Warm-up: both instances tier up to optimised code before anything is timed.
for (let i = 0; i < 5; i++) {
  time(oneThread);
  time(twoThreads);
}
const ones: number[] = [];
const twos: number[] = [];
const loadBefore = loadavg()[0];
for (let r = 0; r < rounds; r++) {
  // Interleaved, so a change in the machine's load falls on both alike.
  ones.push(time(oneThread));
  twos.push(time(twoThreads));
}
Atomics.store(control, 0, -1);
Atomics.notify(control, 0);
await helper.terminate();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const a = median(ones);
const b = median(twos);
console.log(
  `dense products of one fast-recipe step (${STEP.length} products, ${(flops / 1e9).toFixed(2)} GFLOP), ${relaxed ? 'fused multiply-add' : 'plain SIMD'}, median of ${rounds} rounds; load ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after, on ${cpus().length} cores`,
);
console.log(`  one thread (reference): ${a.toFixed(2)} ms, ${(flops / a / 1e6).toFixed(1)} GFLOP/s`);
console.log(
  `  two threads, rows split: ${b.toFixed(2)} ms, ${(flops / b / 1e6).toFixed(1)} GFLOP/s; ratio ${(b / a).toFixed(2)} (saves ${(a - b).toFixed(2)} ms a step)`,
);
