/**
 * The verdict, computed on the trusted side: the sandbox's report of raw
 * outputs, already decoded and schema-checked, judged case by case against the
 * logits the trusted reference computed. Nothing the sandbox sends can mark a
 * check passed; only outputs that match the reference can.
 */
import type { LabeledCase } from './cases.ts';
import { checkLoss, checkPredictions, checkReveal, type CheckCase, type CheckResult } from './checks.ts';
import type { ExerciseId } from './exercises.ts';
import type { CodeProblem } from './guards.ts';
import type { Leaks, Plain, RunReport } from './protocol.ts';

export interface CheckReport {
  /** What stopped the code (a syntax error, a throw, a time-out, too much memory), if anything. */
  readonly problem?: CodeProblem;
  readonly checks: readonly CheckResult[];
  /** What the function returned on each case that ran, for the public output and for Results. */
  readonly outputs: readonly (Plain | undefined)[];
  readonly leaks: Leaks;
  /** Every case ran and every check passed. */
  readonly passed: boolean;
}

export const NO_LEAKS: Leaks = Object.freeze({ undisposed: 0, kept: 0, inTimers: 0 });

/** A report with a problem and nothing else: the code never got to the cases. */
export function problemReport(problem: CodeProblem, leaks: Leaks = NO_LEAKS): CheckReport {
  return { problem, checks: [], outputs: [], leaks, passed: false };
}

const CHECKS: Record<ExerciseId, (c: CheckCase, answer: unknown) => CheckResult> = {
  'todo-1': checkLoss,
  'todo-2': checkPredictions,
  'todo-3': checkReveal,
};

/** Said once: a later check that fails the same way points back instead of repeating it. */
export const SAME_AS_ABOVE = 'The same mistake as above.';

/**
 * What an error from tfjs or from plain JavaScript means in this exercise, when
 * its own words do not say: appended to the problem's message.
 */
export function explainProblem(exercise: ExerciseId, problem: CodeProblem): CodeProblem {
  const m = problem.message;
  let more = '';
  if (/Softmax along a non-last dimension/.test(m)) {
    more = 'tf.softmax works along the last axis only, and the last axis is already the vocabulary: write tf.softmax(logits), with no axis.';
  } else if (/^TypeError: Cannot read properties of (undefined|null)/.test(m)) {
    more =
      exercise === 'todo-2'
        ? 'An index went past the end of an array. tf.topk works along the last axis, the vocabulary, so its arrays are [1, L, k]: at a masked position take tok[0][position][j], with position itself (not position + 1), and j below k.'
        : exercise === 'todo-3'
          ? 'An index went past the end of an array: xt, u and g have one entry per position (32), probs[i] one per token (16).'
          : 'Something you indexed or called a method on does not exist: an index past the end of an array, or a misspelt name.';
  } else if (/must be <= the last dimension/.test(m) && exercise === 'todo-2') {
    more = 'tf.topk takes the k largest along the last axis: give it the probabilities [1, L, V] as they are, not transposed.';
  }
  return more && !m.includes(more) ? { ...problem, message: `${m} ${more}` } : problem;
}

/**
 * Judge a run. `logits[i]` is the trusted reference's [L, V] logits for case i.
 * The report may hold fewer cases than were sent (it stops at the first
 * problem); it can never pass then.
 */
export function verdict(
  exercise: ExerciseId,
  cases: readonly LabeledCase[],
  logits: readonly Float32Array[],
  report: RunReport,
  vocabSize: number,
): CheckReport {
  if (report.problem) return problemReport(explainProblem(exercise, report.problem), report.leaks);
  const checks: CheckResult[] = [];
  const outputs: (Plain | undefined)[] = [];
  let problem: CodeProblem | undefined;
  const said = new Set<string>();
  for (const [i, r] of report.cases.entries()) {
    if (r.problem) {
      problem = explainProblem(exercise, r.problem);
      break;
    }
    const { label, hidden, c } = cases[i];
    const result = CHECKS[exercise]({ label, hidden, ...c, logits: logits[i], V: vocabSize }, r.output);
    const repeated = !result.passed && said.has(result.message);
    said.add(result.message);
    checks.push(repeated ? { ...result, message: SAME_AS_ABOVE } : result);
    outputs.push(r.output);
  }
  const passed = !problem && checks.length === cases.length && checks.every((c) => c.passed);
  return { ...(problem ? { problem } : {}), checks, outputs, leaks: report.leaks, passed };
}

/** Code with its comments and spacing taken out: to see whether what passed is the solution that was shown. */
function bare(code: string): string {
  return code
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\s+/g, '');
}

/** Whether `code` is `solution` but for comments and spacing: a pass with it is the solution's, not the student's. */
export function isTheSolution(code: string, solution: string): boolean {
  return bare(code) === bare(solution);
}

/** Tensors left behind over a check before a plain leak is worth mentioning: a few per call are normal in a short function. */
export const LEAK_NOTICE = 100;

/**
 * The leak report, true to what happened: every tensor left behind is counted,
 * including those kept with tf.keep (no scope frees them) and those a timer made
 * after the function returned. They went away with the check's sandbox; in a
 * loop of the student's own they would not. Null when there is nothing to say.
 */
export function describeLeaks(leaks: Leaks): string | null {
  const { undisposed, kept, inTimers } = leaks;
  if (undisposed <= LEAK_NOTICE && kept === 0 && inTimers === 0) return null;
  const kinds = [
    kept > 0 ? `${kept} kept with tf.keep, which no tf.tidy frees` : '',
    inTimers > 0 ? `${inTimers} made by a timer after your function had returned` : '',
  ].filter(Boolean);
  const n = (x: number) => `${x} tensor${x === 1 ? '' : 's'}`;
  return (
    `Your code left ${n(undisposed)} undisposed${kinds.length ? ` (${kinds.join('; ')})` : ''}. ` +
    'They went away with the sandbox this check ran in; in a loop of your own they would pile up. ' +
    'tf.tidy, or dispose() on what you no longer need, keeps memory flat.'
  );
}
