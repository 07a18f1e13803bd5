/**
 * Kernels of our own for tfjs' wasm backend, put in front of tfjs' where they
 * are much faster for this model (measured in bench/train.ts). Each falls back
 * to tfjs' kernel for anything it does not handle.
 */
import { installWasmAdamW } from './wasm-adamw.ts';
import { installWasmAttention } from './wasm-attention.ts';
import { chooseSimdVariant } from './wasm-backend.ts';
import { installWasmBatchMatMul } from './wasm-batch-matmul.ts';
import { installWasmCrossEntropy } from './wasm-cross-entropy.ts';
import { installWasmDense } from './wasm-dense.ts';
import { installWasmDropout } from './wasm-dropout.ts';
import { installWasmDropoutMask } from './wasm-dropout-mask.ts';
import { installWasmIdentity } from './wasm-identity.ts';
import { installWasmLayerNorm } from './wasm-layer-norm.ts';
import { installWasmSlice } from './wasm-slice.ts';

let report: string | null = null;

/** Install once, after the wasm backend is ready; says in words what is in use. */
export function installWasmKernels(): string {
  if (report === null) {
    chooseSimdVariant();
    report = [
      installWasmBatchMatMul(),
      installWasmDense(),
      installWasmLayerNorm(),
      installWasmAttention(),
      installWasmSlice(),
      installWasmIdentity(),
      installWasmAdamW(),
      installWasmDropoutMask(),
      installWasmDropout(),
      installWasmCrossEntropy(),
    ].join('; ');
  }
  return report;
}
