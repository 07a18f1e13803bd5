// Entry-point duty (see src/core/training.ts): register tfjs-core's gradients.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { enableProdMode } from '@tensorflow/tfjs-core';
import { setFlagsFromString } from 'node:v8';
import { bestSimdVariant } from '../src/core/kernels/wasm-backend.ts';

// As in the CLI: no debug checks, no banner urging tfjs-node.
enableProdMode();
// As in the CLI (src/cli/node.ts): relaxed SIMD on, so the wasm kernels run their fused multiply-adds.
if (bestSimdVariant() === 'plain SIMD') setFlagsFromString('--experimental-wasm-relaxed-simd');
