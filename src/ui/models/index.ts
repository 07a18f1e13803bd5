/**
 * The page's one compute worker, backend choice and model store, wired
 * together. Importing this module starts nothing: the worker starts with the
 * first computation (or the first visit to section 0's backend cell).
 */
import { BackendStore } from '../backend/backend-store.ts';
import { ComputeClient } from './compute-client.ts';
import { ModelStore } from './model-store.ts';

function localStorageOrNull(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null; // a sandboxed or privacy-locked page
  }
}

export const backends = new BackendStore(typeof location === 'undefined' ? '' : location.search, localStorageOrNull());

export const compute = new ComputeClient({
  init: () => backends.initRequest(),
  onReady: (ready) => backends.started(ready),
  onLost: (backend) => backends.lostBackend(backend),
  onPage: async () => (await import('./page-runner.ts')).pageRunner(backends.order(), 'no worker could start'),
});

backends.onChange = () => compute.restart('the backend choice changed');

export const models = new ModelStore(compute);

/** The backends training should try, fastest first: measured once (by the compute worker) before the first run. */
export async function trainingBackends(): Promise<string[]> {
  await compute.ready().catch(() => undefined);
  return backends.order();
}

export { copyWeights, PRETRAINED, type PretrainedInfo, type ModelSnapshot } from './model-store.ts';
