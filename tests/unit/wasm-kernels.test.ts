/**
 * Our kernels for the wasm backend (src/core/kernels) against tfjs' cpu
 * backend, which computes the same ops its own way, in plain JavaScript.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/core/backend.ts';
import '../helpers/backends.ts'; // registers the cpu and wasm backends
import { AdamW, TORCH_ADAMW } from '../../src/core/optim.ts';
import { planBatchMatMul } from '../../src/core/kernels/wasm-batch-matmul.ts';
import { useSimdVariant, type SimdVariant } from '../../src/core/kernels/wasm-backend.ts';
import { FUSED } from '../../src/core/kernels/fused.ts';
import { keepMaskTensor } from '../../src/core/kernels/wasm-dropout-mask.ts';
import { addDropped, attend, dense, dropped, layerNorm, weightedCrossEntropy } from '../../src/core/ops.ts';
import { copyBlock } from '../../src/core/kernels/wasm-slice.ts';
import { Rng } from '../../src/core/rng.ts';
import { assemble, generatedPath, plainSimd, readWat, watFiles } from '../../src/cli/assemble-kernels.ts';

/** Values from our Rng, so both backends see the very same inputs. */
function values(shape: number[], seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.uniform(-1, 1));
}

/** Run `f` on a backend and read its output back as numbers. */
async function on(backend: 'cpu' | 'wasm', f: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array[]> {
  await selectBackend([backend]);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const data = await Promise.all(list.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(list);
  return data;
}

/** The worst error of `got` = op(a) op(b) against float64, in units of 2^-24 * sum_k |a_ik b_kj|. */
function productErrors(
  got: Float32Array,
  a: Float32Array,
  sa: number[],
  b: Float32Array,
  sb: number[],
  ta: boolean,
  tb: boolean,
): { worst: number; k: number } {
  const [a0, a1] = sa.slice(-2),
    [b0, b1] = sb.slice(-2);
  const [m, k] = ta ? [a1, a0] : [a0, a1];
  const n = tb ? b0 : b1;
  const batch = a.length / (m * k);
  let worst = 0;
  for (let p = 0; p < batch; p++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let exact = 0,
          scale = 0;
        for (let q = 0; q < k; q++) {
          const x = a[p * m * k + (ta ? q * m + i : i * k + q)] * b[p * k * n + (tb ? j * k + q : q * n + j)];
          exact += x;
          scale += Math.abs(x);
        }
        worst = Math.max(worst, Math.abs(got[(p * m + i) * n + j] - exact) / (scale * 2 ** -24 + 1e-30));
      }
    }
  }
  return { worst, k };
}

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1 + Math.abs(b[i])));
  return worst;
}

describe('wasm kernels', () => {
  let kernels = '';
  beforeAll(async () => {
    kernels = (await selectBackend(['wasm'])).kernels ?? '';
  });
  afterEach(async () => {
    await selectBackend(['cpu']);
  });

  it('are in use on wasm, and say so', () => {
    expect(kernels).toContain('SIMD matrix products');
    expect(kernels).toContain('in-place Slice and Unpack');
    expect(kernels).toContain('shared-memory Identity and Cast');
    expect(kernels).toContain('one-pass AdamW');
    expect(kernels).toContain('one-pass layer norm');
    expect(kernels).toContain('one-pass attention');
    expect(kernels).toContain('dropout masks drawn in wasm');
    expect(kernels).toContain('one-pass cross-entropy');
    expect(kernels).toContain('one-pass dropout');
    expect(kernels).toContain('dense layers with the bias and ReLU in the product');
  });

  it('ship the bytes their WebAssembly text assembles to', async () => {
    expect(watFiles()).toContain('batch-matmul.wat');
    for (const wat of watFiles()) {
      const { WASM_BYTES, WASM_BYTES_PLAIN } = (await import(generatedPath(wat))) as { WASM_BYTES: Uint8Array; WASM_BYTES_PLAIN?: Uint8Array };
      expect(Array.from(await assemble(wat, readWat(wat))), wat).toEqual(Array.from(WASM_BYTES));
      const plain = plainSimd(readWat(wat));
      expect(plain === null ? undefined : Array.from(await assemble(wat, plain)), `${wat}, plain SIMD`).toEqual(
        WASM_BYTES_PLAIN && Array.from(WASM_BYTES_PLAIN),
      );
    }
  });

  it('write a plain-SIMD twin: each relaxed multiply-add becomes a multiply, then an add', () => {
    const source =
      ';; (f32x4.relaxed_madd x y z) in a comment\n(local.set $x (f32x4.relaxed_madd (v128.load32_splat (local.get $a)) (local.get $w)\n  (f32x4.relaxed_madd (local.get $s) (local.get $t) (local.get $x))))';
    expect(plainSimd(source)).toBe(
      '\n(local.set $x (f32x4.add (f32x4.mul (v128.load32_splat (local.get $a)) (local.get $w)) (f32x4.add (f32x4.mul (local.get $s) (local.get $t)) (local.get $x))))',
    );
    expect(plainSimd('(f32x4.add (local.get $x) (local.get $y))')).toBeNull();
    expect(() => plainSimd('(f32x4.relaxed_madd (local.get $x) (local.get $y))')).toThrow(/operand/);
  });

  it('take every float32 product with matching batch dims and whole SIMD rows, and leave the rest to tfjs', () => {
    const info = (shape: number[], dtype: tf.DataType = 'float32') => ({ dataId: {}, shape, dtype });
    expect(planBatchMatMul(info([256, 32, 32]), info([256, 32, 16]), false, false)).toMatchObject({ batch: 256, m: 32, k: 32, n: 16 });
    expect(planBatchMatMul(info([2048, 64]), info([2048, 256]), true, false)).toMatchObject({ batch: 1, m: 64, k: 2048, n: 256 });
    expect(planBatchMatMul(info([2048, 64]), info([256, 64]), false, true)).toMatchObject({ batch: 1, m: 2048, k: 64, n: 256 });
    expect(planBatchMatMul(info([2, 3, 5, 7]), info([2, 3, 7, 8]), false, false)?.outShape).toEqual([2, 3, 5, 8]);
    expect(planBatchMatMul(info([4, 5]), info([5, 6]), false, false)).toBeNull(); // 6 columns: not whole lanes
    expect(planBatchMatMul(info([2, 4, 5]), info([5, 8]), false, false)).toBeNull(); // broadcast batch
    expect(planBatchMatMul(info([3, 4, 5]), info([2, 5, 8]), false, false)).toBeNull(); // different batches
    expect(planBatchMatMul(info([4, 5], 'int32'), info([5, 8], 'int32'), false, false)).toBeNull();
  });

  const products: Array<[number[], number[], boolean, boolean]> = [
    [[256, 32, 32], [256, 32, 16], false, false], // attention: probabilities x values
    [[256, 32, 16], [256, 32, 16], false, true], //  scores, q k^T
    [[256, 32, 32], [256, 32, 16], true, false], //  values' gradient
    [[2048, 64], [2048, 256], true, false], //       a weight gradient: long k, done in slices
    [[2048, 64], [256, 64], false, true], //         an input gradient
    [[1, 4100], [4100, 4], false, false], //         a long k that does not divide into slices
    [[7, 5, 3], [7, 3, 20], false, false], //        odd rows, 16 + 4 columns
    [[7, 3, 5], [7, 20, 3], true, true],
    [[2, 3, 9, 1], [2, 3, 1, 12], false, false], //  k = 1, 4-D
    [[4, 5], [5, 6], false, false], //               left to tfjs
  ];
  it('run the fused multiply-add variant in these tests, as the CLI does', () => {
    // tests/setup.ts turns relaxed SIMD on where Node has it behind a flag.
    expect(kernels).toContain('SIMD matrix products (fused multiply-add)');
  });

  const variants: SimdVariant[] = ['fused multiply-add', 'plain SIMD'];
  for (const variant of variants) {
    for (const [sa, sb, ta, tb] of products) {
      it(`multiply [${sa}]${ta ? 'ᵀ' : ''} x [${sb}]${tb ? 'ᵀ' : ''} to float32 accuracy (${variant})`, async () => {
        const a = values(sa, 1),
          b = values(sb, 2);
        const f = () => tf.matMul(tf.tensor(a, sa), tf.tensor(b, sb), ta, tb);
        await selectBackend(['wasm']);
        const was = useSimdVariant(variant);
        const before = tf.memory().numTensors;
        const [wasm] = await on('wasm', f);
        useSimdVariant(was);
        expect(tf.memory().numTensors).toBe(before);
        // Each output's error against the float64 product, in units of 2^-24 * sum |a b|
        // over its k terms. Summing in float32 is bounded by k of those and typically
        // gives about sqrt(k); a wrong index or stride gives millions.
        const { worst, k } = productErrors(wasm, a, sa, b, sb, ta, tb);
        expect(worst).toBeLessThan(Math.max(4, 2 * Math.sqrt(k)));
      });
    }
  }

  // [N, in] -> [N, out]: the model's layers, a long k that is summed in slices, and odd sizes.
  const denseShapes: Array<[number, number, number]> = [
    [2048, 64, 256],
    [2048, 256, 64],
    [64, 64, 192],
    [7, 8, 20],
    [1, 4, 4],
    [3, 1100, 4],
  ];
  for (const [N, inSize, outSize] of denseShapes) {
    for (const activation of ['linear', 'relu'] as const) {
      it(`run a ${activation} dense layer [${N}, ${inSize}] -> ${outSize} and its gradients in one kernel each, as cpu does`, async () => {
        const f = () => {
          const x = tf.tensor2d(values([N, inSize], 7), [N, inSize]);
          const w = tf.tensor2d(values([inSize, outSize], 8), [inSize, outSize]);
          const b = tf.tensor1d(values([outSize], 9));
          const r = tf.tensor2d(values([N, outSize], 10), [N, outSize]); // weights a loss so every output matters differently
          const { value, grads } = tf.valueAndGrads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
            tf.sum(tf.mul(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, activation), r)),
          )([x, w, b]);
          return [dense(x, w, b, activation), value, ...grads];
        };
        const cpu = await on('cpu', f);
        await selectBackend(['wasm']);
        const before = tf.memory().numTensors;
        const launches = await tf.profile(() => void tf.dispose(tf.tidy(f)));
        // Forward twice (the value, then the gradient's own forward) and backward once; no products or adds of tfjs'.
        const names = launches.kernels.map((k) => k.name);
        const forward = activation === 'relu' ? 'UnmaskDenseRelu' : 'UnmaskDense';
        expect(names.filter((k) => k.startsWith('UnmaskDense')).sort()).toEqual([forward, forward, 'UnmaskDenseGrad'].sort());
        expect(names.filter((k) => ['BatchMatMul', 'Relu', 'Step'].includes(k))).toEqual([]);
        const wasm = await on('wasm', f);
        expect(tf.memory().numTensors).toBe(before);
        // y, the loss, dx, dW, db; relative to each output's scale, with sums of up to 1100 terms.
        const tolerance = 2e-6 * Math.sqrt(Math.max(inSize, N));
        cpu.forEach((c, i) => expect(maxRelDiff(wasm[i], c), `output ${i}`).toBeLessThan(tolerance));
        if (activation === 'relu') expect(wasm[0].reduce((a, v) => Math.min(a, v), Infinity)).toBe(0);
      });
    }
  }

  it("save a dense layer's output for its gradient only behind a ReLU", async () => {
    await selectBackend(['wasm']);
    // Each saved tensor is a clone (an Identity launch); the loss around the layer saves the same either way.
    const clones = async (activation: 'linear' | 'relu') => {
      const x = tf.tensor2d(values([8, 8], 28), [8, 8]),
        w = tf.tensor2d(values([8, 8], 29), [8, 8]),
        b = tf.tensor1d(values([8], 30));
      const info = await tf.profile(() => void tf.dispose(tf.grads((xx: tf.Tensor) => tf.sum(dense(xx as tf.Tensor2D, w, b, activation)))([x])));
      tf.dispose([x, w, b]);
      return info.kernels.filter((k) => k.name === 'Identity').length;
    };
    expect((await clones('relu')) - (await clones('linear'))).toBe(1);
  });

  // [N, d]: the model's, odd row counts, and single lanes.
  for (const [N, d] of [
    [2048, 64],
    [7, 4],
    [3, 12],
  ]) {
    it(`run layer norm [${N}, ${d}] and its gradients in one kernel each, as cpu does`, async () => {
      const f = () => {
        // An offset and a scale (0.5 to 1.5) per row, as the residual stream has, so centring matters.
        const x = tf.add(tf.mul(tf.tensor2d(values([N, d], 11), [N, d]), tf.add(tf.tensor2d(values([N, 1], 12), [N, 1]), 1.5)), 3);
        const gamma = tf.add(tf.tensor1d(values([d], 13)), 1) as tf.Tensor1D;
        const beta = tf.tensor1d(values([d], 14));
        const r = tf.tensor2d(values([N, d], 15), [N, d]);
        const { value, grads } = tf.valueAndGrads((xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
          tf.sum(tf.mul(layerNorm(xx as tf.Tensor2D, gg as tf.Tensor1D, bb as tf.Tensor1D, 1e-5), r)),
        )([x, gamma, beta]);
        return [layerNorm(x as tf.Tensor2D, gamma, beta, 1e-5), value, ...grads];
      };
      const cpu = await on('cpu', f);
      await selectBackend(['wasm']);
      const before = tf.memory().numTensors;
      const launches = await tf.profile(() => void tf.dispose(tf.tidy(f)));
      const names = launches.kernels.map((k) => k.name);
      expect(names.filter((k) => k.startsWith('UnmaskLayerNorm')).sort()).toEqual(['UnmaskLayerNorm', 'UnmaskLayerNorm', 'UnmaskLayerNormGrad']);
      expect(names.filter((k) => ['Mean', 'Rsqrt', 'Sub'].includes(k))).toEqual([]);
      const wasm = await on('wasm', f);
      expect(tf.memory().numTensors).toBe(before);
      // y and dx row by row; the loss, dgamma and dbeta summed over N rows.
      cpu.forEach((c, i) => expect(maxRelDiff(wasm[i], c), `output ${i}`).toBeLessThan(i === 0 || i === 2 ? 1e-5 : 2e-6 * Math.sqrt(N)));
    });
  }

  // [B, L, H, dh]: the model's, and a small odd one.
  const attentionShapes: Array<[number, number, number, number, SimdVariant]> = [
    [64, 32, 4, 16, 'fused multiply-add'],
    [3, 8, 2, 4, 'fused multiply-add'],
    [3, 8, 2, 4, 'plain SIMD'],
  ];
  for (const [B, L, H, dh, variant] of attentionShapes) {
    for (const dropout of [false, true]) {
      it(`run attention B=${B} L=${L} H=${H} dh=${dh}${dropout ? ' with dropout' : ''} and its gradient in one kernel each, to the tfjs ops' bits (${variant})`, async () => {
        const N = B * L,
          d = H * dh;
        const f = () => {
          const qkv = tf.mul(tf.tensor2d(values([N, 3 * d], 16), [N, 3 * d]), 3) as tf.Tensor2D; // weights far from uniform
          const keep = dropout ? tf.tensor3d(new Rng(17).keepMask(new Float32Array(H * B * L * L), 0.3, 1 / 0.7), [H * B, L, L]) : null;
          const r = tf.tensor2d(values([N, d], 18), [N, d]);
          const { value, grads } = tf.valueAndGrads((x: tf.Tensor) => tf.sum(tf.mul(attend(x as tf.Tensor2D, B, H, { keep }), r)))([qkv]);
          return [attend(qkv, B, H, { keep }), value, ...grads];
        };
        const cpu = await on('cpu', f);
        await selectBackend(['wasm']);
        const was = useSimdVariant(variant);
        const before = tf.memory().numTensors;
        const launches = await tf.profile(() => void tf.dispose(tf.tidy(f)));
        const names = launches.kernels.map((k) => k.name);
        const forward = dropout ? 'UnmaskAttentionDropout' : 'UnmaskAttention';
        expect(names.filter((k) => k.startsWith('UnmaskAttention')).sort()).toEqual([forward, forward, 'UnmaskAttentionGrad']);
        expect(names.filter((k) => ['BatchMatMul', 'Softmax', 'Transpose'].includes(k))).toEqual([]);
        const wasm = await on('wasm', f);
        // The tfjs ops on wasm, for the same bits: the kernel takes their float32 steps.
        const fused = [FUSED.attention, FUSED.attentionDropout, FUSED.attentionGrad].map((name) => tf.getKernel(name, 'wasm')!);
        fused.forEach((k) => tf.unregisterKernel(k.kernelName, 'wasm'));
        const ops = await on('wasm', f).finally(() => fused.forEach((k) => tf.registerKernel(k)));
        useSimdVariant(was);
        expect(tf.memory().numTensors).toBe(before);
        wasm.forEach((w, i) => expect(Array.from(w), `output ${i}`).toEqual(Array.from(ops[i])));
        // ctx, the loss, dqkv against the cpu backend.
        cpu.forEach((c, i) => expect(maxRelDiff(wasm[i], c), `output ${i}`).toBeLessThan(i === 1 ? 2e-6 * Math.sqrt(N * d) : 1e-5));
      });
    }
  }

  it('leave causal attention and attention read-outs to tfjs ops, which give the same weights', async () => {
    await selectBackend(['wasm']);
    const before = tf.memory().numTensors;
    const B = 2,
      H = 2,
      L = 8,
      d = 8;
    const qkv = tf.tensor2d(values([B * L, 3 * d], 19), [B * L, 3 * d]);
    const weights: tf.Tensor3D[] = [];
    const [fused, plain, causal] = tf.tidy(() => [attend(qkv, B, H), attend(qkv, B, H, { weights }), attend(qkv, B, H, { causal: true })]);
    expect(maxRelDiff((await fused.data()) as Float32Array, (await plain.data()) as Float32Array)).toBeLessThan(1e-6);
    expect(weights[0].shape).toEqual([H * B, L, L]);
    // Causal: the first position of each sequence sees only itself, so its output is its own v.
    const first = (await causal.data()) as Float32Array,
      q = (await qkv.data()) as Float32Array;
    for (let h = 0; h < H; h++) for (let e = 0; e < d / H; e++) expect(first[h * (d / H) + e]).toBeCloseTo(q[2 * d + h * (d / H) + e], 6);
    tf.dispose([qkv, fused, plain, causal, ...weights]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('draw dropout masks in wasm as Rng.keepMask does, and move the stream on as it does', async () => {
    await selectBackend(['wasm']);
    const before = tf.memory().numTensors;
    for (const [shape, rate] of [
      [[256, 32, 32], 0.1],
      [[7, 3], 0.5],
      [[5], 0],
      [[6], 1],
      [[0], 0.1],
    ] as Array<[number[], number]>) {
      const ours = new Rng(21),
        theirs = new Rng(21);
      theirs.nextUint32();
      ours.nextUint32(); // mid-stream, as in training
      const mask = keepMaskTensor(shape, rate, ours);
      const expected = theirs.keepMask(new Float32Array(mask.size), rate, 1 / (1 - rate));
      expect(mask.shape).toEqual(shape);
      expect(Array.from(await mask.data()), `${shape} at ${rate}`).toEqual(Array.from(expected));
      expect([ours.nextUint32(), ours.nextUint32()]).toEqual([theirs.nextUint32(), theirs.nextUint32()]);
      mask.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    const launches = await tf.profile(() => void keepMaskTensor([4, 4], 0.1, new Rng(1)).dispose());
    expect(launches.kernelNames).toEqual([FUSED.dropoutMask]);
  });

  it('take the weighted cross-entropy and its gradient in one kernel each, as cpu does', async () => {
    const N = 2048,
      V = 16;
    const f = () => {
      const logits = tf.mul(tf.tensor2d(values([N, V], 22), [N, V]), 4) as tf.Tensor2D;
      const rng = new Rng(23);
      const target = tf.cast(
        tf.oneHot(
          tf.tensor1d(
            Int32Array.from({ length: N }, () => rng.int(1, V - 1)),
            'int32',
          ),
          V,
        ),
        'float32',
      ) as tf.Tensor2D;
      // The notebook's masked mean: 1/#masked at masked positions, 0 elsewhere.
      const weights = tf.tensor1d(Float32Array.from({ length: N }, (_, i) => (i % 3 === 0 ? 1 / Math.ceil(N / 3) : 0)));
      const { value, grads } = tf.valueAndGrads((z: tf.Tensor) => weightedCrossEntropy(z as tf.Tensor2D, target, weights))([logits]);
      return [value, ...grads];
    };
    const cpu = await on('cpu', f);
    await selectBackend(['wasm']);
    const before = tf.memory().numTensors;
    const launches = await tf.profile(() => void tf.dispose(tf.tidy(f)));
    const names = launches.kernels.map((k) => k.name);
    expect(names.filter((k) => k.startsWith('UnmaskCrossEntropy')).sort()).toEqual(['UnmaskCrossEntropy', 'UnmaskCrossEntropyGrad']);
    expect(names.filter((k) => ['Exp', 'Log', 'Max'].includes(k))).toEqual([]);
    const wasm = await on('wasm', f);
    expect(tf.memory().numTensors).toBe(before);
    expect(Math.abs(wasm[0][0] - cpu[0][0]) / cpu[0][0]).toBeLessThan(1e-6);
    expect(maxRelDiff(wasm[1], cpu[1])).toBeLessThan(1e-6);
    // A non-finite logit shows in the loss even where its weight is 0, as with the tfjs ops.
    const bad = await on('wasm', () =>
      weightedCrossEntropy(
        tf.tensor2d([
          [0, NaN],
          [1, 2],
        ]),
        tf.tensor2d([
          [1, 0],
          [0, 1],
        ]),
        tf.tensor1d([0, 1]),
      ),
    );
    expect(bad[0][0]).toBeNaN();
  });

  it('apply dropout, alone and into a residual sum, and their gradients in one kernel each, to the bits of tfjs Mul and Add', async () => {
    const shape = [2048, 64];
    const f = () => {
      const h = tf.tensor2d(values(shape, 24), [2048, 64]),
        x = tf.tensor2d(values(shape, 25), [2048, 64]);
      const keep = tf.tensor2d(new Rng(26).keepMask(new Float32Array(2048 * 64), 0.1, 1 / 0.9), [2048, 64]);
      const r = tf.tensor2d(values(shape, 27), [2048, 64]);
      const loss = (hh: tf.Tensor, xx: tf.Tensor) => tf.sum(tf.mul(tf.add(addDropped(hh, xx, keep), dropped(xx, keep)), r));
      const { value, grads } = tf.valueAndGrads(loss)([h, x]);
      return [addDropped(h, x, keep), dropped(x, keep), value, ...grads];
    };
    const cpu = await on('cpu', f);
    await selectBackend(['wasm']);
    const before = tf.memory().numTensors;
    const launches = await tf.profile(() => void tf.dispose(tf.tidy(f)));
    const names = launches.kernels.map((k) => k.name);
    expect(names.filter((k) => k === FUSED.dropout || k === FUSED.residualDropout).length).toBe(4);
    const wasm = await on('wasm', f);
    expect(tf.memory().numTensors).toBe(before);
    // y, the loss (summed in a different order on each backend), dh, dx.
    cpu.forEach((c, i) =>
      i === 2 ? expect(maxRelDiff(wasm[i], c)).toBeLessThan(1e-4) : expect(Array.from(wasm[i]), `output ${i}`).toEqual(Array.from(c)),
    );
  });

  it("give matMul's gradients as the cpu backend does", async () => {
    const f = () => {
      const a = tf.tensor(values([6, 8, 12], 3), [6, 8, 12]);
      const b = tf.tensor(values([6, 16, 12], 4), [6, 16, 12]);
      const g = tf.grads((x, y) => tf.sum(tf.square(tf.matMul(x, y, false, true))))([a, b]);
      return g;
    };
    const cpu = await on('cpu', f);
    const wasm = await on('wasm', f);
    cpu.forEach((c, i) => expect(maxRelDiff(wasm[i], c)).toBeLessThan(1e-5));
  });

  const slices: Array<[number[], number[], number[]]> = [
    [
      [3, 256, 32, 16],
      [1, 0, 0, 0],
      [1, 256, 32, 16],
    ], // q, k or v: one contiguous block
    [
      [5, 7],
      [1, 2],
      [3, 4],
    ],
    [
      [4, 6, 5],
      [1, 0, 2],
      [2, 6, 3],
    ],
    [
      [2, 3, 4, 5, 6],
      [1, 1, 0, 2, 1],
      [1, 2, 4, 3, 5],
    ],
    [
      [6, 4],
      [2, 0],
      [0, 4],
    ], // empty
  ];
  for (const [shape, begin, size] of slices) {
    it(`slice [${shape}] from [${begin}] by [${size}] as the cpu backend does`, async () => {
      const f = () => tf.slice(tf.tensor(values(shape, 5), shape), begin, size);
      const [cpu] = await on('cpu', f);
      const [wasm] = await on('wasm', f);
      expect(Array.from(wasm)).toEqual(Array.from(cpu));
    });
  }

  it('unpack along any axis as the cpu backend does, shapes included', async () => {
    for (const axis of [0, 1, 2, -1]) {
      const shape = [3, 4, 5];
      const f = () => tf.unstack(tf.tensor(values(shape, 6), shape), axis);
      const cpu = await on('cpu', f);
      await selectBackend(['wasm']);
      const parts = tf.tidy(() => tf.unstack(tf.tensor(values(shape, 6), shape), axis).map((t) => tf.keep(t)));
      expect(parts.map((t) => t.shape)).toEqual(tf.unstack(tf.zeros(shape), axis).map((t) => t.shape));
      const wasm = await Promise.all(parts.map((t) => t.data()));
      tf.dispose(parts);
      wasm.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(cpu[i])));
    }
  });

  it('copy a block of any rank as index arithmetic says', () => {
    const rng = new Rng(9);
    for (let trial = 0; trial < 200; trial++) {
      const rank = rng.int(1, 5);
      const shape = Array.from({ length: rank }, () => rng.int(1, 5));
      const begin = shape.map((d) => rng.int(0, d - 1));
      const size = shape.map((d, i) => rng.int(0, d - begin[i]));
      const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i);
      const out = new Float32Array(size.reduce((a, b) => a * b, 1));
      copyBlock(x, shape, begin, size, out);
      // The naive way: walk every output index.
      const expected: number[] = [];
      const walk = (d: number, flat: number) => {
        if (d === rank) return void expected.push(flat);
        const stride = shape.slice(d + 1).reduce((a, b) => a * b, 1);
        for (let i = begin[d]; i < begin[d] + size[d]; i++) walk(d + 1, flat + i * stride);
      };
      walk(0, 0);
      expect(Array.from(out)).toEqual(expected);
    }
  });

  it('clone and same-dtype cast without copying: the result shares memory and outlives its source', async () => {
    await selectBackend(['wasm']);
    const before = tf.memory().numTensors;
    const x = tf.tensor([1, 2, 3, 4, 5], [5]);
    const y = tf.clone(x);
    const offsetOf = (t: tf.Tensor) => (tf.backend() as unknown as { getMemoryOffset(d: object): number }).getMemoryOffset(t.dataId);
    expect(offsetOf(y)).toBe(offsetOf(x));
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4, 5]);
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    // A cast to the same dtype shares too; a real conversion still converts.
    const z = tf.tensor([1.5, -2.5]);
    const same = tf.cast(z, 'float32'),
      ints = tf.cast(z, 'int32');
    expect(offsetOf(same)).toBe(offsetOf(z));
    expect(Array.from(await ints.data())).toEqual([1, -2]);
    tf.dispose([z, same, ints]);
    expect(tf.memory().numTensors).toBe(before);
    // A gradient that saves its inputs (every save is a clone) still comes out right.
    const f = () => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(a, a)))(tf.tensor([1, -2, 3]));
    const [cpu] = await on('cpu', f);
    const [wasm] = await on('wasm', f);
    expect(Array.from(wasm)).toEqual(Array.from(cpu));
  });

  /**
   * Two AdamW steps on the given backend (the second with moments from the
   * first), from the same weights and gradients: new weights, moments and check.
   */
  async function adamWSteps(backend: 'cpu' | 'wasm', shapes: number[][], gradScale: number, clipNorm: number | null): Promise<Float32Array[]> {
    await selectBackend([backend]);
    const before = tf.memory().numTensors;
    const vars = tf.tidy(() => shapes.map((s, i) => tf.variable(tf.tensor(values(s, 10 + i), s))));
    const opt = new AdamW(vars, { ...TORCH_ADAMW, clipNorm });
    const out: Float32Array[] = [];
    for (let step = 0; step < 2; step++) {
      const grads = tf.tidy(() => shapes.map((s, i) => tf.mul(tf.tensor(values(s, 20 + i + step), s), gradScale)));
      const loss = tf.scalar(1.5);
      const u = opt.stage(grads, 1e-3 * (step + 1), loss);
      out.push((await u.check.data()) as Float32Array);
      tf.dispose([...grads, loss]);
      if (step === 1) for (const t of [...u.params, ...u.m, ...u.v]) out.push((await t.data()) as Float32Array);
      opt.commit(u);
    }
    opt.dispose();
    tf.dispose(vars);
    expect(tf.memory().numTensors).toBe(before);
    return out;
  }

  // Sizes that are and are not whole groups of four lanes.
  const adamShapes = [[64, 192], [192], [7], [3, 5], [1]];

  it('step AdamW in one kernel to the same bits as the tfjs ops, unclipped', async () => {
    const cpu = await adamWSteps('cpu', adamShapes, 1e-3, 1.0); // norm about 0.07: no clipping
    const wasm = await adamWSteps('wasm', adamShapes, 1e-3, 1.0);
    expect(cpu[0][2]).toBe(1);
    expect(cpu[0][1]).toBeLessThan(1);
    // The norm is summed in float64 on wasm, in float32 blocks on cpu.
    expect(Math.abs(wasm[0][1] - cpu[0][1]) / cpu[0][1]).toBeLessThan(1e-6);
    cpu.slice(2).forEach((c, i) => expect(Array.from(wasm[2 + i]), `output ${i}`).toEqual(Array.from(c)));
  });

  it('step AdamW in one kernel as the tfjs ops do, clipped and without clipping', async () => {
    for (const clip of [1.0, null]) {
      const cpu = await adamWSteps('cpu', adamShapes, 10, clip); // norm about 700
      const wasm = await adamWSteps('wasm', adamShapes, 10, clip);
      expect(cpu[0][1]).toBeGreaterThan(100);
      expect(Math.abs(wasm[1][1] - cpu[1][1]) / cpu[1][1]).toBeLessThan(1e-6);
      // The clip factor comes from the norm, which may differ in its last bit.
      cpu.slice(2).forEach((c, i) => expect(maxRelDiff(wasm[2 + i], c), `output ${i}`).toBeLessThan(1e-6));
    }
  });

  it('flag a non-finite AdamW step on wasm as on cpu', async () => {
    for (const backend of ['cpu', 'wasm'] as const) {
      await selectBackend([backend]);
      const before = tf.memory().numTensors;
      const w = tf.tidy(() => tf.variable(tf.tensor([1, 2, 3, 4, 5])));
      const opt = new AdamW([w]);
      const cases: Array<[number[], number, number]> = [
        [[0.1, 0.2, 0.3, 0.4, NaN], 1e-3, 0], //  a NaN gradient (the tail lane)
        [[0.1, 0.2, 0.3, 0.4, 0.5], 1e39, 0], //  an infinite learning rate
        [[0.1, 0.2, 0.3, 0.4, 0.5], 1e-3, 1], //  a good step
      ];
      for (const [g, lr, ok] of cases) {
        const grad = tf.tensor(g);
        const u = opt.stage([grad], lr);
        expect((await u.check.data())[2], `${backend} ${g} ${lr}`).toBe(ok);
        opt.discard(u);
        grad.dispose();
      }
      const loss = tf.scalar(Infinity),
        grad = tf.tensor([0.1, 0.2, 0.3, 0.4, 0.5]);
      const u = opt.stage([grad], 1e-3, loss);
      expect(Array.from(await u.check.data())).toEqual([Infinity, expect.any(Number), 0]);
      opt.discard(u);
      tf.dispose([loss, grad]);
      opt.dispose();
      w.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});
