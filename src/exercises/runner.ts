/**
 * The page's side of a check, start to finish:
 *
 * 1. parse and instrument the code here, on the trusted side (a syntax error
 *    is reported with its line and column before anything runs);
 * 2. run it in a fresh sandbox (sandbox/host.ts): an opaque-origin frame with
 *    no network, hosting a worker, which sends back raw outputs;
 * 3. meanwhile compute the model's logits for the same cases in the trusted
 *    reference worker, which never runs student code;
 * 4. decode and schema-check the sandbox's report, and judge it against those
 *    logits (verdict.ts).
 *
 * Checks run one at a time: a check's clock starts when it starts, not while it
 * waits behind another.
 */
import type { LabeledCase } from './cases.ts';
import type { ModelOptions } from '../core/model-options.ts';
import type { ExerciseId } from './exercises.ts';
import { TOO_MUCH_MEMORY, type CodeProblem } from './guards.ts';
import { decodeReport, type SandboxJob } from './protocol.ts';
import type { FromReference, ToReference } from './reference.worker.ts';
import { MAX_REPORT_CHARS } from './sandbox/frame.ts';
import { runInSandbox, type SandboxOutcome } from './sandbox/host.ts';
import { problemReport, verdict, type CheckReport } from './verdict.ts';

export interface ModelSource {
  readonly version: number;
  readonly vocabSize: number;
  /** How the model hears t: the sandbox and the reference build it the same way. */
  readonly options: ModelOptions;
  weights(): Promise<Map<string, Float32Array>>;
}

/** Loop guards stop loops at this point; the sandbox is removed a little later if anything else hangs. */
export const TIME_LIMIT_MS = 3000;
const GRACE_MS = 2000;
/** Longer code than this is refused before it is parsed. */
export const MAX_CODE_CHARS = 100_000;
const SANDBOX_LIMITS = Object.freeze({
  answerMs: TIME_LIMIT_MS + GRACE_MS,
  // Starting a frame and a worker and building the model: nothing of the student's runs yet, so be patient.
  startMs: 60_000,
  // Twenty missed beats.
  silenceMs: 2000,
});

/** The trusted reference worker answers in well under a second once started; starting it (tfjs, wasm) takes a few. */
export const REFERENCE_LIMIT_MS = 60_000;

type Weights = [string, Float32Array][];

/** What each way a sandbox can end means for the student, in words. */
function outcomeProblem(outcome: Exclude<SandboxOutcome, { kind: 'report' }>, place: { firstLine: number; lineCount: number }): CodeProblem {
  switch (outcome.kind) {
    case 'timed-out':
      return {
        message: `Your code was still running after ${(TIME_LIMIT_MS + GRACE_MS) / 1000} s, so it was stopped. The page is fine: look for a loop or a recursion that never ends, fix it and check again.`,
        line: null,
        column: null,
      };
    case 'crashed':
      return {
        message: `${TOO_MUCH_MEMORY}: the sandbox it runs in ran out of memory and was stopped. The lesson is fine. Look for an array, a string or a list of tensors that grows without end, fix it and check again.`,
        line: null,
        column: null,
      };
    case 'too-large':
      return {
        message: `Your code sent back more than ${MAX_REPORT_CHARS / 1e6} million characters of output. Return only what the exercise asks for.`,
        line: null,
        column: null,
      };
    case 'worker-error': {
      const line = outcome.line - place.firstLine + 1;
      const inCode = line >= 1 && line <= place.lineCount;
      const message = outcome.message.replace(/^Uncaught /, '');
      return {
        message: /^SyntaxError/.test(message) ? `Syntax error: ${message.replace(/^SyntaxError: /, '')}` : message,
        line: inCode ? line : null,
        column: inCode && outcome.column > 0 ? outcome.column : null,
      };
    }
    case 'unavailable':
      // Not the student's doing: the caller reports it as the checker failing.
      throw new Error(
        'the sandbox that runs exercise code did not start. If this lesson is served with its own Content-Security-Policy header, it must allow the sandbox: see the README, "Security".',
      );
  }
}

export class ExerciseRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private reference: Worker | null = null;
  private referenceVersion = -1;
  private cached: { version: number; weights: Weights } | null = null;
  private nextId = 1;

  /** Check `code` on `cases` with the model; resolves with the verdict, rejects only when the checker itself fails. */
  check(exercise: ExerciseId, code: string, cases: readonly LabeledCase[], model: ModelSource): Promise<CheckReport> {
    const job = this.queue.then(() => this.checkNow(exercise, code, cases, model));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private async checkNow(exercise: ExerciseId, code: string, cases: readonly LabeledCase[], model: ModelSource): Promise<CheckReport> {
    if (code.length > MAX_CODE_CHARS) {
      return problemReport({
        message: `Your code is ${code.length} characters long; the checker reads at most ${MAX_CODE_CHARS}.`,
        line: null,
        column: null,
      });
    }
    const [{ prepare, StudentCodeError }, { runtimeSource, frameHtml }] = await Promise.all([
      import('./instrument.ts'),
      import('virtual:exercise-sandbox'),
    ]);
    let prepared;
    try {
      prepared = prepare(exercise, code);
    } catch (e) {
      if (e instanceof StudentCodeError) return problemReport(e.problem);
      throw e;
    }
    const weights = await this.weightsOf(model);
    // The block starts on the line after the runtime's last.
    const runtimeLines = runtimeSource.split('\n').length;
    const place = { firstLine: runtimeLines + prepared.firstLine, lineCount: prepared.lineCount };
    // The reference's logits go to the sandbox too (a cold realm runs the model slowly), and stay here for the verdict.
    const logits = this.logits(model, weights, cases);
    const job = logits.then((l): SandboxJob => ({
      exercise,
      cases: cases.map((c) => c.c),
      known: cases.map(({ c }, i) => ({ xt: c.xt, t: c.t, logits: l[i] })),
      weights,
      options: model.options,
      limitMs: TIME_LIMIT_MS,
      ...place,
    }));
    const [trusted, outcome] = await Promise.all([logits, runInSandbox(frameHtml, `${runtimeSource}\n${prepared.block}`, job, SANDBOX_LIMITS)]);
    if (outcome.kind !== 'report') return problemReport(outcomeProblem(outcome, place));
    const decoded = decodeReport(outcome.json, cases.length);
    if (!decoded.ok) {
      return problemReport({
        message: `The checker could not read what came back from your code (${decoded.why}). Only your function's return value is checked: leave postMessage alone.`,
        line: null,
        column: null,
      });
    }
    return verdict(exercise, cases, trusted, decoded.report, model.vocabSize);
  }

  private async weightsOf(model: ModelSource): Promise<Weights> {
    if (this.cached?.version !== model.version) this.cached = { version: model.version, weights: [...(await model.weights())] };
    return this.cached.weights;
  }

  /** The trusted reference's logits for each case, from its own copy of the model. */
  private logits({ version, options }: ModelSource, weights: Weights, cases: readonly LabeledCase[]): Promise<Float32Array[]> {
    if (!this.reference) {
      this.reference = new Worker(new URL('./reference.worker.ts', import.meta.url), { type: 'module', name: 'unmask-reference' });
      this.referenceVersion = -1;
    }
    const worker = this.reference;
    if (this.referenceVersion !== version) {
      worker.postMessage({ type: 'model', version, weights, options } satisfies ToReference);
      this.referenceVersion = version;
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onMessage = (e: MessageEvent<FromReference>) => {
        if (e.data.id !== id) return;
        cleanup();
        if (e.data.type === 'failed') reject(new Error(`the reference model failed: ${e.data.message}`));
        else resolve(e.data.logits);
      };
      const abandon = (why: string) => {
        cleanup();
        worker.terminate();
        if (this.reference === worker) this.reference = null;
        reject(new Error(why));
      };
      const onError = (e: ErrorEvent) => abandon(`the reference worker crashed: ${e.message}`);
      // A reference that never answers would hold this check, and every check queued behind
      // it, at "Checking…" for good: give up, and start a fresh worker at the next check.
      const timer = setTimeout(
        () => abandon(`the reference model did not answer within ${REFERENCE_LIMIT_MS / 1000} s. Check again to restart it`),
        REFERENCE_LIMIT_MS,
      );
      const cleanup = () => {
        clearTimeout(timer);
        worker.removeEventListener('message', onMessage);
        worker.removeEventListener('error', onError);
      };
      worker.addEventListener('message', onMessage);
      worker.addEventListener('error', onError);
      worker.postMessage({ type: 'logits', id, inputs: cases.map(({ c }) => ({ xt: c.xt, t: c.t })) } satisfies ToReference);
    });
  }

  dispose(): void {
    this.reference?.terminate();
    this.reference = null;
  }
}
