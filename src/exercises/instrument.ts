/**
 * Prepare a student's code to run, on the trusted side, before anything runs:
 * parse it (a syntax error becomes a message with its line and column), put a
 * guard at the top of every loop body so an endless loop stops with the line it
 * spins on, and count the elements of every array the code asks for by size
 * (`new Array(n)`, `new Float32Array(n)`, `Array.from(x)`), so an array that
 * grows without end is stopped, with its line, long before it fills memory.
 * Then wrap it as the one function definition the sandbox's script ends with.
 *
 * The sandbox's hard time limit and its crash detection stay as the backstops
 * (deep recursion, one huge op, memory the budget cannot see).
 */
import { parse, type Node } from 'acorn';
import { EXERCISES, type ExerciseId } from './exercises.ts';
import { ALLOC, FACTORY_GLOBAL, GUARD, STUDENT_PARAMS, StudentCodeError } from './guards.ts';

export { StudentCodeError, type CodeProblem } from './guards.ts';

type Located = Node & { loc?: { start: { line: number } } };
type LoopNode = Located & { body: Node };
type CallNode = Located & {
  callee: Node & { type: string; name?: string; object?: Node & { name?: string }; property?: Node & { name?: string } };
  arguments: Node[];
};
const LOOPS = new Set(['ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement', 'DoWhileStatement']);
const ARRAY_MAKERS = new Set([
  'Array',
  'Float32Array',
  'Float64Array',
  'Int8Array',
  'Int16Array',
  'Int32Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Uint16Array',
  'Uint32Array',
  'BigInt64Array',
  'BigUint64Array',
]);

/** Every node of the tree, found without a visitor library. */
function walk(node: unknown, visit: (n: Node & Record<string, unknown>) => void): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  const n = node as Node & Record<string, unknown>;
  if (typeof n.type === 'string') visit(n);
  for (const [key, value] of Object.entries(n)) if (key !== 'loc' && value && typeof value === 'object') walk(value, visit);
}

/** `new Array(n)`, `Float32Array(n)`, `Array.from(x)`, `Int32Array.from(x)`: the argument that sets the size. */
function sizedArgument(call: CallNode): Node | null {
  if (call.arguments.length === 0 || call.arguments[0].type === 'SpreadElement') return null;
  const c = call.callee;
  if (c.type === 'Identifier' && ARRAY_MAKERS.has(c.name ?? '') && call.arguments.length === 1) return call.arguments[0];
  if (c.type === 'MemberExpression' && c.object?.type === 'Identifier' && ARRAY_MAKERS.has(c.object.name ?? '') && c.property?.name === 'from') {
    return call.arguments[0];
  }
  return null;
}

interface Edit {
  readonly at: number;
  readonly text: string;
  readonly opens: boolean;
  /** Length of the node the edit belongs to: at one place, the outer node's text goes outside the inner's. */
  readonly span: number;
}

function parseProblem(e: unknown, code: string, lineShift = 0): StudentCodeError {
  const err = e as SyntaxError & { loc?: { line: number; column: number } };
  const message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
  const hint =
    /Unexpected token/.test(message) && /\?\?\?|: *[A-Z][A-Za-z]*(\[\])?\s*[,)=]/.test(code)
      ? ' (plain JavaScript only: fill in every ??? and leave out type annotations)'
      : '';
  const line = err.loc ? err.loc.line - lineShift : null;
  return new StudentCodeError({
    message: `Syntax error: ${message}${hint}`,
    line: line !== null && line >= 1 ? line : null,
    column: err.loc ? err.loc.column + 1 : null,
  });
}

/** Parse, or throw a StudentCodeError saying where and what. Returns the code with loop and allocation guards added. */
export function instrument(code: string): string {
  let program: Node;
  try {
    program = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowAwaitOutsideFunction: false });
  } catch (e) {
    throw parseProblem(e, code);
  }
  const edits: Edit[] = [];
  walk(program, (n) => {
    const line = (n as Located).loc?.start.line ?? 0;
    if (LOOPS.has(n.type)) {
      const body = (n as unknown as LoopNode).body;
      const guard = `${GUARD}(${line});`;
      const span = body.end - body.start;
      if (body.type === 'BlockStatement') edits.push({ at: body.start + 1, text: guard, opens: true, span });
      else {
        edits.push({ at: body.start, text: `{${guard}`, opens: true, span });
        edits.push({ at: body.end, text: '}', opens: false, span });
      }
    } else if (n.type === 'NewExpression' || n.type === 'CallExpression') {
      const arg = sizedArgument(n as unknown as CallNode);
      if (arg) {
        const span = arg.end - arg.start;
        edits.push({ at: arg.start, text: `${ALLOC}(`, opens: true, span });
        edits.push({ at: arg.end, text: `, ${line})`, opens: false, span });
      }
    }
  });
  // Insert from the end so earlier offsets stay valid. At one offset the last
  // insertion lands first in the text: openers inner first, closers outer first,
  // and closers after openers, so every pair nests.
  edits.sort((a, b) => b.at - a.at || Number(a.opens === false) - Number(b.opens === false) || (a.opens ? a.span - b.span : b.span - a.span));
  let out = code;
  for (const { at, text } of edits) out = out.slice(0, at) + text + out.slice(at);
  return out;
}

/** The student's code as the sandbox's script will hold it: one assignment of a function, nothing else. */
export interface PreparedCode {
  /** The text to append to the sandbox's script. */
  readonly block: string;
  /** Line of `block` that holds the student's line 1 (1-based). */
  readonly firstLine: number;
  /** How many lines the student's code has. */
  readonly lineCount: number;
}

/**
 * Instrument the code and wrap it as `globalThis.__unmaskStudent = function (tf, …) { … }`.
 * Parsed twice: alone (where its syntax errors are reported) and wrapped, in strict
 * mode as it will run, where the whole block must be exactly one statement (so code
 * that closes the function early, `}); steal(); (function () {`, is refused).
 */
export function prepare(exercise: ExerciseId, code: string): PreparedCode {
  const { fnName } = EXERCISES[exercise];
  const instrumented = instrument(code);
  const header = `globalThis.${FACTORY_GLOBAL} = function (${STUDENT_PARAMS.join(', ')}) { "use strict";\n`;
  const footer = `\nreturn typeof ${fnName} === 'function' ? ${fnName} : undefined;\n};\n`;
  const block = header + instrumented + footer;
  let program: Node & { body: (Node & { expression?: Node & { right?: Node } })[] };
  try {
    program = parse(block, { ecmaVersion: 'latest', sourceType: 'script', locations: true }) as typeof program;
  } catch (e) {
    // Valid alone but not in strict mode (a `with`, an octal literal, a duplicate parameter…).
    throw parseProblem(e, code, 1);
  }
  const only = program.body.length === 1 ? program.body[0].expression?.right : undefined;
  if (!only || only.type !== 'FunctionExpression' || only.end !== block.length - 2) {
    throw new StudentCodeError({
      message: 'Your code has to stay inside the function it is written in: it seems to close it early.',
      line: null,
      column: null,
    });
  }
  return { block, firstLine: 2, lineCount: code.split('\n').length };
}
