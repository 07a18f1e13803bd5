/**
 * A faster BatchMatMul for tfjs' wasm backend.
 *
 * tfjs' wasm kernel hands a product to XNNPACK only when there is one matrix in
 * the batch and nothing is transposed. Everything else (every attention product,
 * [H*B, L, L] x [H*B, L, dh], and every transposed product of a backward pass)
 * goes through a scalar loop at about 2 GFLOP/s. Even XNNPACK's path repacks the
 * right-hand matrix on every call, since in training it is new every step. This
 * kernel takes every float32 product whose rows are whole SIMD lanes and runs it
 * in WebAssembly SIMD (batch-matmul.wat), in tfjs' own memory, without copying:
 * at this model's sizes, 10x faster than the scalar loop and 1.2-4x faster than
 * XNNPACK with its repacking (measured in the session note of issue 2). Where
 * the engine has relaxed SIMD, each multiply-add is one fused instruction
 * (another 1.3x here); elsewhere the plain-SIMD twin of the module runs.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WASM_BYTES, WASM_BYTES_PLAIN } from './batch-matmul.wasm.ts';
import { overrideWasmKernel } from './override.ts';
import { memoryOffset, simdVariant, WasmModule, type WasmBackend } from './wasm-backend.ts';
import { errorMessage } from '../error-message.ts';

/** The exports of batch-matmul.wat (see there). */
export interface ProductModule {
  bmm(
    a: number,
    b: number,
    out: number,
    batch: number,
    m: number,
    k: number,
    n: number,
    aRow: number,
    aCol: number,
    mode: number,
    bias: number,
  ): void;
  transpose(src: number, dst: number, batch: number, rows: number, cols: number): void;
  biasGrad(dy: number, y: number, g: number, db: number, rows: number, cols: number): void;
}

/** bmm's mode bits. */
const ADD = 1,
  RELU = 2;

/** Our plain product: out[p] = a[p] @ b[p], a [m,k], b [k,n], p over `batch`. */
export interface BatchPlan {
  readonly batch: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly outShape: number[];
}

/**
 * The plan for a product this kernel takes, or null for one it leaves to tfjs:
 * same batch dims on both sides, float32, and output rows a whole number of
 * SIMD lanes.
 */
export function planBatchMatMul(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): BatchPlan | null {
  const ra = a.shape.length;
  if (ra < 2 || b.shape.length !== ra || a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const lead = a.shape.slice(0, -2);
  if (lead.some((d, i) => d !== b.shape[i])) return null;
  const batch = lead.reduce((p, d) => p * d, 1);
  const [a0, a1] = a.shape.slice(-2);
  const [b0, b1] = b.shape.slice(-2);
  const [m, k] = transposeA ? [a1, a0] : [a0, a1];
  const [kb, n] = transposeB ? [b1, b0] : [b0, b1];
  if (k !== kb || k < 1 || m < 1 || n < 4 || n % 4 !== 0) return null;
  return { batch, m, k, n, outShape: [...lead, m, n] };
}

/** Bytes of b one slice of a long product reads: about twice L1, far inside L2 (measured: 32-64 KiB best here, 20 ms a step faster than none). */
const SLICE_BYTES = 64 * 1024;

const products = new WasmModule<ProductModule>({ bytes: WASM_BYTES, plain: WASM_BYTES_PLAIN });

/** The product module on the current wasm backend, or null where it could not start. */
export function productModule(): ProductModule | null {
  return products.exports;
}

/**
 * Put the SIMD kernel in front of the wasm backend's BatchMatMul. Call once the
 * wasm backend is ready. Returns how it went in words, for the backend report;
 * on any failure tfjs' own kernel stays in place.
 */
export function installWasmBatchMatMul(): string {
  const backend = tf.findBackend('wasm') as unknown as WasmBackend | null;
  if (!backend) return "tfjs' BatchMatMul (the wasm backend is not registered)";
  try {
    products.start(backend);
  } catch (e) {
    return `tfjs' BatchMatMul (the SIMD kernel cannot run here: ${errorMessage(e)})`;
  }
  const installed = overrideWasmKernel(
    'BatchMatMul',
    ({ inputs, attrs, backend }) => {
      const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
      const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
      const k = products.exports;
      const plan = k && planBatchMatMul(a, b, transposeA, transposeB);
      if (!plan) return null;
      const w = backend as unknown as WasmBackend;
      const out = w.makeOutput(plan.outShape, 'float32');
      product(w, k, a, b, out, transposeA, transposeB, plan);
      return out;
    },
    // A fresh wasm backend gets its own instance of ours.
    (b) => void products.start(b as unknown as WasmBackend),
  );
  return installed ? `SIMD matrix products (${simdVariant()})` : "tfjs' BatchMatMul (no kernel to replace)";
}

/**
 * out = op(a) @ op(b) (+ bias, then ReLU if asked) for a plan of planBatchMatMul,
 * into `out`, which the caller made.
 */
export function product(
  backend: WasmBackend,
  k: ProductModule,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  out: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  p: BatchPlan,
  bias: tf.TensorInfo | null = null,
  relu = false,
): void {
  // a is read with strides, so a transposed a (stored [k, m]) costs nothing. b's rows
  // must be contiguous: a transposed b (stored [n, k]) is laid out plainly first,
  // which is cheap where this model asks for it (weights, and attention's keys and values).
  let bPtr = memoryOffset(backend, b);
  const bPlain = transposeB ? backend.makeOutput([p.batch, p.k, p.n], 'float32') : null;
  try {
    if (bPlain) {
      k.transpose(bPtr, memoryOffset(backend, bPlain), p.batch, p.n, p.k);
      bPtr = memoryOffset(backend, bPlain);
    }
    const [aRow, aCol] = transposeA ? [4, 4 * p.m] : [4 * p.k, 4];
    const aPtr = memoryOffset(backend, a);
    const outPtr = memoryOffset(backend, out);
    const biasPtr = bias ? memoryOffset(backend, bias) : 0;
    // Each pair of output rows streams all of b. A single product with a long k
    // (a weight gradient sums over all B*L positions) is done in slices of k
    // whose rows of b stay in cache, each added onto the last; the bias goes
    // into the first and the ReLU onto the last.
    const slice = p.batch === 1 ? Math.max(8, Math.floor(SLICE_BYTES / (4 * p.n))) : p.k;
    for (let k0 = 0; k0 < p.k; k0 += slice) {
      const kc = Math.min(slice, p.k - k0);
      const mode = (k0 > 0 ? ADD : 0) | (relu && k0 + kc === p.k ? RELU : 0);
      k.bmm(aPtr + k0 * aCol, bPtr + 4 * k0 * p.n, outPtr, p.batch, p.m, kc, p.n, aRow, aCol, mode, k0 > 0 ? 0 : biasPtr);
    }
  } finally {
    if (bPlain) backend.disposeData(bPlain.dataId);
  }
}
