/**
 * AdamW with gradient clipping for tfjs' wasm backend, as one kernel.
 *
 * Written with tfjs ops (optim.ts), a step is about a dozen kernels a
 * parameter, some 500 for the model's 43 parameters, each paying tfjs'
 * bookkeeping and a scalar upload or two, for arithmetic that takes 0.2 ms in
 * all. This kernel takes the gradient norm and updates every parameter and
 * both moments in one launch (adamw.wat), with the same float32 operations in
 * the same order, so it gives the same new weights bit for bit.
 *
 * Inputs: g0..g{n-1} (gradients), p0.. (parameters), m0.., v0.. (moments),
 * and optionally `loss`. Attributes: AdamWStepAttrs. Outputs: the check
 * [loss or 0, gradient norm before clipping, 1 if every value is finite],
 * then the n new parameters, the n new first and the n new second moments.
 */
import * as tf from '@tensorflow/tfjs-core';
import { WASM_BYTES } from './adamw.wasm.ts';
import { FUSED } from './fused.ts';
import { memoryOffset, registerWasmKernel, WasmModule, type WasmBackend } from './wasm-backend.ts';

interface Module {
  sumSquares(x: number, n: number): number;
  step(
    g: number,
    p: number,
    m: number,
    v: number,
    pOut: number,
    mOut: number,
    vOut: number,
    n: number,
    coef: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    bc2Sqrt: number,
    eps: number,
    decay: number,
    stepSize: number,
  ): number;
}

export interface AdamWStepAttrs {
  readonly count: number;
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Max global L2 norm of the gradient; negative for no clipping. */
  readonly clipNorm: number;
  /** 1 - beta1^t and sqrt(1 - beta2^t) for this step t. */
  readonly bc1: number;
  readonly bc2Sqrt: number;
}

const f32 = Math.fround;

const module = new WasmModule<Module>({ bytes: WASM_BYTES });

function adamWStep(k: Module, { inputs, attrs, backend: b }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo[] {
  const backend = b as unknown as WasmBackend;
  const a = attrs as unknown as AdamWStepAttrs;
  const input = (name: string) => inputs[name] as tf.TensorInfo;
  const sizes = Array.from({ length: a.count }, (_, i) => tf.util.sizeFromShape(input(`p${i}`).shape));
  // clip_grad_norm_: the global norm, then scale by min(1, max_norm / (norm + 1e-6)), in float32 as the tfjs ops do.
  let sum = 0;
  for (let i = 0; i < a.count; i++) sum += k.sumSquares(memoryOffset(backend, input(`g${i}`)), sizes[i]);
  const norm = f32(Math.sqrt(sum));
  const coef = a.clipNorm < 0 ? 1 : Math.min(1, f32(f32(a.clipNorm) / f32(norm + f32(1e-6))));
  const outs = (prefix: string) => Array.from({ length: a.count }, (_, i) => backend.makeOutput(input(`${prefix}${i}`).shape, 'float32'));
  const check = backend.makeOutput([3], 'float32');
  const [params, m, v] = [outs('p'), outs('m'), outs('v')];
  let finite = Number.isFinite(norm);
  for (let i = 0; i < a.count; i++) {
    const ptr = (t: tf.TensorInfo) => memoryOffset(backend, t);
    const ok = k.step(
      ptr(input(`g${i}`)),
      ptr(input(`p${i}`)),
      ptr(input(`m${i}`)),
      ptr(input(`v${i}`)),
      ptr(params[i]),
      ptr(m[i]),
      ptr(v[i]),
      sizes[i],
      coef,
      a.beta1,
      1 - a.beta1,
      a.beta2,
      1 - a.beta2,
      a.bc2Sqrt,
      a.eps,
      1 - a.lr * a.weightDecay,
      a.lr / a.bc1,
    );
    finite &&= ok === 1;
  }
  const loss = inputs.loss ? backend.typedArrayFromHeap(inputs.loss as tf.TensorInfo)[0] : 0;
  // A view taken after every makeOutput: allocating may grow memory and detach older views.
  backend.typedArrayFromHeap(check).set([loss, norm, finite && Number.isFinite(loss) ? 1 : 0]);
  return [check, ...params, ...m, ...v];
}

/** Add the fused AdamW step to the wasm backend. Call once the wasm backend is ready. */
export function installWasmAdamW(): string {
  const failed = registerWasmKernel(FUSED.adamW, module, adamWStep);
  return failed === null ? 'one-pass AdamW' : `AdamW in tfjs ops (${failed})`;
}
