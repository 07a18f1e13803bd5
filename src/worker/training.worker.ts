/**
 * The training worker: live training off the page's main thread, so the lesson
 * never freezes while the model learns. It picks its own backend (WebGPU works
 * in workers, WebGL through an OffscreenCanvas, wasm and cpu anywhere), runs a
 * TrainingSession, and watches the GPU: a lost WebGL context or WebGPU device
 * is reported, and the page carries the run on from its last save.
 */
import * as tf from '@tensorflow/tfjs-core';
import { startBackend } from './tfjs-browser.ts';
import { buffersOf, type FromWorker, type SessionEvent, type ToWorker } from './protocol.ts';
import { TrainingSession } from './session.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** The last step reported, for the account of a lost GPU. */
let lastStep = 0;

function post(message: FromWorker): void {
  // Once the GPU is reported lost, the page replaces this worker: anything later is noise.
  if (lostPosted) return;
  if (message.type === 'progress') lastStep = message.step;
  if (message.type === 'lost') lostPosted = true;
  const weights = message.type === 'ended' ? message.weights : message.type === 'saved' ? message.state.weights : null;
  scope.postMessage(message, buffersOf(weights));
}

/** The GPU behind the current backend, if any, and how to notice it going. */
interface Gpu {
  readonly describe: string;
  /** Make the GPU go away on purpose, as a driver reset would: for fault-injection tests. */
  readonly lose: () => void;
}

const lost = new AbortController();
let lostReason: string | null = null;
let lostPosted = false;

/**
 * Say at once that the GPU is gone: a step in flight on a lost device may
 * never finish, so the page must not wait for the loop to notice.
 */
function markLost(reason: string): void {
  if (lostReason) return;
  lostReason = reason;
  lost.abort();
  post({ type: 'lost', step: lastStep, message: reason });
}

function watchGpu(backend: string): Gpu | null {
  if (backend === 'webgl') {
    const gl = (tf.backend() as unknown as { gpgpu: { gl: WebGL2RenderingContext } }).gpgpu.gl;
    const canvas = gl.canvas as OffscreenCanvas;
    canvas.addEventListener('webglcontextlost', () => markLost('the WebGL context was lost (the GPU was reset or taken by another program)'));
    return {
      describe: 'WebGL context',
      lose: () => {
        gl.getExtension('WEBGL_lose_context')?.loseContext();
        // The event is queued; record the loss now so the step in flight does not read garbage.
        if (gl.isContextLost()) markLost('the WebGL context was lost (the GPU was reset or taken by another program)');
      },
    };
  }
  if (backend === 'webgpu') {
    const device = (tf.backend() as unknown as { device: GPUDevice }).device;
    void device.lost.then((info) => markLost(`the WebGPU device was lost (${info.reason === 'destroyed' ? 'destroyed' : info.message || 'unknown reason'})`));
    return {
      describe: 'WebGPU device',
      lose: () => {
        device.destroy();
        markLost('the WebGPU device was lost (destroyed)');
      },
    };
  }
  return null;
}

let session: TrainingSession | null = null;
let gpu: Gpu | null = null;

/** Fault injection for the e2e tests (and curious learners): lose the GPU as a driver reset would. */
(scope as unknown as { unmaskFaults: { loseDevice: () => string } }).unmaskFaults = {
  loseDevice: () => {
    if (!gpu) return 'no GPU in use';
    gpu.lose();
    return `lost the ${gpu.describe}`;
  },
};

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      try {
        const choice = await startBackend(msg.backends);
        gpu = watchGpu(choice.name);
        session = new TrainingSession((e: SessionEvent) => post(e), { lost: () => lostReason, lostSignal: lost.signal });
        post({ type: 'ready', choice });
      } catch (e) {
        post({ type: 'init-failed', message: e instanceof Error ? e.message : String(e) });
      }
      return;
    case 'measure':
      try {
        post({ type: 'measured', secPerStep: await session!.measure(msg.recipe) });
      } catch (e) {
        post({ type: 'measure-failed', message: e instanceof Error ? e.message : String(e) });
      }
      return;
    case 'run':
      return session!.run(msg.spec, msg.from);
    case 'pause':
      return session?.pause();
    case 'stop':
      return session?.stop();
  }
}

scope.onmessage = (e: MessageEvent<ToWorker>) => void handle(e.data);
