/**
 * What runs beside the student's code in the sandbox: the guards the
 * instrumented code calls, the problem type every failure becomes, and the
 * mapping from a stack trace to the student's line. No parser here (acorn stays
 * on the trusted side): this file is bundled into the sandbox's script.
 */
export interface CodeProblem {
  readonly message: string;
  /** 1-based; null when the problem has no place in the code (a time-out). */
  readonly line: number | null;
  readonly column: number | null;
}

export class StudentCodeError extends Error {
  override name = 'StudentCodeError';
  constructor(readonly problem: CodeProblem) {
    super(problem.line === null ? problem.message : `Line ${problem.line}: ${problem.message}`);
  }
}

/** Names the instrumented code calls: a loop's line in, a throw out once time or memory is up. */
export const GUARD = '__unmaskLoopGuard';
export const ALLOC = '__unmaskAlloc';
/** The global the sandbox's script assigns the student's factory to. */
export const FACTORY_GLOBAL = '__unmaskStudent';

/**
 * What the factory hands the student's code, in order: the names it can use, and
 * the timers, which shadow the global ones so every timer the code sets is
 * tracked (the sandbox replaces the globals too, for `self.setTimeout`).
 */
export const STUDENT_PARAMS = [
  'tf',
  'model',
  'maskTokens',
  'config',
  'MASK_ID',
  'TODO',
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  GUARD,
  ALLOC,
] as const;

/** Per check: the most array elements the code may ask for, and the most bytes its tensors may hold. */
export const MEMORY_BUDGET = Object.freeze({ arrayElements: 32 * 1024 * 1024, tensorBytes: 256 * 1024 * 1024 });

export const TOO_MUCH_MEMORY = 'Your code used too much memory';

/**
 * The loop guard: throws once `limitMs` have passed since it was made, or once
 * `tensorBytes()` is over budget. It reads the clock every 16 iterations: often
 * enough that a loop allocating megabytes a turn is stopped in time, rarely
 * enough to cost nothing in a short loop.
 */
export function loopGuard(limitMs: number, tensorBytes: () => number = () => 0, now: () => number = () => performance.now()): (line: number) => void {
  const start = now();
  let n = 0;
  return (line: number) => {
    if ((++n & 15) !== 0) return;
    if (now() - start > limitMs) {
      throw new StudentCodeError({
        message: `This loop was still running after ${limitMs / 1000} s. Is its condition ever false?`,
        line,
        column: null,
      });
    }
    const bytes = tensorBytes();
    if (bytes > MEMORY_BUDGET.tensorBytes) {
      throw new StudentCodeError({
        message: `${TOO_MUCH_MEMORY}: its tensors hold ${Math.round(bytes / 2 ** 20)} MB in this loop, more than the ${MEMORY_BUDGET.tensorBytes / 2 ** 20} MB a check may use. Does it make tensors without disposing them (tf.tidy)?`,
        line,
        column: null,
      });
    }
  };
}

/** The allocation guard: counts the elements of every array made by size, and throws once over budget. */
export function allocGuard(budget = MEMORY_BUDGET.arrayElements): (size: unknown, line: number) => unknown {
  let total = 0;
  return (size, line) => {
    const n =
      typeof size === 'number'
        ? size
        : size !== null && typeof size === 'object' && typeof (size as { length?: unknown }).length === 'number'
          ? (size as { length: number }).length
          : 0;
    if (Number.isFinite(n) && n > 0) total += n;
    if (total > budget) {
      throw new StudentCodeError({
        message: `${TOO_MUCH_MEMORY}: it asked for more than ${Math.round(budget / 1e6)} million array elements in one check. Does an array grow without end, or is a size much larger than you meant?`,
        line,
        column: null,
      });
    }
    return size;
  };
}

/**
 * The line in the student's code where an error was thrown: the first frame of
 * its stack inside the student's lines of `script` (the sandbox's blob: URL, or
 * the file name a test gave). `firstLine` is the script line of the student's
 * line 1. Frames in the lesson's own code (tfjs, TODO) are skipped, so an error
 * inside tf.matMul points at the student's call.
 */
export function errorLine(error: unknown, script: string, firstLine: number, lineCount: number): number | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const escaped = script.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const m of stack.matchAll(new RegExp(`${escaped}:(\\d+):(\\d+)`, 'g'))) {
    const line = Number(m[1]) - firstLine + 1;
    if (line >= 1 && line <= lineCount) return line;
  }
  return null;
}
