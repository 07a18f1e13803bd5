/**
 * Prepare a student's code to run: parse it (a syntax error becomes a message
 * with its line and column), and put a guard at the top of every loop body so
 * an infinite loop stops with the line it spins on instead of hanging.
 * The worker's hard time limit stays as the backstop (deep recursion, one huge op).
 */
import { parse, type Node } from 'acorn';

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

/** Name of the guard the instrumented code calls: a loop's line number in, a throw out once time is up. */
export const GUARD = '__unmaskLoopGuard';

type LoopNode = Node & { body: Node & { type: string; start: number; end: number }; loc?: { start: { line: number } } };
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);

/** Every loop statement in the tree, found without a visitor library. */
function loops(node: unknown, out: LoopNode[] = []): LoopNode[] {
  if (!node || typeof node !== 'object') return out;
  if (Array.isArray(node)) {
    for (const n of node) loops(n, out);
    return out;
  }
  const n = node as Node & Record<string, unknown>;
  if (typeof n.type === 'string' && LOOPS.has(n.type)) out.push(n as unknown as LoopNode);
  for (const [key, value] of Object.entries(n)) if (key !== 'loc' && value && typeof value === 'object') loops(value, out);
  return out;
}

/** Parse, or throw a StudentCodeError saying where and what. Returns the code with loop guards added. */
export function instrument(code: string): string {
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowAwaitOutsideFunction: false });
  } catch (e) {
    const err = e as SyntaxError & { loc?: { line: number; column: number } };
    const message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    const hint = /Unexpected token/.test(message) && /\?\?\?|: *[A-Z][A-Za-z]*(\[\])?\s*[,)=]/.test(code) ? ' (plain JavaScript only: fill in every ??? and leave out type annotations)' : '';
    throw new StudentCodeError({ message: `Syntax error: ${message}${hint}`, line: err.loc ? err.loc.line : null, column: err.loc ? err.loc.column + 1 : null });
  }
  // Insert from the end so earlier offsets stay valid.
  const edits: { at: number; text: string }[] = [];
  for (const loop of loops(program)) {
    const line = loop.loc?.start.line ?? 0;
    const guard = `${GUARD}(${line});`;
    if (loop.body.type === 'BlockStatement') edits.push({ at: loop.body.start + 1, text: guard });
    else {
      edits.push({ at: loop.body.start, text: `{${guard}` });
      edits.push({ at: loop.body.end, text: '}' });
    }
  }
  edits.sort((a, b) => b.at - a.at);
  let out = code;
  for (const { at, text } of edits) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** A guard that throws once `limitMs` have passed since it was made. */
export function loopGuard(limitMs: number, now: () => number = () => performance.now()): (line: number) => void {
  const start = now();
  let n = 0;
  return (line: number) => {
    // Reading the clock is cheap, but not free: check every 1024 iterations.
    if ((++n & 1023) === 0 && now() - start > limitMs) {
      throw new StudentCodeError({ message: `This loop was still running after ${limitMs / 1000} s. Is its condition ever false?`, line, column: null });
    }
  };
}

/**
 * The line in the student's code where a runtime error was thrown, from the
 * stack of code compiled by `new Function` (V8 and SpiderMonkey both name it
 * "anonymous"). `headerLines` is how many lines the wrapper adds before the code.
 */
export function errorLine(error: unknown, headerLines: number): number | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const m = /(?:<anonymous>|anonymous|Function):(\d+):(\d+)/.exec(stack);
  if (!m) return null;
  const line = Number(m[1]) - headerLines;
  return line >= 1 ? line : null;
}
