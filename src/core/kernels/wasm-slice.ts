/**
 * Slice and Unpack for tfjs' wasm backend without the hidden copy.
 *
 * tfjs' wasm Slice starts with `readSync(x)`, which copies the whole source
 * out of wasm memory before copying the slice in: taking q, k and v apart
 * (three slices of a 1.5 MB tensor) cost 2.5 ms where a memcpy needs 0.1 ms.
 * These read the source in place through a view of wasm memory.
 */
import * as tf from '@tensorflow/tfjs-core';
import { overrideWasmKernel } from './override.ts';

/** The parts of tfjs-backend-wasm's BackendWasm used here. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Copy the block of x [shape] starting at `begin` with extent `size` into
 * `out`, one contiguous run of the last axis at a time (one run in all when
 * the block is contiguous).
 */
export function copyBlock<T extends Float32Array | Int32Array | Uint8Array>(
  x: T,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
  out: T,
): void {
  const rank = shape.length;
  const strides = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) strides[d] = strides[d + 1] * shape[d + 1];
  // Merge trailing axes that are taken whole into one run.
  let inner = rank - 1;
  let run = size[inner];
  while (inner > 0 && size[inner] === shape[inner] && begin[inner] === 0) {
    inner--;
    run *= size[inner];
  }
  if (run === 0) return;
  const index = begin.slice(0, inner); // position in the axes before `inner`
  const runs = out.length / run;
  for (let r = 0, o = 0; r < runs; r++, o += run) {
    let from = begin[inner] * strides[inner];
    for (let d = 0; d < inner; d++) from += index[d] * strides[d];
    out.set(x.subarray(from, from + run), o);
    // Odometer over the outer axes.
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d] < begin[d] + size[d]) break;
      index[d] = begin[d];
    }
  }
}

function slice(backend: WasmBackend, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  // Views are taken after makeOutput: allocating may grow memory and detach older ones.
  copyBlock(backend.typedArrayFromHeap(x), x.shape, begin, size, backend.typedArrayFromHeap(out));
  return out;
}

/** Put in-place Slice and Unpack in front of the wasm backend's. Call once the wasm backend is ready. */
export function installWasmSlice(): string {
  const plain = (x: tf.TensorInfo) => x.dtype !== 'string' && x.dtype !== 'complex64';
  const sliced = overrideWasmKernel('Slice', ({ inputs, attrs, backend }) => {
    const x = inputs.x as tf.TensorInfo;
    if (!plain(x)) return null;
    const { begin, size } = attrs as unknown as { begin: number | number[]; size?: number | number[] };
    const [b, s] = tf.slice_util.parseSliceParams(x as tf.Tensor, begin, size);
    return slice(backend as unknown as WasmBackend, x, b, s);
  });
  const unpacked = overrideWasmKernel('Unpack', ({ inputs, attrs, backend }) => {
    const x = inputs.value as tf.TensorInfo;
    if (!plain(x)) return null;
    const rank = x.shape.length;
    const axis = ((attrs as unknown as { axis: number }).axis + rank) % rank;
    const size = x.shape.slice();
    size[axis] = 1;
    const outShape = x.shape.filter((_, d) => d !== axis);
    return Array.from({ length: x.shape[axis] }, (_, i) => {
      const begin = new Array<number>(rank).fill(0);
      begin[axis] = i;
      const out = slice(backend as unknown as WasmBackend, x, begin, size);
      out.shape = outShape; // same values, the unpacked axis dropped
      return out;
    });
  });
  return sliced && unpacked ? 'in-place Slice and Unpack' : "tfjs' Slice and Unpack (the wasm backend is not registered)";
}
