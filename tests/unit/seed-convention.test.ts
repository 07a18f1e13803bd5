/**
 * One seed convention: "seed 42" trains the same model in the CLI and on the
 * page. `unmask train` (run in this process through its main()) and the
 * training session the page's worker runs must end with identical weights,
 * bit for bit, for the same recipe, steps and seed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { readCheckpoint } from '../../src/core/checkpoint.ts';
import { runSeeds } from '../../src/core/model-factory.ts';
import type { SessionEvent } from '../../src/worker/protocol.ts';
import { TrainingSession } from '../../src/worker/session.ts';
import { useBackend } from '../helpers/backends.ts';

describe('one seed convention', () => {
  beforeAll(() => useBackend('wasm'));

  it('draws the weights from the seed and the data from the next, and refuses what is no 32-bit seed', () => {
    expect(runSeeds(42)).toEqual({ model: 42, data: 43 });
    expect(runSeeds(0xffffffff)).toEqual({ model: 0xffffffff, data: 0 });
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => runSeeds(bad)).toThrow(/seed must be a whole number from 0 to 4294967295/);
  });

  it("trains the same weights, bit for bit, in the CLI and in the page's session", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'unmask-seed-'));
    const out = join(dir, 'cli.safetensors');
    const quiet = [vi.spyOn(console, 'log').mockImplementation(() => undefined), vi.spyOn(console, 'error').mockImplementation(() => undefined)];
    let code: number;
    try {
      code = await main(['train', '--preset', 'learns', '--steps', '3', '--seed', '42', '--backend', 'wasm', '--out', out]);
    } finally {
      quiet.forEach((s) => s.mockRestore());
    }
    expect(code).toBe(0);
    const cli = readCheckpoint(new Uint8Array(readFileSync(out))).weights;
    rmSync(dir, { recursive: true, force: true });

    const before = tf.memory().numTensors;
    const events: SessionEvent[] = [];
    await new TrainingSession((e) => events.push(e)).run({ recipe: 'learns', totalSteps: 3, seed: 42 }, null);
    const ended = events.find((e) => e.type === 'ended');
    expect(ended).toMatchObject({ reason: 'completed', step: 3 });
    const page = new Map((ended as Extract<SessionEvent, { type: 'ended' }>).weights!);
    expect(tf.memory().numTensors).toBe(before);

    expect([...page.keys()]).toEqual([...cli.keys()]);
    for (const [name, w] of cli) expect(Buffer.from(page.get(name)!.buffer).equals(Buffer.from(w.buffer)), name).toBe(true);
    // And the comparison can tell runs apart: the next seed trains other weights.
    const again = new Map<string, Float32Array>();
    const ev2: SessionEvent[] = [];
    await new TrainingSession((e) => ev2.push(e)).run({ recipe: 'learns', totalSteps: 3, seed: 43 }, null);
    for (const [name, w] of (ev2.find((e) => e.type === 'ended') as Extract<SessionEvent, { type: 'ended' }>).weights!) again.set(name, w);
    expect(Buffer.from(again.get('output_head.weight')!.buffer).equals(Buffer.from(cli.get('output_head.weight')!.buffer))).toBe(false);
  }, 120_000);
});
