/**
 * Run a student's code on the cases and report what it returned. This runs in
 * the sandbox's worker (see sandbox/runtime.ts), and directly in Node for the
 * unit tests; the caller provides tfjs on a backend, the model, and the
 * student's factory (the function the sandbox's script defined).
 *
 * It reports outputs as plain data and never judges them: the verdict is
 * computed on the trusted side. Tensors the code leaves behind are counted
 * truthfully: those kept with tf.keep and those made by a timer after the
 * function returned are counted too, not passed off as freed.
 */
// Students write tensor.softmax() as often as tf.softmax(tensor); tfjs-core (and some of its own ops) need these registered.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_DATA, DEFAULT_MODEL, MASK_ID } from '../core/config.ts';
import { maskTokens } from '../core/masking.ts';
import type { DiffusionLM } from '../core/model.ts';
import { Rng } from '../core/rng.ts';
import { revealProbs } from './checks.ts';
import { EXERCISES, type ExerciseId } from './exercises.ts';
import { allocGuard, errorLine, loopGuard, StudentCodeError, type CodeProblem } from './guards.ts';
import type { CaseReport, ExerciseCase, KnownLogits, Leaks, Plain, RunReport, SandboxJob } from './protocol.ts';
import { caseLogits } from './reference.ts';

export interface Timers {
  readonly setTimeout: (fn: unknown, ms?: number, ...args: unknown[]) => unknown;
  readonly clearTimeout: (id: unknown) => void;
  readonly setInterval: (fn: unknown, ms?: number, ...args: unknown[]) => unknown;
  readonly clearInterval: (id: unknown) => void;
}

interface TrackedTimers extends Timers {
  /** Timers set and not yet fired once (nor cleared). */
  pending(): number;
  stopAll(): void;
}

/** The global timers, captured before any student code runs. */
function globalTimers(): Timers {
  const g = globalThis as unknown as Record<keyof Timers, (...a: unknown[]) => unknown>;
  const [st, ct, si, ci] = [g.setTimeout, g.clearTimeout, g.setInterval, g.clearInterval];
  return {
    setTimeout: (fn, ms, ...args) => st.call(globalThis, fn, ms, ...args),
    clearTimeout: (id) => void ct.call(globalThis, id),
    setInterval: (fn, ms, ...args) => si.call(globalThis, fn, ms, ...args),
    clearInterval: (id) => void ci.call(globalThis, id),
  };
}

/**
 * Timers that remember what is pending, and report what their callbacks throw
 * instead of losing it. `around` runs each callback (to count what it makes).
 */
function trackTimers(base: Timers, onError: (e: unknown) => void, around: (run: () => void) => void): TrackedTimers {
  const pending = new Set<unknown>();
  const all: { id: unknown; repeats: boolean }[] = [];
  const call = (fn: unknown, args: unknown[]) => {
    if (typeof fn !== 'function') return; // a string would be eval'd: the sandbox's policy forbids that anyway
    around(() => {
      try {
        const r: unknown = fn(...args);
        if (r instanceof Promise) r.catch(onError);
      } catch (e) {
        onError(e);
      }
    });
  };
  const set =
    (repeats: boolean) =>
    (fn: unknown, ms?: number, ...args: unknown[]) => {
      const id: unknown = (repeats ? base.setInterval : base.setTimeout)(() => {
        pending.delete(id);
        call(fn, args);
      }, ms);
      pending.add(id);
      all.push({ id, repeats });
      return id;
    };
  const clear = (repeats: boolean) => (id: unknown) => {
    pending.delete(id);
    (repeats ? base.clearInterval : base.clearTimeout)(id);
  };
  return {
    setTimeout: set(false),
    setInterval: set(true),
    clearTimeout: clear(false),
    clearInterval: clear(true),
    pending: () => pending.size,
    stopAll: () => {
      for (const t of all) (t.repeats ? base.clearInterval : base.clearTimeout)(t.id);
      pending.clear();
    },
  };
}

type StudentFn = (...args: unknown[]) => unknown;

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}

/**
 * For "tf.logSoftMax is not a function": the name most likely meant, from
 * tfjs' own exports (or, for `x.softMax`, a tensor's methods), as " Did you mean …?".
 */
function didYouMean(message: string): string {
  const m = /^([\w$]+)\.([\w$]+) is not a function$/.exec(message);
  if (!m) return '';
  const [, owner, name] = m;
  const lower = name.toLowerCase();
  const tensorMethods = Object.getOwnPropertyNames(tf.Tensor.prototype).filter((n) => n !== 'constructor');
  if (owner !== 'tf') {
    const same = tensorMethods.find((n) => n.toLowerCase() === lower);
    return same ? ` (If ${owner} is a tensor: did you mean ${owner}.${same}?)` : '';
  }
  const exported = Object.keys(tf).filter((n) => typeof (tf as unknown as Record<string, unknown>)[n] === 'function');
  const best =
    exported.find((n) => n.toLowerCase() === lower) ??
    exported
      .map((n) => [n, editDistance(n.toLowerCase(), lower)] as const)
      .filter(([, d]) => d <= 2)
      .sort((a, b) => a[1] - b[1])[0]?.[0];
  return best ? `. Did you mean tf.${best}?` : '';
}

/**
 * The model as students call it: model(xt, t) -> logits [B, L, V], eval mode,
 * any numeric dtype in. On a case's own input it answers with the logits the
 * trusted side computed (the same numbers, from the same code on the same
 * backend): a fresh sandbox's first forward pass runs cold, unoptimised code,
 * about ten times slower than a warm one. Any other input runs the model,
 * which is only built then.
 */
function modelFunction(getModel: () => DiffusionLM, known: readonly KnownLogits[]) {
  // The casts are ours, not the student's: tidy frees them so they never count as a leak.
  return (xt: tf.Tensor2D, t: tf.Tensor2D) =>
    tf.tidy(() => {
      const x = tf.cast(xt, 'int32') as tf.Tensor2D;
      const tt = tf.cast(t, 'float32') as tf.Tensor2D;
      const hit = x.shape[0] === 1 && tt.size === 1 ? lookUp(known, x.dataSync(), tt.dataSync()[0]) : undefined;
      if (hit) return tf.tensor3d(hit.logits, [1, hit.xt.length, hit.logits.length / hit.xt.length]);
      return getModel().forward(x, tt);
    });
}

function lookUp(known: readonly KnownLogits[], xt: ArrayLike<number>, t: number): KnownLogits | undefined {
  return known.find((k) => Math.fround(k.t) === t && k.xt.length === xt.length && k.xt.every((v, i) => v === xt[i]));
}

/** Longest array or tensor an output may hold: far more than any answer needs. */
const MAX_ITEMS = 100_000;

/** Tensors to plain data: a scalar tensor becomes a number, others nested arrays. Never throws for odd values. */
async function plain(x: unknown, depth = 0): Promise<Plain | undefined> {
  if (x === undefined) return undefined;
  if (x === null || typeof x === 'number' || typeof x === 'string' || typeof x === 'boolean') return x;
  // Functions and symbols cannot cross to the page; describe them so the checks can explain.
  if (typeof x === 'function') return `a function (${x.name || 'anonymous'}): did you forget to call it?`;
  if (typeof x !== 'object') return String(x);
  if (depth > 4) return 'a value nested too deeply to check';
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) return 'a tensor that was already disposed';
    if (x.size > MAX_ITEMS) return `a tensor of shape [${x.shape.join(', ')}], too large to check`;
    return x.rank === 0 ? (await x.data())[0] : ((await x.array()) as Plain);
  }
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) x = Array.from(x as unknown as ArrayLike<number>);
  if (Array.isArray(x)) {
    if (x.length > MAX_ITEMS) return `an array of ${x.length} items, too long to check`;
    const out: Plain[] = [];
    for (const v of x) out.push((await plain(v, depth + 1)) ?? null);
    return out;
  }
  const out: Record<string, Plain> = {};
  for (const [k, v] of Object.entries(x as object).slice(0, 64)) {
    const p = await plain(v, depth + 1);
    if (p !== undefined) out[k] = p;
  }
  return out;
}

/** The tensors inside what the student returned: theirs to hand over, so not a leak. */
function returnedTensors(v: unknown, out = new Set<tf.Tensor>(), depth = 0): Set<tf.Tensor> {
  if (v instanceof tf.Tensor) out.add(v);
  else if (depth < 4 && v && typeof v === 'object') for (const w of Object.values(v)) returnedTensors(w, out, depth + 1);
  return out;
}

/** Where the student's lines are, for stack traces: the script's name or URL, and the line their line 1 is on. */
export interface ScriptPlace {
  readonly script: string;
  readonly firstLine: number;
  readonly lineCount: number;
}

interface RunContext {
  readonly exercise: ExerciseId;
  readonly runModel: ReturnType<typeof modelFunction>;
  readonly getModel: () => DiffusionLM;
  readonly known: readonly KnownLogits[];
  readonly timers: TrackedTimers;
  readonly sleep: (ms: number) => Promise<void>;
  readonly deadline: number;
  readonly leaks: { undisposed: number; kept: number; inTimers: number };
  /** Set once the case's function has returned: tensors its timers make from then on are counted as made in a timer. */
  afterReturn: boolean;
  readonly problemOf: (e: unknown) => CodeProblem;
  /** The first error a timer's callback threw, taken once. */
  readonly takeTimerProblem: () => CodeProblem | undefined;
}

/** Let promise continuations and due timers run, then wait for the student's pending timers, up to the deadline. */
async function settle(ctx: RunContext): Promise<void> {
  await ctx.sleep(0);
  while (ctx.timers.pending() > 0 && performance.now() < ctx.deadline) await ctx.sleep(5);
}

/**
 * What the student's function is called with: tensors for TODOs 1 and 2; for
 * TODO 3, about the idea rather than the API, plain arrays, with the model's
 * probabilities already worked out (from the trusted logits when they are known).
 */
async function studentArgs(
  c: ExerciseCase,
  ctx: RunContext,
  tensors: { x0: tf.Tensor2D; xt: tf.Tensor2D; mask: tf.Tensor2D; t: tf.Tensor2D },
): Promise<unknown[]> {
  const { x0, xt, mask, t } = tensors;
  if (ctx.exercise === 'todo-1') return [ctx.runModel, x0, xt, mask, t];
  if (ctx.exercise === 'todo-2') return [ctx.runModel, xt, mask, t, c.k];
  const logits = lookUp(ctx.known, c.xt, Math.fround(c.t))?.logits ?? (await caseLogits(ctx.getModel(), c.xt, c.t));
  return [Array.from(c.xt), revealProbs(logits, DEFAULT_MODEL.vocabSize), c.t, c.s, Array.from(c.u ?? []), Array.from(c.g ?? [])];
}

async function runCase(fn: StudentFn, c: ExerciseCase, ctx: RunContext): Promise<CaseReport> {
  const L = c.xt.length;
  const x0 = tf.tensor2d(c.x0, [1, L], 'int32');
  const xt = tf.tensor2d(c.xt, [1, L], 'int32');
  const mask = tf.tensor2d(c.mask, [1, L], 'bool');
  const t = tf.tensor2d([[c.t]]);
  const before = tf.memory().numTensors; // after our inputs: only the student's tensors count
  let output: Plain | undefined;
  let problem: CodeProblem | undefined;
  let returned = new Set<tf.Tensor>();
  tf.engine().startScope();
  try {
    const result = await fn(...(await studentArgs(c, ctx, { x0, xt, mask, t })));
    output = await plain(result);
    returned = returnedTensors(result);
    const alive = [...returned].filter((r) => !r.isDisposed).length;
    ctx.leaks.undisposed += Math.max(0, tf.memory().numTensors - before - alive);
  } catch (e) {
    problem = ctx.problemOf(e);
    ctx.leaks.undisposed += Math.max(0, tf.memory().numTensors - before);
  } finally {
    tf.engine().endScope();
  }
  for (const r of returned) if (!r.isDisposed) r.dispose();
  // What outlived the scope was kept (tf.keep): a scope cannot free it.
  ctx.leaks.kept += Math.max(0, tf.memory().numTensors - before);
  // Timers still to fire: what they make is counted (and freed) as they run.
  ctx.afterReturn = true;
  await settle(ctx);
  ctx.afterReturn = false;
  tf.dispose([x0, xt, mask, t]);
  problem ??= ctx.takeTimerProblem();
  return { ...(output !== undefined ? { output } : {}), ...(problem ? { problem } : {}) };
}

/**
 * Run the student's factory (their top-level code) and then their function on
 * each case, stopping at the first problem. Never throws: every failure is a
 * problem with the student's line where it has one.
 */
export async function runJob(
  job: SandboxJob,
  getModel: () => DiffusionLM,
  factory: unknown,
  place: ScriptPlace,
  options: { replaceGlobalTimers?: boolean } = {},
): Promise<RunReport> {
  const base = globalTimers();
  const leaks: Leaks & RunContext['leaks'] = { undisposed: 0, kept: 0, inTimers: 0 };
  const problemOf = (e: unknown): CodeProblem => {
    if (e instanceof StudentCodeError) return e.problem;
    let message: string;
    try {
      message = e instanceof Error ? `${e.name}: ${e.message}${e instanceof TypeError ? didYouMean(e.message) : ''}` : `Your code threw ${String(e)}`;
    } catch {
      message = 'Your code threw something that cannot even be described.';
    }
    return { message, line: errorLine(e, place.script, place.firstLine, place.lineCount), column: null };
  };
  let timerProblem: CodeProblem | undefined;
  let ctx: RunContext | null = null;
  const timers = trackTimers(
    base,
    (e) => (timerProblem ??= problemOf(e)),
    (run) => {
      if (!ctx?.afterReturn) return run();
      // After the function returned: count what the timer makes, then free it (a sandbox dies anyway; a test's engine does not).
      const before = tf.memory().numTensors;
      tf.engine().startScope();
      try {
        run();
      } finally {
        const made = Math.max(0, tf.memory().numTensors - before);
        tf.engine().endScope();
        leaks.inTimers += made;
        leaks.undisposed += made;
      }
    },
  );
  if (options.replaceGlobalTimers) {
    // `self.setTimeout(…)` reaches the global, not the parameter: track those too.
    const { setTimeout, setInterval, clearTimeout, clearInterval } = timers;
    Object.assign(globalThis, { setTimeout, setInterval, clearTimeout, clearInterval });
  }
  ctx = {
    exercise: job.exercise,
    runModel: modelFunction(getModel, job.known),
    getModel,
    known: job.known,
    timers,
    sleep: (ms) => new Promise((resolve) => base.setTimeout(resolve, ms)),
    deadline: performance.now() + job.limitMs,
    leaks,
    afterReturn: false,
    problemOf,
    takeTimerProblem: () => {
      const p = timerProblem;
      timerProblem = undefined;
      return p;
    },
  };
  const TODO = (what: unknown) => {
    throw new StudentCodeError({
      message: `This blank is still to fill in: ${String(what)}.`,
      line: errorLine(new Error(), place.script, place.firstLine, place.lineCount),
      column: null,
    });
  };
  const mask = (x0: tf.Tensor2D, t: tf.Tensor | ArrayLike<number>, seed = 0) => maskTokens(x0, t, new Rng(seed));
  const config = Object.freeze({ ...DEFAULT_DATA, ...DEFAULT_MODEL });
  try {
    if (typeof factory !== 'function')
      return { problem: { message: 'The sandbox found no code to run.', line: null, column: null }, cases: [], leaks };
    // Top-level statements run now: their errors get a line, their tensors are freed (or counted, if kept).
    const before = tf.memory().numTensors;
    let fn: unknown;
    tf.engine().startScope();
    try {
      fn = factory(
        tf,
        ctx.runModel,
        mask,
        config,
        MASK_ID,
        TODO,
        timers.setTimeout,
        timers.setInterval,
        timers.clearTimeout,
        timers.clearInterval,
        loopGuard(job.limitMs, () => tf.memory().numBytes),
        allocGuard(),
      );
      leaks.undisposed += Math.max(0, tf.memory().numTensors - before);
    } catch (e) {
      return { problem: problemOf(e), cases: [], leaks };
    } finally {
      tf.engine().endScope();
    }
    leaks.kept += Math.max(0, tf.memory().numTensors - before);
    if (typeof fn !== 'function') {
      return {
        problem: { message: `Define a function named ${EXERCISES[job.exercise].fnName}: the checks call it.`, line: null, column: null },
        cases: [],
        leaks,
      };
    }
    const cases: CaseReport[] = [];
    for (const c of job.cases) {
      const report = await runCase(fn as StudentFn, c, ctx);
      cases.push(report);
      if (report.problem) break; // the first problem is the one to fix
    }
    return { cases, leaks };
  } finally {
    timers.stopAll();
  }
}
