/**
 * The page's side of the exercise worker: send the current model when it
 * changes, run code with a hard time limit, and replace the worker when code
 * outruns it (a loop guard catches most endless loops first, with their line).
 */
import type { CaseOutcome, ExerciseCase } from './execute.ts';
import type { ExerciseId } from './exercises.ts';
import type { CodeProblem } from './instrument.ts';
import type { FromWorker, ToWorker } from './protocol.ts';

export interface ModelSource {
  readonly version: number;
  weights(): Promise<Map<string, Float32Array>>;
}

export interface RunResult {
  /** A problem that stopped the code before any case ran, or a time-out. */
  readonly problem?: CodeProblem;
  readonly outcomes: CaseOutcome[];
}

/** Loop guards stop loops at this point; the worker is killed a little later if anything else hangs. */
export const TIME_LIMIT_MS = 3000;
const GRACE_MS = 2000;

export class ExerciseRunner {
  private worker: Worker | null = null;
  private sentVersion = -1;
  private nextId = 1;
  /** One run at a time: a run's clock starts when it starts, not while it waits behind another. */
  private queue: Promise<unknown> = Promise.resolve();

  private spawn(): Worker {
    if (!this.worker) {
      this.worker = new Worker(new URL('./runner.worker.ts', import.meta.url), { type: 'module', name: 'unmask-exercises' });
      this.sentVersion = -1;
    }
    return this.worker;
  }

  /** Stop `worker` if it is still the current one (a later run may already have replaced it). */
  private kill(worker: Worker | null = this.worker): void {
    worker?.terminate();
    if (worker === this.worker) this.worker = null;
  }

  run(exercise: ExerciseId, code: string, cases: ExerciseCase[], model: ModelSource): Promise<RunResult> {
    const job = this.queue.then(() => this.runNow(exercise, code, cases, model));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async runNow(exercise: ExerciseId, code: string, cases: ExerciseCase[], model: ModelSource): Promise<RunResult> {
    const worker = this.spawn();
    if (this.sentVersion !== model.version) {
      const weights = [...(await model.weights())];
      worker.postMessage({ type: 'model', version: model.version, weights } satisfies ToWorker, weights.map(([, w]) => w.buffer as ArrayBuffer));
      this.sentVersion = model.version;
    }
    const id = this.nextId++;
    return new Promise<RunResult>((resolve, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        this.kill(worker);
        resolve({
          outcomes: [],
          problem: { message: `Your code was still running after ${(TIME_LIMIT_MS + GRACE_MS) / 1000} s, so it was stopped. The page is fine: look for a loop or a recursion that never ends, fix it and check again.`, line: null, column: null },
        });
      }, TIME_LIMIT_MS + GRACE_MS);
      const onMessage = (e: MessageEvent<FromWorker>) => {
        if (e.data.id !== id) return;
        cleanup();
        if (e.data.type === 'failed') reject(new Error(e.data.message));
        else resolve({ problem: e.data.problem, outcomes: e.data.outcomes });
      };
      const onError = (e: ErrorEvent) => {
        cleanup();
        this.kill(worker);
        reject(new Error(`the exercise worker crashed: ${e.message}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage({ type: 'run', id, exercise, code, cases, limitMs: TIME_LIMIT_MS } satisfies ToWorker);
    });
  }

  dispose(): void {
    this.kill();
  }
}
