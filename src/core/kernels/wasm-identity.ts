/**
 * Identity, and Cast to the dtype a tensor already has, for tfjs' wasm backend
 * without the copy.
 *
 * tfjs saves every tensor a gradient will need through `clone` (an Identity
 * kernel), and Multiply's gradient casts its other input to float32 even when
 * it is float32 already; the wasm backend's Identity and Cast copy the data
 * each time: about 140 copies a training step, up to 2 MB each. Tensors are
 * immutable, so the result can share the source's memory and count one more
 * reference to it, as tfjs' cpu backend does and wasm's own Reshape already does.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel } from './override.ts';
import type { WasmBackend } from './wasm-backend.ts';

function share(backend: object, x: tf.TensorInfo): tf.TensorInfo {
  (backend as WasmBackend).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Put the sharing Identity and Cast in front of the wasm backend's. Call once the wasm backend is ready. */
export function installWasmIdentity(): string {
  const identity = overrideWasmKernel('Identity', ({ inputs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    return x.dtype === 'string' ? null : share(backend, x);
  });
  const cast = overrideWasmKernel('Cast', ({ inputs, attrs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    return x.dtype !== 'string' && x.dtype === (attrs as unknown as { dtype: tf.DataType }).dtype ? share(backend, x) : null;
  });
  return identity && cast ? 'shared-memory Identity and Cast' : "tfjs' Identity and Cast (the wasm backend is not registered)";
}
