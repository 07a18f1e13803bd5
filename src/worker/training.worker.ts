/**
 * The training worker: live training off the page's main thread, so the lesson
 * never freezes while the model learns. It picks its own backend (WebGPU works
 * in workers, WebGL through an OffscreenCanvas, wasm and cpu anywhere), runs a
 * TrainingSession, and watches the GPU: a lost WebGL context or WebGPU device
 * is reported, and the page carries the run on from its last save. (Tests
 * force such faults from outside, through tfjs' global engine: nothing in this
 * bundle exists only for them.)
 */
import { errorMessage } from '../core/error-message.ts';
import { watchGpu } from './gpu-watch.ts';
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

const lost = new AbortController();
let lostPosted = false;
let session: TrainingSession | null = null;

/**
 * Say at once that the GPU is gone: a step in flight on a lost device may
 * never finish, so the page must not wait for the loop to notice.
 */
function markLost(reason: string): void {
  lost.abort();
  post({ type: 'lost', step: lastStep, message: reason });
}

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'init':
      try {
        const choice = await startBackend(msg.backends);
        const gpu = watchGpu(choice.name, markLost);
        session = new TrainingSession((e: SessionEvent) => post(e), {
          lost: () => gpu.reason(),
          settleLost: (error) => gpu.settle(error),
          lostSignal: lost.signal,
        });
        post({ type: 'ready', choice });
      } catch (e) {
        post({ type: 'init-failed', message: errorMessage(e) });
      }
      return;
    case 'measure':
      try {
        post({ type: 'measured', secPerStep: await session!.measure(msg.recipe) });
      } catch (e) {
        post({ type: 'measure-failed', message: errorMessage(e) });
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
