/** Put a kernel of ours in front of one of tfjs' own on the wasm backend. */
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type KernelOutput = ReturnType<tf.KernelFunc>;

/**
 * Replace the wasm backend's `kernelName` with `mine`, which returns null for
 * whatever it leaves to tfjs' kernel. `setup` runs after tfjs' own set-up
 * whenever a wasm backend starts. False when there is no such kernel to replace.
 */
export function overrideWasmKernel(kernelName: string, mine: (args: KernelArgs) => KernelOutput | null, setup?: (backend: object) => void): boolean {
  const original = tf.getKernel(kernelName, 'wasm');
  if (!original) return false;
  tf.unregisterKernel(kernelName, 'wasm');
  tf.registerKernel({
    kernelName,
    backendName: 'wasm',
    setupFunc: (backend) => {
      original.setupFunc?.(backend);
      setup?.(backend);
    },
    kernelFunc: (args) => mine(args) ?? original.kernelFunc(args),
  });
  return true;
}
