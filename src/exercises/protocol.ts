/**
 * What crosses the sandbox's wall, both ways. In: a job (the cases, the model's
 * weights, where the student's lines sit in the script). Out: one report of raw
 * outputs (numbers, arrays, plain objects) as a JSON string, which the trusted
 * side decodes and checks against a strict schema before anything reads it. No
 * field can say "passed": the verdict is computed from these outputs on the
 * trusted side, against logits the trusted side computed itself.
 */
import type { ModelOptions } from '../core/model-options.ts';
import type { ExerciseId } from './exercises.ts';
import type { CodeProblem } from './guards.ts';

/** One fixed input: a single sequence, as the notebook's exercises use. */
export interface ExerciseCase {
  readonly x0: Int32Array; // [L]
  readonly xt: Int32Array; // [L]
  readonly mask: Uint8Array; // [L]
  readonly t: number;
  readonly k: number;
  /** TODO 3 only: the ratio after the step, and one uniform a position to decide what opens (u) and what it becomes (g). */
  readonly s?: number;
  readonly u?: Float64Array; // [L]
  readonly g?: Float64Array; // [L]
}

/** The trusted side's logits for an input, handed in so the sandbox need not run the model on it. */
export interface KnownLogits {
  readonly xt: Int32Array; // [L]
  readonly t: number;
  readonly logits: Float32Array; // [L, V]
}

export interface SandboxJob {
  readonly exercise: ExerciseId;
  readonly cases: readonly ExerciseCase[];
  /** The model's logits on each case's input, as the trusted reference computed them (never sent back). */
  readonly known: readonly KnownLogits[];
  readonly weights: readonly (readonly [string, Float32Array])[];
  readonly options: ModelOptions;
  /** The loop guard's limit; the trusted side's hard limit is a little longer. */
  readonly limitMs: number;
  /** Line of the sandbox's script that holds the student's line 1, and how many lines they wrote. */
  readonly firstLine: number;
  readonly lineCount: number;
}

/** A value the student's function returned, as plain data. */
export type Plain = number | string | boolean | null | Plain[] | { [key: string]: Plain };

export interface CaseReport {
  /** What the function returned on this case (absent when it returned undefined), or the problem that stopped it. */
  readonly output?: Plain;
  readonly problem?: CodeProblem;
}

/** Tensors the code left behind, over every case. */
export interface Leaks {
  /** Every tensor made and neither disposed nor returned, including the two kinds below. */
  readonly undisposed: number;
  /** Of those, kept with tf.keep: a scope does not free them. */
  readonly kept: number;
  /** Of those, made by a timer (setTimeout, setInterval) after the function had returned. */
  readonly inTimers: number;
}

export interface RunReport {
  /** A problem before any case ran: top-level code threw, or the function is missing. */
  readonly problem?: CodeProblem;
  /** One per case run, in order; the run stops at the first case with a problem. */
  readonly cases: readonly CaseReport[];
  readonly leaks: Leaks;
}

// ---------------------------------------------------------------- encoding (sandbox side)

/** JSON with NaN and ±Infinity kept (as {"$number": "NaN"}): a NaN loss must not arrive as null. */
export function encodeReport(report: RunReport, stringify: typeof JSON.stringify = JSON.stringify): string {
  return stringify(report, (_key, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v));
}

// ---------------------------------------------------------------- decoding (trusted side)

/** Bounds on a report: far above what any honest answer needs (the biggest is a few thousand numbers). */
export const REPORT_LIMITS = Object.freeze({ nodes: 200_000, depth: 8, stringLength: 2000, keys: 64, keyLength: 64 });

export type Decoded = { readonly ok: true; readonly report: RunReport } | { readonly ok: false; readonly why: string };

class Invalid extends Error {}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const SPECIAL: Record<string, number> = { NaN: Number.NaN, Infinity: Number.POSITIVE_INFINITY, '-Infinity': Number.NEGATIVE_INFINITY };

function only(o: Record<string, unknown>, allowed: readonly string[], what: string): void {
  for (const key of Object.keys(o)) if (!allowed.includes(key)) throw new Invalid(`${what} has an unexpected field "${key.slice(0, 40)}"`);
}

function count(x: unknown, what: string): number {
  if (!Number.isSafeInteger(x) || (x as number) < 0) throw new Invalid(`${what} is not a count`);
  return x as number;
}

function problem(x: unknown, what: string): CodeProblem {
  if (!isRecord(x)) throw new Invalid(`${what} is not a problem`);
  only(x, ['message', 'line', 'column'], what);
  const place = (v: unknown) =>
    v === null || v === undefined ? null : Number.isSafeInteger(v) && (v as number) >= 1 && (v as number) < 1e6 ? (v as number) : Number.NaN;
  const line = place(x.line);
  const column = place(x.column);
  if (typeof x.message !== 'string' || x.message.length === 0 || Number.isNaN(line) || Number.isNaN(column))
    throw new Invalid(`${what} is malformed`);
  return { message: x.message.slice(0, REPORT_LIMITS.stringLength), line, column };
}

/** A student's output: plain data within the limits; {"$number": …} back to NaN and ±Infinity. */
function plain(x: unknown, budget: { nodes: number }, depth: number): Plain {
  if (--budget.nodes < 0) throw new Invalid('the output is too large');
  if (depth > REPORT_LIMITS.depth) throw new Invalid('the output is nested too deeply');
  if (x === null || typeof x === 'boolean' || typeof x === 'number') return x;
  if (typeof x === 'string') return x.slice(0, REPORT_LIMITS.stringLength);
  if (Array.isArray(x)) return x.map((v) => plain(v, budget, depth + 1));
  if (isRecord(x)) {
    const keys = Object.keys(x);
    if (keys.length === 1 && keys[0] === '$number' && typeof x.$number === 'string' && x.$number in SPECIAL) return SPECIAL[x.$number];
    if (keys.length > REPORT_LIMITS.keys) throw new Invalid('an output object has too many fields');
    // A null-prototype object: a key such as "__proto__" stays an ordinary key.
    const out: { [key: string]: Plain } = Object.create(null);
    for (const key of keys) {
      if (key.length > REPORT_LIMITS.keyLength) throw new Invalid('an output field name is too long');
      out[key] = plain(x[key], budget, depth + 1);
    }
    return out;
  }
  throw new Invalid('the output holds something that is not plain data');
}

/**
 * Parse and check a report from the sandbox. Anything unexpected (a field too
 * many, a count that is not a count, more cases than were sent, an output too
 * large) refuses the whole report, with the reason in words.
 */
export function decodeReport(json: unknown, casesSent: number): Decoded {
  try {
    if (typeof json !== 'string') throw new Invalid('the report is not text');
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Invalid('the report is not JSON');
    }
    if (!isRecord(raw)) throw new Invalid('the report is not an object');
    only(raw, ['problem', 'cases', 'leaks'], 'the report');
    if (!Array.isArray(raw.cases) || raw.cases.length > casesSent) throw new Invalid(`the report does not hold at most ${casesSent} cases`);
    if (!isRecord(raw.leaks)) throw new Invalid('the report has no leak count');
    only(raw.leaks, ['undisposed', 'kept', 'inTimers'], 'the leak count');
    const leaks = {
      undisposed: count(raw.leaks.undisposed, 'undisposed'),
      kept: count(raw.leaks.kept, 'kept'),
      inTimers: count(raw.leaks.inTimers, 'inTimers'),
    };
    const budget = { nodes: REPORT_LIMITS.nodes };
    const cases = raw.cases.map((c: unknown, i: number): CaseReport => {
      if (!isRecord(c)) throw new Invalid(`case ${i} is not an object`);
      only(c, ['output', 'problem'], `case ${i}`);
      return {
        ...('output' in c ? { output: plain(c.output, budget, 0) } : {}),
        ...(c.problem !== undefined ? { problem: problem(c.problem, `case ${i}'s problem`) } : {}),
      };
    });
    return { ok: true, report: { ...(raw.problem !== undefined ? { problem: problem(raw.problem, "the report's problem") } : {}), cases, leaks } };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, why: e.message };
    // JSON.parse of something absurdly nested, say: refuse it too.
    return { ok: false, why: `the report could not be read (${e instanceof Error ? e.name : 'error'})` };
  }
}
