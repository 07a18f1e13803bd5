/**
 * A dense layer, y = x W + b (then ReLU if asked), as one wasm kernel forward
 * and one backward, for tfjs' wasm backend.
 *
 * Written with tfjs ops it is a product and a broadcast add forward (a ReLU
 * more for the feed-forward layer), and backward three products, a ones
 * vector and a reshape for the bias (ReLU's gradient two kernels more), plus
 * a copy of each saved tensor through customGrad. Here the bias goes into the
 * product's accumulators before the first multiply-add and the ReLU onto its
 * store (batch-matmul.wat); backward, one pass over dy gives the bias gradient
 * (and dy through the ReLU), then two products give dx and dW.
 *
 * Kernels: `UnmaskDense` and `UnmaskDenseRelu` {x [N, in], w [in, out], b [out]}
 * -> y [N, out]; `UnmaskDenseGrad` {dy, x, w, y?} -> [dx, dw, db], attrs {relu}.
 * Two forward names because tfjs saves a kernel's tensors for its gradient by
 * name, and only the ReLU's gradient needs y. All need in and out to be whole
 * SIMD lanes (denseFits); ops.ts uses tfjs ops otherwise.
 */
import * as tf from '@tensorflow/tfjs-core';
import { FUSED } from './fused.ts';
import { planBatchMatMul, product, productModule } from './wasm-batch-matmul.ts';
import { memoryOffset, type WasmBackend } from './wasm-backend.ts';

/** True when the fused kernels take a dense layer from `inputs` to `outputs` features. */
export function denseFits(inputs: number, outputs: number): boolean {
  return inputs % 4 === 0 && outputs % 4 === 0 && inputs > 0 && outputs > 0;
}

interface DenseAttrs {
  readonly relu: boolean;
}

type Args = Parameters<tf.KernelFunc>[0];

function forward({ inputs, backend: b }: Args, relu: boolean): tf.TensorInfo {
  const backend = b as unknown as WasmBackend;
  const { x, w, b: bias } = inputs as { x: tf.TensorInfo; w: tf.TensorInfo; b: tf.TensorInfo };
  const plan = planBatchMatMul(x, w, false, false)!;
  const y = backend.makeOutput(plan.outShape, 'float32');
  product(backend, productModule()!, x, w, y, false, false, plan, bias, relu);
  return y;
}

function backward({ inputs, attrs, backend: b }: Args): tf.TensorInfo[] {
  const backend = b as unknown as WasmBackend;
  const k = productModule()!;
  const { dy, x, w, y } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo; w: tf.TensorInfo; y?: tf.TensorInfo };
  const [N, out] = dy.shape;
  const inSize = x.shape[1];
  const relu = (attrs as unknown as DenseAttrs).relu;
  const db = backend.makeOutput([out], 'float32');
  // Through the ReLU: g = dy where y > 0, else 0 (a scratch tensor); without one, g is dy itself.
  const g = relu ? backend.makeOutput([N, out], 'float32') : dy;
  try {
    k.biasGrad(memoryOffset(backend, dy), relu ? memoryOffset(backend, y!) : 0, memoryOffset(backend, g), memoryOffset(backend, db), N, out);
    const dx = backend.makeOutput([N, inSize], 'float32');
    product(backend, k, g, w, dx, false, true, planBatchMatMul(g, w, false, true)!); //  dx [N, in] = g W^T
    const dw = backend.makeOutput([inSize, out], 'float32');
    product(backend, k, x, g, dw, true, false, planBatchMatMul(x, g, true, false)!); // dW [in, out] = x^T g
    return [dx, dw, db];
  } finally {
    if (relu) backend.disposeData(g.dataId);
  }
}

/** Add the fused dense kernels and their gradient. Call once the product kernel is installed. */
export function installWasmDense(): string {
  if (!productModule()) return 'dense layers in tfjs ops (no SIMD products)';
  const kernels: Array<[string, tf.KernelFunc]> = [
    [FUSED.dense, (args) => forward(args, false)],
    [FUSED.denseRelu, (args) => forward(args, true)],
    [FUSED.denseGrad, backward as tf.KernelFunc],
  ];
  for (const [kernelName, kernelFunc] of kernels) {
    if (tf.getKernel(kernelName, 'wasm')) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  for (const relu of [false, true]) {
    tf.registerGradient({
      kernelName: relu ? FUSED.denseRelu : FUSED.dense,
      inputsToSave: ['x', 'w'],
      outputsToSave: [relu],
      gradFunc: (dy, [x, w, y]) => {
        const inputs: tf.NamedTensorMap = relu ? { dy: dy as tf.Tensor, x, w, y } : { dy: dy as tf.Tensor, x, w };
        const [dx, dw, db] = tf.engine().runKernel(FUSED.denseGrad, inputs, { relu }) as tf.Tensor[];
        return { x: () => dx, w: () => dw, b: () => db };
      },
    });
  }
  return 'dense layers with the bias and ReLU in the product';
}
