/**
 * The `unmask` command: real files, exit codes, what it prints. One case runs
 * the real command in its own process (bin/unmask.mjs, as a user types it);
 * the rest call the same main() in this process, which is what that file
 * runs, without paying a process start (tsx, tfjs, wasm) each time.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { loadWeights } from '../../src/core/checkpoint.ts';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { sampleQuality, type SampleQuality } from '../../src/core/periodicity.ts';
import { Rng } from '../../src/core/rng.ts';
import { fixture, useBackend } from '../helpers/backends.ts';

const BIN = fileURLToPath(new URL('../../bin/unmask.mjs', import.meta.url));
const WEIGHTS = fileURLToPath(new URL('../fixtures/weights.safetensors', import.meta.url));

/** The real command, in a process of its own. */
function spawned(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 600_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The command's main() in this process, with what it prints captured (console and the progress bar's raw writes). */
async function unmask(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void (stdout += `${a.join(' ')}\n`)),
    vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void (stderr += `${a.join(' ')}\n`)),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)),
  ];
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    spies.forEach((s) => s.mockRestore());
  }
}

/** The JSON's quality block: the summary at 4 decimals. */
function roundedQuality(q: SampleQuality) {
  const r = (x: number) => Number(x.toFixed(4));
  return {
    periodicFraction: r(q.periodicFraction),
    periodFractions: q.periodFractions.map(r),
    longerFraction: r(q.periods.longer / q.sequences),
    dataPeriodFractions: q.dataPeriodFractions.map(r),
    distinct: q.distinct,
    meanDefect: r(q.meanDefect),
  };
}

describe('unmask CLI', () => {
  it('predict --json gives the top-k eval probabilities at each [MASK], best first', async () => {
    const tokens = [3, 0, 5, 3, 0, 5, 0, 7];
    // The real command, once: a process of its own, as a user runs it.
    const { code, stdout } = await spawned('predict', '--weights', WEIGHTS, '--tokens', tokens.join(' '), '--t', '0.4', '--top-k', '3', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Array<{ position: number; top: Array<{ token: number; prob: number }> }>;
    expect(out.map((p) => p.position)).toEqual([1, 4, 6]);
    // Independent check: the same model in this process.
    await useBackend('cpu');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    loadWeights(model, fixture('weights.safetensors'));
    const xt = tf.tensor2d([tokens], [1, 8], 'int32'),
      t = tf.tensor2d([[0.4]]);
    const probs = await model.predictProbs(xt, t);
    for (const p of out) {
      expect(Object.keys(p)).toEqual(['position', 'top']);
      expect(p.top).toHaveLength(3);
      const row = Array.from(probs.subarray(p.position * 16, p.position * 16 + 16));
      const order = row.map((prob, token) => ({ token, prob })).sort((a, b) => b.prob - a.prob);
      expect(p.top.map((x) => x.token)).toEqual(order.slice(0, 3).map((x) => x.token));
      p.top.forEach((x) => expect(x.prob).toBeCloseTo(row[x.token], 5));
      expect(p.top[0].prob).toBeGreaterThanOrEqual(p.top[1].prob);
    }
    tf.dispose([xt, t]);
    model.dispose();
  });

  it('train writes PyTorch-named safetensors that eval reads, with the JSON schema', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unmask-'));
    const out = join(dir, 'm.safetensors');
    const trained = await unmask('train', '--steps', '2', '--seed', '3', '--out', out);
    expect(trained.code).toBe(0);
    expect(trained.stderr).toMatch(/Saved 2 steps of training/);
    await useBackend('cpu');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    const meta = loadWeights(model, new Uint8Array(readFileSync(out)));
    expect(meta).toMatchObject({ format: 'pt', recipe: 'notebook', seed: '3', steps: '2' });
    model.dispose();

    const evaluated = await unmask('eval', '--weights', out, '--seqs', '20', '--json');
    expect(evaluated.code).toBe(0);
    const e = JSON.parse(evaluated.stdout);
    expect(Object.keys(e)).toEqual(['ratios', 'meanLoss', 'elboBitsPerToken']);
    expect(e.ratios).toHaveLength(15);
    for (const r of e.ratios) {
      expect(Object.keys(r)).toEqual(['t', 'accuracy', 'bestPossible', 'maskedTokens', 'meanLoss']);
      expect(r.accuracy).toBeGreaterThanOrEqual(0);
      expect(r.accuracy).toBeLessThanOrEqual(1);
      expect(r.bestPossible).toBeGreaterThan(0.4);
      expect(r.bestPossible).toBeLessThanOrEqual(1);
    }
    const table = await unmask('eval', '--weights', out, '--seqs', '10');
    expect(table.stdout).toMatch(/best possible/);
    expect(table.stdout).toMatch(/ELBO .* bits\/token/);
  });

  it('sample prints generated sequences and their quality; greedy confidence decoding is one sequence whatever the seed', async () => {
    const LEARNS = fileURLToPath(new URL('../../public/pretrained/learns-5000.safetensors', import.meta.url));
    const run = async (...extra: string[]) => {
      const r = await unmask('sample', '--weights', LEARNS, '--batch', '6', '--steps', '8', '--json', ...extra);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout);
    };
    const a = await run('--seed', '4');
    expect(Object.keys(a)).toEqual(['sampler', 'steps', 'grid', 'temperature', 'seed', 'sequences', 'quality']);
    expect(a).toMatchObject({ sampler: 'ancestral', steps: 8, grid: 'uniform', temperature: 1, seed: 4 });
    expect(a.sequences).toHaveLength(6);
    for (const seq of a.sequences) {
      expect(seq).toHaveLength(32);
      for (const v of seq) expect(v >= 1 && v <= 15, `token ${v}`).toBe(true); // [MASK] is never emitted
    }
    // The summary is the one periodicity.ts computes from the printed sequences.
    expect(a.quality).toEqual(roundedQuality(sampleQuality(a.sequences.flat())));
    expect(await run('--seed', '4')).toEqual(a);
    const g1 = await run('--sampler', 'confidence', '--temperature', '0', '--seed', '1', '--grid', 'cosine');
    const g2 = await run('--sampler', 'confidence', '--temperature', '0', '--seed', '2', '--grid', 'cosine');
    expect(g2.sequences).toEqual(g1.sequences);
    expect(g1.quality.distinct).toBe(1);

    const table = await unmask('sample', '--weights', LEARNS, '--batch', '4', '--steps', '4', '--show', '2');
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toBe('ancestral sampler, 4 steps, uniform grid, temperature 1, seed 0: 4 sequences');
    for (const line of lines.slice(1, 3)) {
      const m = /^(.+?) {3}(periodic, period \d|not periodic \(\d+ tokens off\))$/.exec(line);
      expect(m, line).not.toBeNull();
      const tokens = m![1].trim().split(/\s+/).map(Number);
      expect(tokens).toHaveLength(32);
      for (const v of tokens) expect(v >= 1 && v <= 15, line).toBe(true);
    }
    expect(lines[3]).toBe('(2 more not shown)');
    expect(table.stdout).toMatch(/perfectly periodic: \d\/4/);
    expect(table.stdout).toMatch(/data \(exact\) +2\.4% +31\.2% +33\.2% +33\.2%/);
    expect(table.stdout).toMatch(/distinct samples: \d\/4/);
  });

  it('fails clearly, with a non-zero exit, on bad arguments and bad files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unmask-'));
    const corrupt = join(dir, 'corrupt.safetensors');
    writeFileSync(corrupt, fixture('weights.safetensors').subarray(0, 5000));
    const cases: Array<[string[], number, RegExp]> = [
      [['frobnicate'], 2, /unknown command "frobnicate"/],
      [['train', '--steps', 'ten'], 2, /--steps must be an integer/],
      [['train', '--preset', 'nope'], 2, /unknown recipe "nope"/],
      [['train', '--backend', 'webgl', '--steps', '1'], 1, /--backend must be one of wasm, cpu/],
      [['train', '--bogus'], 2, /Unknown option '--bogus'/],
      [['eval'], 2, /eval needs --weights/],
      [['eval', '--weights', join(dir, 'missing.safetensors')], 2, /cannot read .*ENOENT/],
      [['eval', '--weights', corrupt], 1, /truncated/],
      [['predict', '--weights', WEIGHTS, '--tokens', '1 0 99', '--t', '0.5'], 2, /--tokens must be integers in 0..15/],
      [['predict', '--weights', WEIGHTS, '--tokens', '1 0', '--t', '1.5'], 2, /--t must be a number in \[0, 1\]/],
      [['predict', '--weights', WEIGHTS, '--tokens', '1 0'], 2, /--t must be a number/],
      [['sample'], 2, /sample needs --weights/],
      [['sample', '--weights', WEIGHTS, '--sampler', 'greedy'], 2, /--sampler must be one of ancestral, confidence/],
      [['sample', '--weights', WEIGHTS, '--grid', 'log'], 2, /--grid must be one of uniform, cosine/],
      [['sample', '--weights', WEIGHTS, '--temperature=-1'], 2, /--temperature must be a finite number >= 0/],
      [['sample', '--weights', WEIGHTS, '--steps', '0'], 2, /--steps must be an integer >= 1/],
    ];
    for (const [args, code, message] of cases) {
      const r = await unmask(...args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
    }
  });
});
