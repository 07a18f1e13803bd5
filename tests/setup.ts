// Entry-point duty (see src/core/training.ts): register tfjs-core's gradients.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { enableProdMode } from '@tensorflow/tfjs-core';

// As in the CLI: no debug checks, no banner urging tfjs-node.
enableProdMode();
