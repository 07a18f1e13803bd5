/**
 * The `unmask` command refuses bad input before it costs anything, and never
 * loses a finished run: a missing output folder is caught before training, an
 * empty token field is not a silent [MASK], a seed outside 32 bits is not
 * silently reduced, and an oversized "weights" file is not read whole.
 * Run in this process through main(), as the command does.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { main, MAX_WEIGHTS_BYTES } from '../../src/cli/main.ts';

const WEIGHTS = fileURLToPath(new URL('../fixtures/weights.safetensors', import.meta.url));

let errors: MockInstance;
let logs: MockInstance;
const said = () => errors.mock.calls.map((c) => String(c[0])).join('\n');

describe('unmask refuses bad input up front', () => {
  /** What the tests write, removed at the end so that runs do not pile up in the temp folder. */
  const scratch: string[] = [];
  const scratchDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  };
  afterAll(() => scratch.forEach((p) => rmSync(p, { recursive: true, force: true })));
  beforeEach(() => {
    errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    logs = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => vi.restoreAllMocks());

  it('checks --out before training, so a typo does not cost the run', async () => {
    const dir = scratchDir('unmask-out-');
    expect(await main(['train', '--steps', '1', '--out', join(dir, 'missing', 'x.safetensors')])).toBe(2);
    expect(said()).toContain(`--out ${join(dir, 'missing', 'x.safetensors')}: the folder ${join(dir, 'missing')} does not exist`);
    expect(said()).not.toMatch(/training "/); // it never started
  });

  it('refuses an empty field in --tokens instead of reading it as a [MASK]', async () => {
    for (const tokens of ['3 0 5,', '3,,5', ',3']) {
      errors.mockClear();
      expect(await main(['predict', '--weights', WEIGHTS, '--tokens', tokens, '--t', '0.3'])).toBe(2);
      expect(said()).toMatch(/--tokens has an empty field at position \d+: write 0 for a \[MASK\]/);
    }
    expect(await main(['predict', '--weights', WEIGHTS, '--tokens', '3 0x1 5', '--t', '0.3'])).toBe(2);
    expect(said()).toContain('--tokens must be integers in 0..15, got "0x1"');
    expect(await main(['predict', '--weights', WEIGHTS, '--tokens', '3, 0, 5', '--t', '0.3', '--json'])).toBe(0);
    expect(JSON.parse(String(logs.mock.calls.at(-1)![0])).map((p: { position: number }) => p.position)).toEqual([1]);
  });

  it('refuses a seed outside 0…2^32−1, as the browser does', async () => {
    for (const [cmd, extra] of [
      ['train', ['--steps', '1']],
      ['eval', ['--weights', WEIGHTS]],
      ['sample', ['--weights', WEIGHTS]],
    ] as const) {
      errors.mockClear();
      expect(await main([cmd, ...extra, '--seed', String(2 ** 32)])).toBe(2);
      expect(said()).toContain(`--seed must be an integer from 0 to 4294967295, got "${2 ** 32}"`);
    }
  });

  it('does not read a file far larger than any weights file', async () => {
    const big = join(scratchDir('unmask-big-'), 'big.safetensors');
    writeFileSync(big, '');
    truncateSync(big, MAX_WEIGHTS_BYTES + 1); // sparse: no disk used
    expect(await main(['eval', '--weights', big])).toBe(2);
    expect(said()).toContain("is 64 MB; this model's weights are under 1 MB, so it is not a weights file for it");
  });

  it('keeps the weights of a finished run when the output cannot be written at the end', async () => {
    const dir = scratchDir('unmask-gone-');
    // A folder in place of the file: the check before training passes (the folder exists), the write fails.
    const out = join(dir, 'taken.safetensors');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out);
    expect(await main(['train', '--steps', '1', '--out', out])).toBe(0);
    const rescued = /the weights were saved to (\S+) instead/.exec(said())?.[1];
    expect(rescued).toBeDefined();
    expect(existsSync(rescued!)).toBe(true);
    scratch.push(rescued!);
    expect(readdirSync(out)).toEqual([]);
  }, 60_000);
});
