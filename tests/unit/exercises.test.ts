/**
 * The exercise checker: the reference and other correct solutions pass, each
 * common mistake fails with its own diagnosis, and bad code (syntax errors,
 * throws, endless loops, unfilled blanks, leaked tensors) gets a clear message
 * with its line, never a hang.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runInThisContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { NOTEBOOK_MODEL_OPTIONS } from '../../src/core/model-options.ts';
import { readCheckpoint } from '../../src/core/checkpoint.ts';
import { loadedModel } from '../../src/core/model-factory.ts';
import { Rng } from '../../src/core/rng.ts';
import { exerciseCases } from '../../src/exercises/cases.ts';
import type { CheckResult } from '../../src/exercises/checks.ts';
import { runJob } from '../../src/exercises/execute.ts';
import { EXERCISES, type ExerciseId } from '../../src/exercises/exercises.ts';
import { SOLUTIONS } from '../../src/exercises/solutions.ts';
import { FACTORY_GLOBAL } from '../../src/exercises/guards.ts';
import { instrument, prepare, StudentCodeError } from '../../src/exercises/instrument.ts';
import { decodeReport, encodeReport, type Leaks } from '../../src/exercises/protocol.ts';
import { caseLogits } from '../../src/exercises/reference.ts';
import { SAME_AS_ABOVE, verdict } from '../../src/exercises/verdict.ts';
import { useBackend } from '../helpers/backends.ts';

let model: DiffusionLM;
let tensorsBefore: number;

beforeAll(async () => {
  await useBackend('cpu');
  tensorsBefore = tf.memory().numTensors;
  model = new DiffusionLM(DEFAULT_MODEL, new Rng(3));
});

afterAll(() => {
  model.dispose();
  expect(tf.memory().numTensors).toBe(tensorsBefore);
});

let scripts = 0;

/**
 * Grade code as the lesson does, minus the browser: prepare it on the "trusted
 * side", define its factory as the sandbox's script would (here as a named
 * script, so stack traces map to the student's lines), run it with the
 * sandbox's runtime, send the report through the wire format, and judge it
 * against logits computed separately.
 */
async function grade(
  exercise: ExerciseId,
  code: string,
  limitMs = 2000,
  getModel = () => model,
  trusted: DiffusionLM = model,
): Promise<{ results: readonly CheckResult[]; problem?: string; line?: number | null; column?: number | null; leaks: Leaks; passed: boolean }> {
  let prepared;
  try {
    prepared = prepare(exercise, code);
  } catch (e) {
    if (e instanceof StudentCodeError)
      return {
        results: [],
        problem: e.problem.message,
        line: e.problem.line,
        column: e.problem.column,
        leaks: { undisposed: 0, kept: 0, inTimers: 0 },
        passed: false,
      };
    throw e;
  }
  const script = `student-${++scripts}.js`;
  runInThisContext(prepared.block, { filename: script });
  const factory = (globalThis as Record<string, unknown>)[FACTORY_GLOBAL];
  const cases = exerciseCases(exercise);
  const place = { firstLine: prepared.firstLine, lineCount: prepared.lineCount };
  const logits = await Promise.all(cases.map(({ c }) => caseLogits(trusted, c.xt, c.t)));
  const known = cases.map(({ c }, i) => ({ xt: c.xt, t: c.t, logits: logits[i] }));
  const report = await runJob(
    { exercise, cases: cases.map((c) => c.c), known, weights: [], options: NOTEBOOK_MODEL_OPTIONS, limitMs, ...place },
    getModel,
    factory,
    { script, ...place },
  );
  const decoded = decodeReport(encodeReport(report), cases.length);
  if (!decoded.ok) throw new Error(decoded.why);
  const v = verdict(exercise, cases, logits, decoded.report, DEFAULT_MODEL.vocabSize);
  return { results: v.checks, problem: v.problem?.message, line: v.problem?.line, column: v.problem?.column, leaks: v.leaks, passed: v.passed };
}

const firstFailure = (r: { results: readonly CheckResult[]; problem?: string }) =>
  r.problem ?? r.results.find((x) => !x.passed)?.message ?? 'all passed';

/** The reference with one line swapped for a mistake. */
const variant = (exercise: ExerciseId, from: string, to: string) => {
  const code = SOLUTIONS![exercise];
  if (!code.includes(from)) throw new Error(`reference has no "${from}"`);
  return code.replace(from, to);
};

describe('TODO 1: the loss of one sequence', () => {
  it('passes the reference on all four cases, one public and three hidden', async () => {
    const r = await grade('todo-1', SOLUTIONS!['todo-1']);
    expect(r.problem).toBeUndefined();
    expect(r.results.map((x) => [x.hidden, x.passed])).toEqual([
      [false, true],
      [true, true],
      [true, true],
      [true, true],
    ]);
  });

  it.each([
    [
      'tf.losses.softmaxCrossEntropy',
      'const loss = tf.neg(tf.mean(picked));',
      'const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(maskedTargets, V), maskedLogits);',
    ],
    ['a plain number', 'const loss = tf.neg(tf.mean(picked));', 'const loss = -(await tf.mean(picked).data())[0];'],
    ['log of softmax', 'const logp = tf.logSoftmax(maskedLogits);', 'const logp = tf.log(tf.softmax(maskedLogits));'],
    // A batch of two is not an input the trusted side computed: the sandbox runs the model itself.
    [
      'the model run on a batch',
      'const logits = model(xt, t); // [1, L, V]',
      'const logits = tf.slice(model(tf.concat([xt, xt]), tf.concat([t, t])), [0, 0, 0], [1, -1, -1]);',
    ],
  ])('accepts a correct variant: %s', async (_, from, to) => {
    expect(firstFailure(await grade('todo-1', variant('todo-1', from, to)))).toBe('all passed');
  });

  it.each([
    [
      'over all positions',
      async () =>
        grade(
          'todo-1',
          variant(
            'todo-1',
            'const loss = tf.neg(tf.mean(picked));',
            'const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(tf.reshape(logits, [-1, V])), tf.oneHot(tf.reshape(x0, [-1]), V)), -1)));',
          ),
        ),
      /averages over all 32 positions/,
    ],
    ['summed', async () => grade('todo-1', variant('todo-1', 'tf.mean(picked)', 'tf.sum(picked)')), /sum over the masked positions.*mean/],
    [
      'raw logits',
      async () => grade('todo-1', variant('todo-1', 'const logp = tf.logSoftmax(maskedLogits);', 'const logp = maskedLogits;')),
      /raw logits/,
    ],
    [
      'probabilities, no log',
      async () => grade('todo-1', variant('todo-1', 'const logp = tf.logSoftmax(maskedLogits);', 'const logp = tf.softmax(maskedLogits);')),
      /probabilities, not log-probabilities/,
    ],
    [
      'unmasked positions',
      async () => grade('todo-1', variant('todo-1', 'const keep = tf.reshape(mask, [-1]);', 'const keep = tf.logicalNot(tf.reshape(mask, [-1]));')),
      /unmasked positions/,
    ],
    [
      'without [MASK] in the softmax',
      async () =>
        grade(
          'todo-1',
          variant(
            'todo-1',
            'const logp = tf.logSoftmax(maskedLogits);',
            'const logp = tf.concat([tf.fill([maskedLogits.shape[0], 1], -1e9), tf.logSoftmax(tf.slice(maskedLogits, [0, 1], [-1, -1]))], 1);',
          ),
        ),
      /leaves out token 0/,
    ],
  ])('diagnoses the loss taken %s', async (_, run, message) => {
    expect(firstFailure(await run())).toMatch(message);
  });

  it("answers the cases' own inputs with the trusted logits, without building the model in the sandbox", async () => {
    const unbuilt = () => {
      throw new Error('the sandbox built the model');
    };
    expect(firstFailure(await grade('todo-1', SOLUTIONS!['todo-1'], 2000, unbuilt))).toBe('all passed');
    // Another input does need the model, and says so here.
    const batch = variant(
      'todo-1',
      'const logits = model(xt, t); // [1, L, V]',
      'const logits = tf.slice(model(tf.concat([xt, xt]), tf.concat([t, t])), [0, 0, 0], [1, -1, -1]);',
    );
    expect(firstFailure(await grade('todo-1', batch, 2000, unbuilt))).toBe('Error: the sandbox built the model');
  });

  describe('with a trained model, where every loss is near zero', () => {
    let trained: DiffusionLM;
    beforeAll(() => {
      const { weights, options } = readCheckpoint(
        new Uint8Array(readFileSync(fileURLToPath(new URL('../../public/pretrained/learns-5000.safetensors', import.meta.url)))),
      );
      trained = loadedModel(weights, options);
    });
    afterAll(() => trained.dispose());
    const gradeTrained = (code: string) => grade('todo-1', code, 2000, () => trained, trained);

    // (Leaving [MASK] out of the softmax changes nothing the check can see here: a trained model gives [MASK] next to no probability.)

    it('still passes the reference', async () => {
      expect(firstFailure(await gradeTrained(SOLUTIONS!['todo-1']))).toBe('all passed');
    });

    it.each([
      [
        'base-10 logarithms',
        'const loss = tf.neg(tf.mean(picked));',
        'const loss = tf.div(tf.neg(tf.mean(picked)), Math.LN10);',
        /base-10 logarithms/,
      ],
      ['base-2 logarithms', 'const loss = tf.neg(tf.mean(picked));', 'const loss = tf.div(tf.neg(tf.mean(picked)), Math.LN2);', /in bits, base-2/],
      [
        'a sum divided by 32',
        'const loss = tf.neg(tf.mean(picked));',
        'const loss = tf.div(tf.neg(tf.sum(picked)), 32);',
        /divides by the sequence length/,
      ],
    ])('diagnoses %s', async (_, from, to, message) => {
      expect(firstFailure(await gradeTrained(variant('todo-1', from, to)))).toMatch(message);
    });
  });

  it('diagnoses next-token targets, the habit of a left-to-right model', async () => {
    const shifted = `async function computeSingleLoss(model, x0, xt, mask, t) {
      const logits = tf.reshape(model(xt, t), [32, 16]);
      const targets = tf.slice(tf.reshape(x0, [-1]), [1], [31]); // the next token
      const keep = tf.slice(tf.reshape(mask, [-1]), [0], [31]);
      const rows = await tf.booleanMaskAsync(tf.slice(logits, [0, 0], [31, 16]), keep);
      const picked = tf.sum(tf.mul(tf.logSoftmax(rows), tf.oneHot(await tf.booleanMaskAsync(targets, keep), 16)), -1);
      return { loss: tf.neg(tf.mean(picked)), nMasked: picked.shape[0] };
    }`;
    expect(firstFailure(await grade('todo-1', shifted))).toMatch(/against the token at position i \+ 1/);
  });

  it('says a diagnosis once, not once for every check it fails', async () => {
    const r = await grade('todo-1', variant('todo-1', 'tf.mean(picked)', 'tf.sum(picked)'));
    expect(r.results.map((x) => x.message)).toEqual([expect.stringMatching(/^Your loss is the sum/), SAME_AS_ABOVE, SAME_AS_ABOVE, SAME_AS_ABOVE]);
  });

  it('diagnoses a count of every position', async () => {
    const r = await grade('todo-1', variant('todo-1', 'nMasked: maskedTargets.shape[0]', 'nMasked: 32'));
    expect(firstFailure(r)).toMatch(/nMasked is 32, the whole sequence/);
  });
});

describe('TODO 2: predict the masked tokens', () => {
  it('passes the reference on all four cases', async () => {
    const r = await grade('todo-2', SOLUTIONS!['todo-2']);
    expect(r.results.every((x) => x.passed)).toBe(true);
    expect(r.results).toHaveLength(4);
  });

  it('accepts a hand-written top-k over dataSync', async () => {
    const code = `function predictMasked(model, xt, mask, t, k) {
      const probs = tf.softmax(model(xt, t)).dataSync(); // [1*L*V]
      const m = mask.dataSync();
      const V = config.vocabSize;
      const out = [];
      for (let i = 0; i < m.length; i++) {
        if (!m[i]) continue;
        const row = Array.from(probs.slice(i * V, (i + 1) * V), (prob, token) => ({ token, prob }));
        row.sort((a, b) => b.prob - a.prob);
        out.push({ position: i, top: row.slice(0, k) });
      }
      return out;
    }`;
    expect(firstFailure(await grade('todo-2', code))).toBe('all passed');
  });

  it.each([
    ['logits instead of probabilities', 'const probs = tf.softmax(logits);', 'const probs = logits;', /raw logits/],
    [
      'softmax over positions',
      'const probs = tf.softmax(logits);',
      'const probs = tf.transpose(tf.softmax(tf.transpose(logits, [0, 2, 1])), [0, 2, 1]);',
      /over the positions, not the vocabulary/,
    ],
    [
      'unsorted top-k',
      '.map((token, j) => ({ token, prob: p[0][position][j] }));',
      '.map((token, j) => ({ token, prob: p[0][position][j] })).reverse();',
      /not sorted/,
    ],
    ['positions off by one', 'predictions.push({ position, top });', 'predictions.push({ position: position + 1, top });', /off by one/],
    ['predictions everywhere', 'if (!isMasked[0][position]) continue;', '', /all 32 positions/],
    ['predictions at unmasked positions', 'if (!isMasked[0][position]) continue;', 'if (isMasked[0][position]) continue;', /unmasked positions/],
    ['the wrong k', 'tf.topk(probs, k)', 'tf.topk(probs, 2)', /2 guesses; k = 3/],
    [
      'the best token repeated k times',
      '.map((token, j) => ({ token, prob: p[0][position][j] }));',
      '.map(() => ({ token: tok[0][position][0], prob: p[0][position][0] }));',
      /lists token \d+ twice/,
    ],
    [
      'a function where a number belongs',
      '.map((token, j) => ({ token, prob: p[0][position][j] }));',
      '.map((token) => ({ token, prob: values.dataSync }));',
      /not \{ token: whole number, prob: number \}.*forget to call it/,
    ],
    [
      '[MASK] left out of the softmax',
      'const probs = tf.softmax(logits);',
      'const probs = tf.concat([tf.zerosLike(tf.slice(logits, [0, 0, 0], [-1, -1, 1])), tf.softmax(tf.slice(logits, [0, 0, 1], [-1, -1, -1]))], 2);',
      /leaves out token 0, \[MASK\]/,
    ],
    ['a softmax given an axis', 'const probs = tf.softmax(logits);', 'const probs = tf.softmax(logits, 1);', /non-last dimension.*with no axis/],
    [
      'tf.logSoftMax',
      'const probs = tf.softmax(logits);',
      'const probs = tf.exp(tf.logSoftMax(logits));',
      /tf.logSoftMax is not a function\. Did you mean tf\.logSoftmax\?/,
    ],
    [
      'a position off the end',
      'const top = tok[0][position].map(',
      'const top = tok[0][position + 1].map(',
      /^TypeError: Cannot read properties of undefined.*not position \+ 1/,
    ],
    [
      'top-k on the wrong axis',
      'const { values, indices } = tf.topk(probs, k);',
      'const { values, indices } = tf.topk(tf.transpose(probs, [0, 2, 1]), k);',
      /^TypeError: Cannot read properties of undefined.*along the last axis/,
    ],
  ])('diagnoses %s', async (_, from, to, message) => {
    expect(firstFailure(await grade('todo-2', variant('todo-2', from, to)))).toMatch(message);
  });
});

describe('TODO 3: one step of generation', () => {
  it('passes the reference on all four cases, the last step to s = 0 among them', async () => {
    const r = await grade('todo-3', SOLUTIONS!['todo-3']);
    expect(r.results.map((x) => [x.label, x.passed])).toEqual([
      ['Public check: seed 0, t = 0.8 to s = 0.6', true],
      ['Hidden check 1: t = 0.5 to s = 0.25', true],
      ['Hidden check 2: t = 1 to s = 0.75', true],
      ['Hidden check 3: the last step, t = 0.3 to s = 0', true],
    ]);
  });

  it('accepts a written-out loop with an early break', async () => {
    const code = `function revealStep(xt, probs, t, s, u, g) {
      const xs = xt.slice();
      for (let i = 0; i < xt.length; i++) {
        if (xt[i] !== MASK_ID || u[i] >= 1 - s / t) continue;
        let total = 0;
        for (let v = 0; v < 16; v++) { total += probs[i][v]; if (total > g[i]) { xs[i] = v; break; } }
      }
      return xs;
    }`;
    expect(firstFailure(await grade('todo-3', code))).toBe('all passed');
  });

  it('points at its first blank', async () => {
    const r = await grade('todo-3', EXERCISES['todo-3'].starter);
    expect(r.problem).toBe('This blank is still to fill in: the probability that a token masked at t is visible at s.');
    expect(r.line).toBe(13);
  });

  it.each([
    [
      'the chance of staying hidden',
      'const reveal = (t - s) / t;',
      'const reveal = s / t;',
      /probability s \/ t\. That is the chance it stays hidden/,
    ],
    ['t - s', 'const reveal = (t - s) / t;', 'const reveal = t - s;', /probability t − s\..*Divide by t/],
    ['1 - s', 'const reveal = (t - s) / t;', 'const reveal = 1 - s;', /probability 1 − s/],
    ['the test the wrong way round', 'if (u[i] >= reveal) return MASK_ID;', 'if (u[i] < reveal) return MASK_ID;', /at least the reveal probability/],
    ['every blank at once', 'if (u[i] >= reveal) return MASK_ID;', '', /opens every blank at once/],
    ['no blank', 'if (u[i] >= reveal) return MASK_ID;', 'return MASK_ID;', /opens no blank/],
    ['the most likely token', 'if (g[i] < total) return v;', 'if (probs[i][v] === Math.max(...probs[i])) return v;', /most likely token/],

    ['visible tokens redrawn', 'if (token !== MASK_ID) return token;', '', /changes tokens that were already visible/],
  ])('diagnoses %s', async (_, from, to, message) => {
    expect(firstFailure(await grade('todo-3', variant('todo-3', from, to)))).toMatch(message);
  });

  it('diagnoses u and g swapped', async () => {
    const swapped = variant('todo-3', 'if (u[i] >= reveal) return MASK_ID;', 'if (g[i] >= reveal) return MASK_ID;').replace(
      'if (g[i] < total) return v;',
      'if (u[i] < total) return v;',
    );
    expect(firstFailure(await grade('todo-3', swapped))).toMatch(/Your step uses g\[i\] to decide/);
  });

  it.each([
    ['no array', 'function revealStep() {\n  return 7;\n}', /^Return an array of 32 token ids; got number 7\./],
    ['only the masked positions', 'function revealStep(xt) {\n  return xt.filter((v) => v === MASK_ID);\n}', /^Return all 32 positions/],
    [
      'a probability where a token belongs',
      'function revealStep(xt, probs) {\n  return xt.map((v, i) => probs[i][1]);\n}',
      /^Position 0 holds number/,
    ],
  ])('explains a malformed answer: %s', async (_, code, message) => {
    expect(firstFailure(await grade('todo-3', code))).toMatch(message);
  });
});

describe('running student code safely', () => {
  it('reports a syntax error with its line and column, and explains ???', async () => {
    const r = await grade('todo-1', EXERCISES['todo-1'].starter.replace("TODO('run the model on xt and t')", '???'));
    expect(r.problem).toMatch(/^Syntax error: Unexpected token.*fill in every \?\?\?/);
    expect(r.line).toBe(12);
  });

  it('points at the first unfilled blank of the starter code', async () => {
    const r = await grade('todo-1', EXERCISES['todo-1'].starter);
    expect(r.problem).toBe('This blank is still to fill in: run the model on xt and t.');
    expect(r.line).toBe(12);
  });

  it('gives the line of a runtime error', async () => {
    const code = 'function computeSingleLoss(model, x0, xt, mask, t) {\n  const logits = model(xt, t);\n  return logits.nothing.here;\n}';
    const r = await grade('todo-1', code);
    expect(r.problem).toMatch(/^TypeError: Cannot read properties of undefined/);
    expect(r.line).toBe(3);
  });

  it('stops an endless loop at its line, quickly', async () => {
    const code = 'function computeSingleLoss(model, x0, xt, mask, t) {\n  let n = 0;\n  while (true) n++;\n}';
    const started = Date.now();
    const r = await grade('todo-1', code, 200);
    expect(r.problem).toMatch(/still running after 0.2 s/);
    expect(r.line).toBe(3);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('gives the line of an error in top-level code, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const r = await grade('todo-1', 'const junk = tf.zeros([10]);\nfunction computeSingleLoss() {}\nlogits.print();');
    expect(r.problem).toBe('ReferenceError: logits is not defined');
    expect(r.line).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('asks for the named function when it is missing', async () => {
    expect((await grade('todo-2', 'function predict() {}')).problem).toBe('Define a function named predictMasked: the checks call it.');
  });

  it('cleans up the tensors student code leaks', async () => {
    const before = tf.memory().numTensors;
    const leaky = SOLUTIONS!['todo-1'].replace(
      'const V = logits.shape[2];',
      'const V = logits.shape[2]; for (let i = 0; i < 10; i++) tf.zeros([100]);',
    );
    const r = await grade('todo-1', leaky);
    expect(r.results.every((x) => x.passed)).toBe(true);
    expect(r.leaks.undisposed).toBeGreaterThanOrEqual(40);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('counts tensors kept with tf.keep and tensors made in a timer after the function returned, and frees them all', async () => {
    const before = tf.memory().numTensors;
    // (The kept ones also go into a list, so that this test, which shares its engine with the code, can free them.)
    const leaky = variant(
      'todo-1',
      'const V = logits.shape[2];',
      'const V = logits.shape[2];\n  globalThis.keptByTest.push(tf.keep(tf.zeros([2])));\n  setTimeout(() => tf.ones([3]), 0);\n  setTimeout(() => tf.ones([3]), 5);',
    );
    const kept: tf.Tensor[] = [];
    (globalThis as Record<string, unknown>).keptByTest = kept;
    const r = await grade('todo-1', leaky);
    expect(r.passed).toBe(true);
    expect(r.leaks.kept).toBe(4); // one a case
    expect(r.leaks.inTimers).toBe(8); // two a case
    expect(r.leaks.undisposed).toBeGreaterThanOrEqual(12);
    // The timers' tensors were counted and freed as they were made; only the kept ones outlive the run.
    expect(tf.memory().numTensors - before).toBe(4);
    tf.dispose(kept);
  });

  it('reports what a timer of the code throws, with its line, against that check', async () => {
    const r = await grade('todo-1', 'setTimeout(() => { null.x; }, 0);\nfunction computeSingleLoss() {\n  return { loss: 0, nMasked: 0 };\n}');
    expect(r.problem).toMatch(/^TypeError: Cannot read properties of null/);
    expect(r.line).toBe(1);
  });

  it('stops an array that grows without end, with its line, before it fills memory', async () => {
    const r = await grade('todo-1', 'function computeSingleLoss() {\n  const a = [];\n  while (true) a.push(new Array(1e6).fill(1.5));\n}');
    expect(r.problem).toMatch(/^Your code used too much memory: it asked for more than 34 million array elements in one check/);
    expect(r.line).toBe(3);
  });

  it('stops tensors that pile up in a loop, with its line', async () => {
    const before = tf.memory().numTensors;
    const r = await grade('todo-1', 'function computeSingleLoss() {\n  const a = [];\n  for (;;) a.push(tf.zeros([1 << 20]));\n}', 20_000);
    expect(r.problem).toMatch(/^Your code used too much memory: its tensors hold \d+ MB in this loop/);
    expect(r.line).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses code that closes its function early to run outside it', async () => {
    const r = await grade('todo-1', 'function computeSingleLoss() {}\n}; globalThis.escaped = true; (function () {');
    expect(r.problem).toMatch(/^Syntax error/);
    expect((globalThis as Record<string, unknown>).escaped).toBeUndefined();
    expect(() => prepare('todo-1', '}; globalThis.escaped = true; (function () {')).toThrow(StudentCodeError);
  });

  it('reports, with its line, what strict mode refuses though plain JavaScript allows it', async () => {
    const r = await grade('todo-1', 'function computeSingleLoss() {\n  with (Math) { return { loss: PI, nMasked: 1 }; }\n}');
    expect(r.problem).toMatch(/^Syntax error: .*strict mode/);
    expect(r.line).toBe(2);
  });

  it('counts the sizes of arrays made by size, nested or not, and leaves other calls alone', () => {
    const out = instrument(
      'const a = new Array(n);\nconst b = Float32Array.from(new Array(Array(3).length));\nconst c = f(Array);\nconst d = new Array(1, 2);',
    );
    expect(out).toBe(
      'const a = new Array(__unmaskAlloc(n, 1));\nconst b = Float32Array.from(__unmaskAlloc(new Array(__unmaskAlloc(Array(__unmaskAlloc(3, 2)).length, 2)), 2));\nconst c = f(Array);\nconst d = new Array(1, 2);',
    );
  });

  it('guards every kind of loop without changing what the code does', () => {
    const code = 'for (;;) x();\nwhile (a) { b(); }\ndo c(); while (d);\nfor (const e of f) g();';
    const out = instrument(code);
    expect(out.match(/__unmaskLoopGuard\((\d+)\)/g)).toEqual([
      '__unmaskLoopGuard(1)',
      '__unmaskLoopGuard(2)',
      '__unmaskLoopGuard(3)',
      '__unmaskLoopGuard(4)',
    ]);
    expect(out.replace(/__unmaskLoopGuard\(\d+\);/g, '').replace(/[{}]/g, '')).toBe(code.replace(/[{}]/g, ''));
  });
});
