/**
 * The page's side of the compute worker: model computations by name, answered
 * with plain data, so the page only draws. The current model's weights go to
 * the worker once per model. A cancelled job is asked to stop; one that does
 * not stop soon is ended with its worker, which is then started afresh. A
 * worker that crashes or loses its GPU is replaced (on the next backend), and
 * where no worker can start at all, the jobs run on the page instead.
 */
import type { BackendChoice } from '../../core/backend.ts';
import { errorMessage } from '../../core/error-message.ts';
import type { ModelOptions } from '../../core/model-factory.ts';
import type { JobArgs, JobName, JobResult } from '../../compute/jobs.ts';
import type { Probe } from '../../worker/backend-probe.ts';
import type { FromCompute, ToCompute } from '../../worker/compute-protocol.ts';

/** The model a job runs on: its weights in PyTorch layout and the options it was built with. */
export interface ModelPayload {
  readonly version: number;
  readonly weights: ReadonlyMap<string, Float32Array>;
  readonly options: ModelOptions;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  /** The model to run on; null for jobs about the architecture alone. */
  readonly model: ModelPayload | null;
}

export type InitRequest = Omit<Extract<ToCompute, { type: 'init' }>, 'type'>;

export interface Ready {
  readonly choice: BackendChoice;
  readonly probe: Probe | null;
  readonly fingerprint: string;
  readonly where: 'worker' | 'page';
}

export interface ComputeDeps {
  /** What to start tfjs on; asked at every (re)start, so it reflects the latest choice. */
  readonly init: () => InitRequest;
  readonly onReady?: (ready: Ready) => void;
  /** The worker's GPU went away; the next start should pass over `backend`. */
  readonly onLost?: (backend: string, message: string) => void;
  /** Makes the worker; tests pass their own. Null where workers cannot be made. */
  readonly spawn?: (() => Worker) | null;
  /** The page fallback's runner (loads tfjs on the page). */
  readonly onPage?: () => Promise<PageRunner>;
}

/** Jobs run on the page itself: only where no worker starts. */
export interface PageRunner {
  readonly ready: Ready;
  run(
    name: string,
    args: unknown,
    model: ModelPayload | null,
    signal: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<unknown>;
}

/** A cancelled job has this long to stop by itself before its worker is ended. */
const CANCEL_GRACE_MS = 1500;
/** tfjs and a GPU backend can take a while to start; past this the worker is given up on. */
const START_TIMEOUT_MS = 90_000;

interface Pending {
  readonly resolve: (v: unknown) => void;
  readonly reject: (e: unknown) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

const defaultSpawn = () => new Worker(new URL('../../worker/compute.worker.ts', import.meta.url), { type: 'module', name: 'unmask-compute' });

export class ComputeClient {
  private worker: Worker | null = null;
  private started: Promise<Ready> | null = null;
  private page: Promise<PageRunner> | null = null;
  private backend: string | null = null;
  private sentVersion = -1;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Cancelled jobs the worker has not yet let go of, with the timer that ends it if it does not. */
  private readonly cancelling = new Map<number, ReturnType<typeof setTimeout>>();
  /** Consecutive failed starts: after two the jobs go to the page. */
  private failedStarts = 0;

  constructor(private readonly deps: ComputeDeps) {}

  /** Start (or reuse) the worker; resolves with where jobs run and on which backend. */
  ready(): Promise<Ready> {
    if (this.page) return this.page.then((p) => p.ready);
    this.started ??= this.startWorker().catch((e: unknown) => {
      this.started = null;
      this.failedStarts++;
      if (this.failedStarts >= 2 || !this.canSpawn()) return this.toPage(errorMessage(e));
      return this.ready();
    });
    return this.started;
  }

  /** Run a job by name; rejects with an AbortError if `signal` aborts first. */
  async run<N extends JobName>(name: N, args: JobArgs<N>, options: RunOptions): Promise<JobResult<N>> {
    const { signal, model, onProgress } = options;
    if (signal?.aborted) throw abortError();
    await this.ready();
    if (signal?.aborted) throw abortError();
    if (this.page) return (await this.page).run(name, args, model, signal ?? new AbortController().signal, onProgress) as Promise<JobResult<N>>;
    const worker = this.worker!;
    if (model && this.sentVersion !== model.version) {
      // Copied, not transferred: the page keeps its weights for the next worker, exercises and downloads.
      worker.postMessage({ type: 'model', version: model.version, weights: [...model.weights], options: model.options } satisfies ToCompute);
      this.sentVersion = model.version;
    }
    const id = this.nextId++;
    return new Promise<JobResult<N>>((resolve, reject) => {
      const onAbort = () => {
        // The caller has moved on at once; the worker is asked to stop, and given a moment.
        settle();
        reject(abortError());
        worker.postMessage({ type: 'cancel', id } satisfies ToCompute);
        // A job deep in one long computation cannot hear the cancel: end its worker instead.
        const grace = setTimeout(() => {
          if (this.cancelling.delete(id) && this.worker === worker) this.restart('a cancelled job did not stop');
        }, CANCEL_GRACE_MS);
        this.cancelling.set(id, grace);
      };
      const settle = () => {
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (v) => (settle(), resolve(v as JobResult<N>)),
        reject: (e) => (settle(), reject(e)),
        onProgress,
      });
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.postMessage({ type: 'job', id, name, args, modelVersion: model?.version ?? -1 } satisfies ToCompute);
    });
  }

  /** End the worker and start another (a new backend choice, a stuck job): pending jobs fail. */
  restart(why: string): void {
    this.drop(new Error(`the compute worker was restarted (${why})`));
    void this.ready().catch(() => undefined);
  }

  dispose(): void {
    this.drop(new Error('the compute worker was stopped'));
  }

  private canSpawn(): boolean {
    return this.deps.spawn !== null && (this.deps.spawn !== undefined || typeof Worker !== 'undefined');
  }

  /** The worker is done with a job: a cancel it heard needs no enforcing. */
  private letGo(id: number): void {
    const grace = this.cancelling.get(id);
    if (grace !== undefined) clearTimeout(grace);
    this.cancelling.delete(id);
  }

  private drop(reason: Error): void {
    for (const grace of this.cancelling.values()) clearTimeout(grace);
    this.cancelling.clear();
    this.worker?.terminate();
    this.worker = null;
    this.started = null;
    this.sentVersion = -1;
    for (const p of [...this.pending.values()]) p.reject(reason);
    this.pending.clear();
  }

  private startWorker(): Promise<Ready> {
    if (!this.canSpawn()) return Promise.reject(new Error('this browser has no web workers'));
    const worker = (this.deps.spawn ?? defaultSpawn)();
    this.worker = worker;
    this.sentVersion = -1;
    return new Promise<Ready>((resolve, reject) => {
      let up = false;
      const fail = (message: string) => {
        clearTimeout(timer);
        if (this.worker === worker) this.worker = null;
        worker.terminate();
        reject(new Error(message));
      };
      const timer = setTimeout(() => fail(`the compute worker did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      worker.onerror = (e) => {
        e.preventDefault();
        const message = e.message || 'the compute worker could not load';
        if (!up) return fail(message);
        // It crashed mid-job: fail what it was doing, start another for what comes next.
        if (this.worker === worker) this.restart(`it crashed: ${message}`);
      };
      worker.onmessage = (e: MessageEvent<FromCompute>) => {
        if (this.worker !== worker) return; // a replaced worker's late words
        const msg = e.data;
        switch (msg.type) {
          case 'ready': {
            up = true;
            clearTimeout(timer);
            this.failedStarts = 0;
            this.backend = msg.choice.name;
            const ready: Ready = { choice: msg.choice, probe: msg.probe, fingerprint: msg.fingerprint, where: 'worker' };
            this.deps.onReady?.(ready);
            return resolve(ready);
          }
          case 'init-failed':
            return fail(msg.message);
          case 'progress':
            return this.pending.get(msg.id)?.onProgress?.(msg.done, msg.total);
          case 'result':
            this.letGo(msg.id);
            return this.pending.get(msg.id)?.resolve(msg.result);
          case 'error':
            this.letGo(msg.id);
            return this.pending.get(msg.id)?.reject(msg.cancelled ? abortError() : new Error(msg.message));
          case 'lost': {
            const lost = this.backend ?? 'unknown';
            this.deps.onLost?.(lost, msg.message);
            return this.restart(`${msg.message}; the next job runs on another backend`);
          }
        }
      };
      worker.postMessage({ type: 'init', ...this.deps.init() } satisfies ToCompute);
    });
  }

  private toPage(why: string): Promise<Ready> {
    if (!this.deps.onPage) return Promise.reject(new Error(`model computations cannot run here: ${why}`));
    this.page ??= this.deps.onPage();
    return this.page.then((p) => {
      this.deps.onReady?.(p.ready);
      return p.ready;
    });
  }
}

function abortError(): DOMException {
  return new DOMException('cancelled', 'AbortError');
}
