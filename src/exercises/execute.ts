/**
 * Run a student's exercise code against fixed cases. Used by the exercise
 * worker in the browser and directly by the unit tests in Node: the caller
 * provides tfjs (already on a backend) and the model.
 *
 * Every tensor the student's code makes is disposed afterwards, whatever it
 * returns or throws; outputs come back as plain numbers.
 */
// Students write tensor.softmax() as often as tf.softmax(tensor); tfjs-core (and some of its own ops) need these registered.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_DATA, DEFAULT_MODEL, MASK_ID } from '../core/config.ts';
import { maskTokens } from '../core/masking.ts';
import type { DiffusionLM } from '../core/model.ts';
import { Rng } from '../core/rng.ts';
import { EXERCISES, type ExerciseId } from './exercises.ts';
import { errorLine, GUARD, instrument, loopGuard, StudentCodeError, type CodeProblem } from './instrument.ts';

/** One input: a single sequence, as the notebook's exercises use. */
export interface ExerciseCase {
  readonly x0: Int32Array; // [L]
  readonly xt: Int32Array; // [L]
  readonly mask: Uint8Array; // [L]
  readonly t: number;
  readonly k: number;
}

export interface CaseOutcome {
  /** The student's answer as plain data, or the problem that stopped it. */
  readonly output?: unknown;
  readonly problem?: CodeProblem;
  /** The model's eval logits on this case, [L, V], for the checks. */
  readonly logits: Float32Array;
  /** Tensors the code left behind (now disposed). */
  readonly leaked: number;
}

// `new Function(params, body)` puts the body on line 3 of the function's source,
// and the body starts with our "use strict" line: the student's line 1 is line 4.
const HEADER_LINES = 3;

type StudentFn = (...args: unknown[]) => unknown;

/** The model as students call it: model(xt, t) -> logits [B, L, V], eval mode, any numeric dtype in. */
function modelFunction(model: DiffusionLM) {
  // The casts are ours, not the student's: tidy frees them so they never count as a leak.
  return (xt: tf.Tensor2D, t: tf.Tensor2D) => tf.tidy(() => model.forward(tf.cast(xt, 'int32') as tf.Tensor2D, tf.cast(t, 'float32') as tf.Tensor2D));
}

/** Compile the code and find the exercise's function, or throw a StudentCodeError. */
export function compile(exercise: ExerciseId, code: string, model: DiffusionLM, limitMs: number): StudentFn {
  const { fnName } = EXERCISES[exercise];
  const body = `"use strict";\n${instrument(code)}\nreturn typeof ${fnName} === 'function' ? ${fnName} : undefined;`;
  const TODO = (what: string) => {
    throw new StudentCodeError({ message: `This blank is still to fill in: ${what}.`, line: errorLine(new Error(), HEADER_LINES), column: null });
  };
  const runModel = modelFunction(model);
  const mask = (x0: tf.Tensor2D, t: tf.Tensor | ArrayLike<number>, seed = 0) => maskTokens(x0, t, new Rng(seed));
  let factory: (...args: unknown[]) => unknown;
  try {
    factory = new Function('tf', 'model', 'maskTokens', 'config', 'MASK_ID', 'TODO', GUARD, body) as typeof factory;
  } catch (e) {
    // acorn accepted it, V8 did not (rare: e.g. a strict-mode-only rule).
    throw new StudentCodeError({ message: `Syntax error: ${e instanceof Error ? e.message : String(e)}`, line: null, column: null });
  }
  const config = Object.freeze({ ...DEFAULT_DATA, ...DEFAULT_MODEL });
  let fn: unknown;
  // Top-level statements run now: their errors get a line, their tensors are freed.
  tf.engine().startScope();
  try {
    fn = factory(tf, runModel, mask, config, MASK_ID, TODO, loopGuard(limitMs));
  } catch (e) {
    throw new StudentCodeError(problemOf(e));
  } finally {
    tf.engine().endScope();
  }
  if (typeof fn !== 'function') {
    throw new StudentCodeError({ message: `Define a function named ${fnName}: the checks call it.`, line: null, column: null });
  }
  return fn as StudentFn;
}

function problemOf(e: unknown): CodeProblem {
  if (e instanceof StudentCodeError) return e.problem;
  const message = e instanceof Error ? `${e.name}: ${e.message}` : `Your code threw ${String(e)}`;
  return { message, line: errorLine(e, HEADER_LINES), column: null };
}

/** Tensors to plain data: a scalar tensor becomes a number, nested ones become arrays. */
async function plain(x: unknown, depth = 0): Promise<unknown> {
  if (depth > 4) return x;
  if (x instanceof tf.Tensor) return x.rank === 0 ? (await x.data())[0] : x.array();
  // Functions and symbols cannot cross to the page; describe them so the checks can explain.
  if (typeof x === 'function') return `a function (${x.name || 'anonymous'}): did you forget to call it?`;
  if (typeof x === 'symbol' || typeof x === 'bigint') return String(x);
  if (Array.isArray(x)) return Promise.all(x.map((v) => plain(v, depth + 1)));
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) out[k] = await plain(v, depth + 1);
    return out;
  }
  return x;
}

async function logitsOf(model: DiffusionLM, c: ExerciseCase): Promise<Float32Array> {
  const L = c.xt.length;
  const logits = tf.tidy(() => tf.reshape(model.forward(tf.tensor2d(c.xt, [1, L], 'int32'), tf.tensor2d([[c.t]])), [L, model.config.vocabSize]));
  try {
    return (await logits.data()) as Float32Array;
  } finally {
    logits.dispose();
  }
}

/** Run the compiled function on one case; never throws. */
export async function runCase(exercise: ExerciseId, fn: StudentFn, model: DiffusionLM, c: ExerciseCase): Promise<CaseOutcome> {
  const logits = await logitsOf(model, c);
  const L = c.xt.length;
  const x0 = tf.tensor2d(c.x0, [1, L], 'int32');
  const xt = tf.tensor2d(c.xt, [1, L], 'int32');
  const mask = tf.tensor2d(c.mask, [1, L], 'bool');
  const t = tf.tensor2d([[c.t]]);
  const before = tf.memory().numTensors; // after our inputs: only the student's tensors count
  tf.engine().startScope();
  let output: unknown;
  let problem: CodeProblem | undefined;
  let leaked = 0;
  try {
    const runModel = modelFunction(model);
    const args: unknown[] = exercise === 'todo-1' ? [runModel, x0, xt, mask, t] : [runModel, xt, mask, t, c.k];
    const result = await fn(...args);
    output = await plain(result);
    // What the student returned was theirs to hand over, not a leak.
    const returned = new Set<tf.Tensor>();
    const collect = (v: unknown, depth = 0) => {
      if (v instanceof tf.Tensor) returned.add(v);
      else if (depth < 4 && v && typeof v === 'object') for (const w of Object.values(v)) collect(w, depth + 1);
    };
    collect(result);
    leaked = tf.memory().numTensors - before - returned.size;
  } catch (e) {
    problem = problemOf(e);
    leaked = tf.memory().numTensors - before;
  } finally {
    tf.engine().endScope();
    tf.dispose([x0, xt, mask, t]);
  }
  return { output, problem, logits, leaked: Math.max(0, leaked) };
}

/** The fixed cases: one public (shown in full), the rest hidden, all from fixed seeds. */
export function exerciseCases(): { label: string; hidden: boolean; c: ExerciseCase }[] {
  const make = (seed: number, t: number) => {
    const rng = new Rng(seed);
    const L = DEFAULT_DATA.seqLen;
    const x0 = new Int32Array(L);
    // A pattern sequence, drawn as the data generator does.
    const p = rng.int(DEFAULT_DATA.minPeriod, DEFAULT_DATA.maxPeriod);
    const pattern = Array.from({ length: p }, () => rng.int(1, DEFAULT_DATA.vocabSize - 1));
    for (let i = 0; i < L; i++) x0[i] = pattern[i % p];
    const mask = new Uint8Array(L);
    const xt = new Int32Array(L);
    // At least one mask, so the loss is defined: redraw until there is one (t > 0 here).
    do {
      for (let i = 0; i < L; i++) {
        mask[i] = rng.next() < t ? 1 : 0;
        xt[i] = mask[i] ? MASK_ID : x0[i];
      }
    } while (!mask.includes(1));
    return { x0, xt, mask, t, k: 3 };
  };
  return [
    { label: 'Public check: seed 0, t = 0.5', hidden: false, c: make(0, 0.5) },
    { label: 'Hidden check 1: t = 0.2', hidden: true, c: make(101, 0.2) },
    { label: 'Hidden check 2: t = 0.5', hidden: true, c: make(202, 0.5) },
    { label: 'Hidden check 3: t = 0.8', hidden: true, c: make(303, 0.8) },
  ];
}
