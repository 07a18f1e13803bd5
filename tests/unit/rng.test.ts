import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/rng.ts';

describe('Rng', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = new Rng(42),
      b = new Rng(42),
      c = new Rng(43);
    const xs = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(xs);
  });

  it('gives uniforms in [0,1) with the right mean and variance', () => {
    const r = new Rng(7);
    const n = 200_000;
    let s = 0,
      s2 = 0,
      lo = 1,
      hi = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      s += u;
      s2 += u * u;
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
    }
    const mean = s / n,
      variance = s2 / n - mean * mean;
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    // 4 standard errors: sd of the mean is sqrt(1/12/n).
    expect(Math.abs(mean - 0.5)).toBeLessThan(4 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(0.002);
  });

  it('draws every integer of a range equally often', () => {
    const r = new Rng(1);
    const counts = new Array(15).fill(0);
    const n = 150_000;
    for (let i = 0; i < n; i++) counts[r.int(1, 15) - 1]++;
    // Chi-square with 14 dof; 36.1 is the 0.999 quantile.
    const e = n / 15;
    const chi2 = counts.reduce((acc, c) => acc + (c - e) ** 2 / e, 0);
    expect(chi2).toBeLessThan(36.1);
  });

  it('resumes exactly from a saved state', () => {
    const r = new Rng(5);
    r.next();
    const state = r.getState();
    const ahead = [r.next(), r.next()];
    const s = new Rng(0);
    s.setState(state);
    expect([s.next(), s.next()]).toEqual(ahead);
  });

  it('rejects a non-finite seed and bad ranges', () => {
    expect(() => new Rng(Number.NaN)).toThrow(/seed/);
    expect(() => new Rng(1).int(5, 4)).toThrow(/range/);
  });
});

describe('Rng.keepMask', () => {
  it('makes exactly the masks, and leaves exactly the state, that one nextUint32 a value would', () => {
    for (const rate of [0, 1e-12, 0.1, 0.5, 0.999, 1]) {
      const a = new Rng(7),
        b = new Rng(7);
      a.nextUint32(); // state words in both representations
      b.nextUint32();
      const cut = rate * 4294967296;
      const expected = Float32Array.from({ length: 10_001 }, () => (a.nextUint32() >= cut ? 1.25 : 0));
      expect(Array.from(b.keepMask(new Float32Array(10_001), rate, 1.25))).toEqual(Array.from(rate === 1 ? expected.fill(0) : expected));
      expect(b.getState()).toEqual(a.getState());
      expect(b.nextUint32()).toBe(a.nextUint32());
    }
  });

  it('keeps about 1 - rate of the values', () => {
    const n = 100_000;
    const kept = new Rng(3).keepMask(new Float32Array(n), 0.1, 1 / 0.9).filter((x) => x > 0).length / n;
    expect(Math.abs(kept - 0.9)).toBeLessThan(4 * Math.sqrt((0.9 * 0.1) / n));
  });
});
