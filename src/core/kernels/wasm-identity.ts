/**
 * Identity for tfjs' wasm backend without the copy.
 *
 * tfjs saves every tensor a gradient will need through `clone` (an Identity
 * kernel), and the wasm backend's Identity copies the data: about 140 copies a
 * training step, 1.5 MB at a time for the larger activations. Tensors are
 * immutable, so the clone can share the source's memory and count one more
 * reference to it, as tfjs' cpu backend already does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel } from './override.ts';

/** The part of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackend {
  incRef(dataId: object): void;
}

/** Put the sharing Identity in front of the wasm backend's. Call once the wasm backend is ready. */
export function installWasmIdentity(): string {
  const installed = overrideWasmKernel('Identity', ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return null;
    (backend as unknown as WasmBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
  return installed ? 'shared-memory Identity' : "tfjs' Identity (the wasm backend is not registered)";
}
