/**
 * Noticing that the GPU under a worker's backend has gone: a lost WebGL
 * context (a driver reset, another program taking the GPU) or a lost WebGPU
 * device. Both workers (training and compute) watch it the same way, and say
 * so at once, since a step in flight on a lost device may never finish.
 */
import * as tf from '@tensorflow/tfjs-core';
import { errorMessage } from '../core/error-message.ts';

export interface GpuWatch {
  /** Why the GPU is gone, or null while it is fine. Checks the device itself where it can. */
  reason(): string | null;
  /**
   * After `error`: wait for a loss still on its way, then say why the GPU is gone, or null.
   * Briefly for any error; for one that is a lost device's symptom, until the loss is confirmed.
   */
  settle(error: unknown): Promise<string | null>;
}

const WEBGL_LOST = 'the WebGL context was lost (the GPU was reset or taken by another program)';
const SETTLE_MS = 500;
/**
 * What WebGPU calls throw once their device is destroyed, before device.lost has
 * resolved. The promise can resolve seconds later on a busy GPU (or software
 * one) still working through the step's queued work, so an error like this waits
 * for it: the wait is a hang guard, not a budget.
 */
const WEBGPU_LOSS_SYMPTOM = /unmapped before mapping was resolved|device (is |was )?(lost|destroyed)|instance dropped/i;
const LOSS_SYMPTOM_WAIT_MS = 120_000;

/** How long to wait after `error` for a WebGPU device loss to be confirmed. */
export function settleWaitMs(error: unknown): number {
  return WEBGPU_LOSS_SYMPTOM.test(errorMessage(error)) ? LOSS_SYMPTOM_WAIT_MS : SETTLE_MS;
}

/** Watch the current tfjs backend's GPU (if it has one); `onLost` is called once, when it goes. */
export function watchGpu(backend: string, onLost: (reason: string) => void): GpuWatch {
  let why: string | null = null;
  const lose = (reason: string) => {
    if (why) return;
    why = reason;
    onLost(reason);
  };
  if (backend === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
    (gl.canvas as OffscreenCanvas).addEventListener('webglcontextlost', () => lose(WEBGL_LOST));
    const reason = () => {
      // The event is queued behind the step in flight; the context itself knows at once.
      if (!why && gl.isContextLost()) lose(WEBGL_LOST);
      return why;
    };
    return { reason, settle: async () => reason() };
  }
  if (backend === 'webgpu') {
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    const gone = device.lost.then((info) =>
      lose(`the WebGPU device was lost (${info.reason === 'destroyed' ? 'destroyed' : info.message || 'unknown reason'})`),
    );
    return {
      reason: () => why,
      settle: async (error) => {
        await Promise.race([gone, new Promise((r) => setTimeout(r, settleWaitMs(error)))]);
        return why;
      },
    };
  }
  return { reason: () => null, settle: async () => null };
}
