/**
 * Where live training runs. Normally a module worker, so the page's main
 * thread only draws; where a worker cannot start (no Worker, a blocked script,
 * no backend inside it), the same TrainingSession runs on the page and yields
 * between steps instead.
 */
import type { BackendChoice } from '../../core/backend.ts';
import { errorMessage } from '../../core/error-message.ts';
import type { FromWorker, RunSpec, RunState, SessionEvent, ToWorker } from '../../worker/protocol.ts';
import { buffersOf } from '../../worker/protocol.ts';

export interface TrainingClient {
  readonly backend: BackendChoice;
  readonly where: 'worker' | 'page';
  /** Seconds a training step takes here. */
  measure(recipe: string): Promise<number>;
  /** Start (spec given) or carry on (spec null) a run; its events go to the listener given at connect. */
  run(spec: RunSpec | null, from: RunState | null): void;
  pause(): void;
  stop(): void;
  dispose(): void;
}

type Listener = (event: SessionEvent) => void;

/** Start a client on the first of `backends` that works; its events go to `onEvent`. */
export type ConnectFn = (backends: readonly string[], onEvent: Listener) => Promise<{ client: TrainingClient; note: string | null }>;

const INIT_TIMEOUT_MS = 60_000;

/** A worker on the first of `backends` that starts there, or the page's own engine if no worker can. */
export const connect: ConnectFn = async (backends, onEvent) => {
  if (typeof Worker !== 'undefined') {
    try {
      return { client: await connectWorker(backends, onEvent), note: null };
    } catch (e) {
      const why = errorMessage(e);
      return {
        client: await connectPage(backends, onEvent),
        note: `Training runs on the page, not in a background worker (${why}), so the lesson may pause briefly at each step.`,
      };
    }
  }
  return {
    client: await connectPage(backends, onEvent),
    note: 'This browser has no web workers, so training runs on the page and the lesson may pause briefly at each step.',
  };
};

function connectWorker(backends: readonly string[], onEvent: Listener): Promise<TrainingClient> {
  const worker = new Worker(new URL('../../worker/training.worker.ts', import.meta.url), { type: 'module', name: 'unmask-training' });
  const send = (msg: ToWorker) => worker.postMessage(msg, msg.type === 'run' ? buffersOf(msg.from?.weights) : []);
  let measuring: { resolve: (s: number) => void; reject: (e: Error) => void } | null = null;

  return new Promise<TrainingClient>((resolve, reject) => {
    let ready = false;
    const fail = (message: string) => {
      clearTimeout(timer);
      worker.terminate();
      reject(new Error(message));
    };
    // A GPU that never answers should not leave the learner waiting forever.
    const timer = setTimeout(() => fail(`the training worker did not start within ${INIT_TIMEOUT_MS / 1000} s`), INIT_TIMEOUT_MS);
    worker.onerror = (e) => {
      e.preventDefault();
      const message = e.message || 'the training worker could not load';
      if (!ready) return fail(message);
      measuring?.reject(new Error(message));
      onEvent({ type: 'failed', message: `The training worker crashed: ${message}` });
    };
    worker.onmessage = (e: MessageEvent<FromWorker>) => {
      const msg = e.data;
      switch (msg.type) {
        case 'ready':
          ready = true;
          clearTimeout(timer);
          return resolve(client(msg.choice));
        case 'init-failed':
          return fail(msg.message);
        case 'measured':
          measuring?.resolve(msg.secPerStep);
          measuring = null;
          return;
        case 'measure-failed':
          measuring?.reject(new Error(msg.message));
          measuring = null;
          return;
        default:
          onEvent(msg);
      }
    };
    send({ type: 'init', backends });
  });

  function client(backend: BackendChoice): TrainingClient {
    return {
      backend,
      where: 'worker',
      measure: (recipe) =>
        new Promise<number>((resolve, reject) => {
          measuring = { resolve, reject };
          send({ type: 'measure', recipe });
        }),
      run: (spec, from) => send({ type: 'run', spec, from }),
      pause: () => send({ type: 'pause' }),
      stop: () => send({ type: 'stop' }),
      dispose: () => {
        worker.terminate();
        measuring?.reject(new Error('the training worker was stopped'));
        measuring = null;
      },
    };
  }
}

/** The fallback: the session on the page's own backend, yielding to the page between steps. */
async function connectPage(backends: readonly string[], onEvent: Listener): Promise<TrainingClient> {
  const [{ startBackend }, { TrainingSession }] = await Promise.all([import('../../worker/tfjs-browser.ts'), import('../../worker/session.ts')]);
  const backend = await startBackend(backends);
  const session = new TrainingSession(onEvent);
  return {
    backend,
    where: 'page',
    measure: (recipe) => session.measure(recipe),
    run: (spec, from) => void session.run(spec, from),
    pause: () => session.pause(),
    stop: () => session.stop(),
    dispose: () => session.dispose(),
  };
}
