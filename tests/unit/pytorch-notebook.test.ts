/**
 * "Open in PyTorch": the notebook written for a shipped checkpoint is run in
 * real PyTorch (Debian's python3-torch at /usr/bin/python3) and held to our
 * engine three ways:
 * - its model gives the same probabilities as ours on the parity cases;
 * - its exact best possible equals src/core/bayes.ts's, to 1e-9;
 * - its accuracy table agrees with `unmask eval` on the same weights within
 *   sampling error (independent draws on each side: torch's generator there,
 *   our Rng here), the tolerance computed from the binomial standard error.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { notebookCode, pytorchNotebook, toBase64 } from '../../src/bridge/pytorch-notebook.ts';
import { exactBestPossibleAccuracy } from '../../src/core/bayes.ts';
import { loadWeights, saveWeights } from '../../src/core/checkpoint.ts';
import { DEFAULT_DATA, DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { Rng } from '../../src/core/rng.ts';
import { WeightsError } from '../../src/core/weights.ts';
import { fixtureJson, useBackend } from '../helpers/backends.ts';

const PYTHON = '/usr/bin/python3';
const BIN = fileURLToPath(new URL('../../bin/unmask.mjs', import.meta.url));
const CHECKPOINT = fileURLToPath(new URL('../../public/pretrained/learns-5000.safetensors', import.meta.url));
/** Per ratio and per side: enough that the tolerance below is a few points at worst (t near 0.8). */
const SEQS = 2000;
/**
 * How many standard errors a difference may reach. 15 ratios are compared; a
 * two-sided 4σ bound fails by chance with probability about 15 × 6.3e-5 ≈ 1e-3.
 */
const Z = 4;

function run(file: string, args: string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // One thread: the machine is shared, and the answer does not depend on it.
    const env = { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
    execFile(file, args, { timeout, env, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface PythonRow {
  readonly t: number;
  readonly correct: number;
  readonly masked: number;
  readonly accuracy: number;
  readonly best_possible: number;
}
interface EvalRow {
  readonly t: number;
  readonly accuracy: number;
  readonly maskedTokens: number;
}
interface Case {
  readonly tokens: number[];
  readonly t: number;
}

const weights = new Uint8Array(readFileSync(CHECKPOINT));
const cases = fixtureJson<{ cases: Case[] }>('cases.json').cases;

/** What the test adds after the notebook's own cells: its results and the model's probabilities, as JSON. */
const HARNESS = `
import json as _json
_cases = _json.loads(${JSON.stringify(JSON.stringify(cases.map((c) => ({ tokens: c.tokens, t: c.t }))))})
with torch.no_grad():
    _x = torch.tensor([c["tokens"] for c in _cases])
    _t = torch.tensor([[float(c["t"])] for c in _cases])
    _probs = torch.softmax(model(_x, _t), dim=-1).tolist()
print("UNMASK-RESULTS " + _json.dumps({"table": RESULTS, "probs": _probs}))
`;

describe('the PyTorch notebook, run in PyTorch', () => {
  let ipynb: string;
  let python: { table: PythonRow[]; probs: number[][][] };
  let evaluation: EvalRow[];

  beforeAll(async () => {
    ipynb = pytorchNotebook({ weights, label: 'pretrained: learns, 5000 steps', seqsPerRatio: SEQS, seed: 7 });
    const dir = mkdtempSync(join(tmpdir(), 'unmask-notebook-'));
    const script = join(dir, 'notebook.py');
    writeFileSync(script, `${notebookCode(ipynb)}\n\n${HARNESS}`);
    // Both in parallel: PyTorch here, our engine through the CLI.
    const [py, ev] = await Promise.all([
      run(PYTHON, [script], 540_000),
      run(process.execPath, [BIN, 'eval', '--weights', CHECKPOINT, '--seqs', String(SEQS), '--seed', '11', '--json'], 540_000),
    ]);
    if (py.code !== 0) {
      throw new Error(
        `the notebook's code failed in ${PYTHON} (exit ${py.code}). PyTorch comes from Debian: apt-get install -y python3-torch.\n${py.stderr.slice(-3000)}`,
      );
    }
    expect(ev.code, ev.stderr).toBe(0);
    const line = py.stdout.split('\n').find((l) => l.startsWith('UNMASK-RESULTS '))!;
    python = JSON.parse(line.slice('UNMASK-RESULTS '.length));
    evaluation = (JSON.parse(ev.stdout) as { ratios: EvalRow[] }).ratios;
  }, 600_000);

  it('is a valid Jupyter notebook: nbformat 4.5, unique cell ids, sources as lines, code cells unrun', () => {
    const nb = JSON.parse(ipynb);
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec.name).toBe('python3');
    const ids = nb.cells.map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of nb.cells) {
      expect(['markdown', 'code']).toContain(c.cell_type);
      expect(c.id).toMatch(/^[A-Za-z0-9-_]{1,64}$/);
      expect(Array.isArray(c.source)).toBe(true);
      c.source.slice(0, -1).forEach((l: string) => expect(l.endsWith('\n')).toBe(true));
      if (c.cell_type === 'code') {
        expect(c.outputs).toEqual([]);
        expect(c.execution_count).toBeNull();
      }
    }
    // The weights travel inside, exactly.
    expect(notebookCode(ipynb).replace(/\s+/g, '')).toContain(toBase64(weights));
  });

  it('gives the same probabilities as our engine on the parity cases', async () => {
    await useBackend('cpu');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    loadWeights(model, weights);
    const before = tf.memory().numTensors;
    const B = cases.length,
      L = cases[0].tokens.length;
    const xt = tf.tensor2d(
      cases.flatMap((c) => c.tokens),
      [B, L],
      'int32',
    );
    const t = tf.tensor2d(cases.map((c) => [c.t]));
    const ours = await model.predictProbs(xt, t);
    tf.dispose([xt, t]);
    let worst = 0;
    python.probs.forEach((row, b) =>
      row.forEach((probs, i) => probs.forEach((p, v) => (worst = Math.max(worst, Math.abs(p - ours[(b * L + i) * 16 + v]))))),
    );
    console.log(`largest |p(PyTorch) - p(ours)| over ${B} cases x ${L} positions x 16 tokens: ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('computes the exact best possible as src/core/bayes.ts does', () => {
    for (const row of python.table) expect(row.best_possible).toBeCloseTo(exactBestPossibleAccuracy(row.t, DEFAULT_DATA), 9);
  });

  it("reproduces `unmask eval`'s accuracy table within sampling error", () => {
    expect(python.table).toHaveLength(15);
    const L = DEFAULT_DATA.seqLen;
    const report: string[] = [];
    python.table.forEach((nb, i) => {
      const ev = evaluation[i];
      expect(ev.t).toBeCloseTo(nb.t, 4);
      expect(nb.correct / nb.masked).toBeCloseTo(nb.accuracy, 12);
      const p = (nb.correct + ev.accuracy * ev.maskedTokens) / (nb.masked + ev.maskedTokens); // pooled
      // Binomial standard error with the sequence as the trial (all of a sequence's masked
      // tokens right or wrong together: the most they can be correlated), times the spread
      // of the masked count m ~ Binomial(L, t), E[m²] / E[m]² = 1 + (1 − t) / (L t).
      const perSide = (p * (1 - p) * (1 + (1 - nb.t) / (L * nb.t))) / SEQS;
      const se = Math.sqrt(2 * perSide);
      const diff = nb.accuracy - ev.accuracy;
      report.push(
        `t=${nb.t.toFixed(3)} notebook ${(100 * nb.accuracy).toFixed(2)}% eval ${(100 * ev.accuracy).toFixed(2)}% diff ${(100 * diff).toFixed(2)} se ${(100 * se).toFixed(2)} (${(diff / se).toFixed(2)}σ)`,
      );
      expect(Math.abs(diff), report.at(-1)).toBeLessThanOrEqual(Z * se + 1e-4); // + the eval JSON's 4-decimal rounding
    });
    console.log(report.join('\n'));
  });
});

describe('the notebook generator', () => {
  it("refuses weights that are not this lesson's model, and bad options", () => {
    expect(() => pytorchNotebook({ weights: new Uint8Array([1, 2, 3]), label: 'x' })).toThrow(WeightsError);
    expect(() => pytorchNotebook({ weights, label: 'x', seqsPerRatio: 0 })).toThrow(RangeError);
    expect(() => pytorchNotebook({ weights, label: 'x', seed: -1 })).toThrow(RangeError);
  });

  it('keeps a hostile label or metadata out of the Markdown as markup', async () => {
    await useBackend('cpu');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    loadWeights(model, weights);
    const marked = await saveWeights(model, { source: '<script>alert(1)</script>', '[x](javascript:y)': '`z`' });
    model.dispose();
    const nb = JSON.parse(pytorchNotebook({ weights: marked, label: 'uploaded: <img src=x onerror=alert(1)>[link](javascript:x)`code`' }));
    const intro = nb.cells[0].source.join('');
    expect(intro).toContain('**uploaded: img src=x onerror=alert(1) link (javascript:x) code**');
    expect(intro).toContain('source = script alert(1) /script');
    // The learner's text is the only text of its kind here: nothing of it can open a tag, a link or code.
    const learnerLines = intro.split('\n').filter((l: string) => /uploaded|source =/.test(l));
    expect(learnerLines).toHaveLength(2);
    for (const l of learnerLines) expect(l).not.toMatch(/[<>[\]`]/);
  });
});
