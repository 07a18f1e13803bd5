/** The `unmask` command as a user runs it: a real process, real files, exit codes. */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { loadWeights } from '../../src/core/checkpoint.ts';
import { DEFAULT_MODEL } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { Rng } from '../../src/core/rng.ts';
import { fixture, useBackend } from '../helpers/backends.ts';

const BIN = fileURLToPath(new URL('../../bin/unmask.mjs', import.meta.url));
const WEIGHTS = fileURLToPath(new URL('../fixtures/weights.safetensors', import.meta.url));

function unmask(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('unmask CLI', () => {
  it('predict --json gives the top-k eval probabilities at each [MASK], best first', async () => {
    const tokens = [3, 0, 5, 3, 0, 5, 0, 7];
    const { code, stdout } = await unmask('predict', '--weights', WEIGHTS, '--tokens', tokens.join(' '), '--t', '0.4', '--top-k', '3', '--json');
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as Array<{ position: number; top: Array<{ token: number; prob: number }> }>;
    expect(out.map((p) => p.position)).toEqual([1, 4, 6]);
    // Independent check: the same model in this process.
    await useBackend('cpu');
    const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
    loadWeights(model, fixture('weights.safetensors'));
    const xt = tf.tensor2d([tokens], [1, 8], 'int32'), t = tf.tensor2d([[0.4]]);
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
    ];
    for (const [args, code, message] of cases) {
      const r = await unmask(...args);
      expect({ args, code: r.code }).toEqual({ args, code });
      expect(r.stderr).toMatch(message);
    }
  });
});
