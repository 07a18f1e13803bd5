// Entry-point duty (see src/core/training.ts): register tfjs-core's gradients.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
