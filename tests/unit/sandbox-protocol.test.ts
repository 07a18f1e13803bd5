/**
 * What crosses the sandbox's wall, checked on the trusted side: a report is
 * refused whole at the first thing out of place; a verdict comes only from
 * outputs that match the trusted reference's own logits; and the policies the
 * build writes hold the sandbox frame's exact script.
 */
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameCsp, frameDocument, FRAME_BOOTSTRAP } from '../../src/exercises/sandbox/frame.ts';
import { headersFile, lessonPolicy, parseHeadersFile, SANDBOX_BOOTSTRAP_HASH, securityHeaders } from '../../src/build/csp.ts';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { predictMasked } from '../../src/core/predict.ts';
import { Rng } from '../../src/core/rng.ts';
import { exerciseCases } from '../../src/exercises/cases.ts';
import { lossVariants } from '../../src/exercises/checks.ts';
import { decodeReport, encodeReport, REPORT_LIMITS, type RunReport } from '../../src/exercises/protocol.ts';
import { caseLogits } from '../../src/exercises/reference.ts';
import { describeLeaks, explainProblem, isTheSolution, verdict } from '../../src/exercises/verdict.ts';
import { SOLUTIONS } from '../../src/exercises/solutions.ts';
import { useBackend } from '../helpers/backends.ts';

const NO_LEAKS = { undisposed: 0, kept: 0, inTimers: 0 };
const report = (r: Partial<RunReport>): RunReport => ({ cases: [], leaks: NO_LEAKS, ...r });

describe('decoding a report from the sandbox', () => {
  it('reads back what the runtime sent, NaN and infinities included', () => {
    const sent = report({
      cases: [
        { output: { loss: Number.NaN, nMasked: 3 } },
        { output: [Number.POSITIVE_INFINITY, -Infinity, 'a', true, null] },
        { problem: { message: 'boom', line: 4, column: null } },
      ],
    });
    const got = decodeReport(encodeReport(sent), 4);
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.report.cases[0].output).toEqual({ loss: Number.NaN, nMasked: 3 });
    expect(got.report.cases[1].output).toEqual([Infinity, -Infinity, 'a', true, null]);
    expect(got.report.cases[2].problem).toEqual({ message: 'boom', line: 4, column: null });
    expect(got.report.leaks).toEqual(NO_LEAKS);
  });

  it.each([
    ['not text', 42, /not text/],
    ['not JSON', '{"cases": [', /not JSON/],
    ['a field that claims a pass', JSON.stringify({ cases: [], leaks: NO_LEAKS, passed: true }), /unexpected field "passed"/],
    [
      'a case with a verdict in it',
      JSON.stringify({ cases: [{ output: 1, passed: true }], leaks: NO_LEAKS }),
      /case 0 has an unexpected field "passed"/,
    ],
    [
      'logits shipped back from the sandbox',
      JSON.stringify({ cases: [{ output: 1, logits: [1, 2] }], leaks: NO_LEAKS }),
      /unexpected field "logits"/,
    ],
    ['more cases than were sent', JSON.stringify({ cases: [{}, {}, {}, {}, {}], leaks: NO_LEAKS }), /at most 4 cases/],
    ['a leak count that is not a count', JSON.stringify({ cases: [], leaks: { ...NO_LEAKS, kept: -1 } }), /kept is not a count/],
    ['a fractional leak count', JSON.stringify({ cases: [], leaks: { ...NO_LEAKS, undisposed: 1.5 } }), /undisposed is not a count/],
    ['no leak count', JSON.stringify({ cases: [] }), /no leak count/],
    ['a problem with no message', JSON.stringify({ problem: { message: '', line: 1, column: 1 }, cases: [], leaks: NO_LEAKS }), /malformed/],
    ['a problem at line 0', JSON.stringify({ problem: { message: 'x', line: 0, column: null }, cases: [], leaks: NO_LEAKS }), /malformed/],
    ['an output nested too deeply', JSON.stringify({ cases: [{ output: [[[[[[[[[[1]]]]]]]]]] }], leaks: NO_LEAKS }), /nested too deeply/],
    [
      'an output too large',
      JSON.stringify({ cases: [{ output: Array.from({ length: REPORT_LIMITS.nodes }, () => 0) }], leaks: NO_LEAKS }),
      /too large/,
    ],
    [
      'an object with too many fields',
      JSON.stringify({ cases: [{ output: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, i])) }], leaks: NO_LEAKS }),
      /too many fields/,
    ],
  ])('refuses %s', (_, json, why) => {
    const got = decodeReport(json, 4);
    expect(got.ok).toBe(false);
    if (!got.ok) expect(got.why).toMatch(why);
  });

  it('keeps a "__proto__" key as plain data, and cuts long strings', () => {
    const got = decodeReport(
      '{"cases":[{"output":{"__proto__":{"polluted":true},"s":"' + 'x'.repeat(5000) + '"}}],"leaks":{"undisposed":0,"kept":0,"inTimers":0}}',
      1,
    );
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    const out = got.report.cases[0].output as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBeNull();
    expect(Object.keys(out)).toEqual(['__proto__', 's']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((out.s as string).length).toBe(REPORT_LIMITS.stringLength);
  });
});

describe('the verdict, on the trusted side', () => {
  let model: DiffusionLM;
  let logits: Float32Array[];
  const cases = exerciseCases();
  beforeAll(async () => {
    await useBackend('cpu');
    model = new DiffusionLM(DEFAULT_MODEL, new Rng(11));
    logits = await Promise.all(cases.map(({ c }) => caseLogits(model, c.xt, c.t)));
  });
  afterAll(() => model.dispose());

  const V = DEFAULT_MODEL.vocabSize;
  /** What a correct computeSingleLoss returns on each case, from the trusted logits. */
  const rightLosses = () =>
    cases.map(({ c }, i) => ({
      output: { loss: lossVariants({ ...c, label: '', hidden: false, logits: logits[i], V }).reference, nMasked: c.mask.reduce((s, m) => s + m, 0) },
    }));

  it('passes outputs that match the reference, and only all four', () => {
    expect(verdict('todo-1', cases, logits, report({ cases: rightLosses() }), V).passed).toBe(true);
    const three = verdict('todo-1', cases, logits, report({ cases: rightLosses().slice(0, 3) }), V);
    expect(three.passed).toBe(false);
    expect(three.checks.every((c) => c.passed)).toBe(true);
  });

  it('fails `return 42`, and whatever a forged report claims beside its outputs', () => {
    const r = verdict('todo-1', cases, logits, report({ cases: cases.map(() => ({ output: 42 })) }), V);
    expect(r.passed).toBe(false);
    expect(r.checks[0].message).toBe('Return an object { loss, nMasked }.');
    const forged = decodeReport(JSON.stringify({ cases: cases.map(() => ({ output: { loss: 0.5, nMasked: 3 } })), leaks: NO_LEAKS }), 4);
    expect(forged.ok && verdict('todo-1', cases, logits, forged.report, V).passed).toBe(false);
  });

  it('judges against the logits it is given: right answers for another model fail', async () => {
    const other = new DiffusionLM(DEFAULT_MODEL, new Rng(12));
    const otherLogits = await Promise.all(cases.map(({ c }) => caseLogits(other, c.xt, c.t)));
    other.dispose();
    expect(verdict('todo-1', cases, otherLogits, report({ cases: rightLosses() }), V).passed).toBe(false);
  });

  it('passes predictions made by the reference predictMasked, as Results uses them', async () => {
    const outputs = await Promise.all(
      cases.map(async ({ c }) => ({ output: JSON.parse(JSON.stringify(await predictMasked(model, c.xt, c.t, c.k))) })),
    );
    const r = verdict('todo-2', cases, logits, report({ cases: outputs }), V);
    expect(r.checks.map((c) => c.message)).toEqual(['', '', '', '']);
    expect(r.passed).toBe(true);
  });

  it('stops at a problem, and says it', () => {
    const r = verdict(
      'todo-1',
      cases,
      logits,
      report({ cases: [...rightLosses().slice(0, 1), { problem: { message: 'TypeError: x', line: 3, column: null } }] }),
      V,
    );
    expect(r.passed).toBe(false);
    expect(r.problem).toEqual({ message: 'TypeError: x', line: 3, column: null });
    expect(r.checks).toHaveLength(1);
  });

  it('leaves no tensor behind', () => {
    // caseLogits frees what it makes: the reference worker runs for the whole lesson.
    const before = tf.memory().numTensors;
    return caseLogits(model, cases[0].c.xt, 0.5).then(() => expect(tf.memory().numTensors).toBe(before));
  });
});

describe('problems, explained for the exercise', () => {
  const problem = (message: string) => ({ message, line: 5, column: null });
  it('adds what a tfjs or JavaScript error means here, once', () => {
    expect(
      explainProblem('todo-2', problem('Error: Softmax along a non-last dimension is not yet supported. Logits was rank 3 and dim was 1')).message,
    ).toMatch(/with no axis\.$/);
    const once = explainProblem('todo-2', problem("TypeError: Cannot read properties of undefined (reading 'map')"));
    expect(once.message).toMatch(/tok\[0\]\[position\]\[j\]/);
    expect(explainProblem('todo-2', once).message).toBe(once.message);
    expect(explainProblem('todo-3', problem("TypeError: Cannot read properties of undefined (reading '3')")).message).toMatch(
      /probs\[i\] one per token/,
    );
    expect(explainProblem('todo-1', problem('ReferenceError: logits is not defined'))).toEqual(problem('ReferenceError: logits is not defined'));
  });
});

describe('a pass with the solution shown', () => {
  it('is the solution whatever its comments and spacing, and not once the code is really changed', () => {
    const solution = SOLUTIONS!['todo-1'];
    expect(isTheSolution(solution, solution)).toBe(true);
    expect(isTheSolution(solution.replace(/\/\/[^\n]*/g, '').replace(/\n\s+/g, '\n    '), solution)).toBe(true);
    expect(isTheSolution(solution.replace('tf.neg(tf.mean(picked))', 'tf.mean(tf.neg(picked))'), solution)).toBe(false);
  });
});

describe('the leak report', () => {
  it('says nothing about a few tensors, and counts kept and timer-made ones however few', () => {
    expect(describeLeaks({ undisposed: 12, kept: 0, inTimers: 0 })).toBeNull();
    expect(describeLeaks({ undisposed: 140, kept: 0, inTimers: 0 })).toMatch(
      /^Your code left 140 tensors undisposed\. They went away with the sandbox/,
    );
    expect(describeLeaks({ undisposed: 3, kept: 1, inTimers: 2 })).toMatch(
      /^Your code left 3 tensors undisposed \(1 kept with tf.keep, which no tf.tidy frees; 2 made by a timer after your function had returned\)/,
    );
  });
});

describe('the policies', () => {
  const sha = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;

  it("hold the sandbox frame's exact script, and nothing inline besides", () => {
    expect(SANDBOX_BOOTSTRAP_HASH).toBe(sha(FRAME_BOOTSTRAP));
    for (const policy of [lessonPolicy('meta'), lessonPolicy('header')]) {
      const scripts = /script-src ([^;]*)/.exec(policy)![1].split(' ');
      expect(scripts).toEqual(["'self'", "'wasm-unsafe-eval'", `'${SANDBOX_BOOTSTRAP_HASH}'`]);
      expect(policy).toContain("object-src 'none'");
    }
    expect(frameDocument(SANDBOX_BOOTSTRAP_HASH)).toContain(`<script>${FRAME_BOOTSTRAP}</script>`);
  });

  it('lock the sandbox frame out of the network, eval and wasm', () => {
    const policy = frameCsp(SANDBOX_BOOTSTRAP_HASH);
    expect(policy).toContain("connect-src 'none'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain(`script-src '${SANDBOX_BOOTSTRAP_HASH}'`);
    expect(policy).not.toMatch(/unsafe-eval|wasm-unsafe-eval|'self'/);
  });

  it('keep the page itself to its own origin; only the header (which workers get) reaches further', () => {
    expect(lessonPolicy('meta')).toContain("connect-src 'self';");
    expect(lessonPolicy('meta')).not.toContain('frame-ancestors');
    expect(lessonPolicy('header')).toContain("connect-src 'self' http: https:");
    expect(lessonPolicy('header')).toContain("frame-ancestors 'self'");
  });

  it('write a _headers file that reads back as the same headers', () => {
    expect(parseHeadersFile(headersFile())).toEqual(securityHeaders());
    expect(securityHeaders()['Cross-Origin-Embedder-Policy']).toBe('require-corp');
  });
});
