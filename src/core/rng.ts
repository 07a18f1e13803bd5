/**
 * A small seeded generator (SplitMix32 seeding into xoshiro128**), passed
 * explicitly everywhere randomness is needed. Pure integer arithmetic, so the
 * same seed gives the same stream in Node, in every browser and on every
 * tfjs backend: data and masks are drawn here, never by a backend.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    let x = Math.trunc(seed) >>> 0;
    const next = (): number => {
      // SplitMix32: decorrelates nearby seeds before they become state.
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** Next raw 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [lo, hi] inclusive, without modulo bias. */
  int(lo: number, hi: number): number {
    const span = hi - lo + 1;
    if (!Number.isInteger(lo) || !Number.isInteger(hi) || span < 1 || span > 4294967296) {
      throw new RangeError(`bad integer range [${lo}, ${hi}]`);
    }
    const limit = 4294967296 - (4294967296 % span);
    let r = this.nextUint32();
    while (r >= limit) r = this.nextUint32();
    return lo + (r % span);
  }

  /** Fill an array with uniforms in [0, 1). */
  fill(out: Float32Array | Float64Array): typeof out {
    for (let i = 0; i < out.length; i++) out[i] = this.next();
    return out;
  }

  /**
   * Inverted-dropout mask: out[i] = scale where the next draw is kept (at or
   * above `rate` of the 32-bit range, as nextUint32() >= rate * 2^32), else 0.
   * Exactly the draws of out.length nextUint32() calls, but with the state in
   * int32 locals, which V8 keeps in registers: about ten times faster, and
   * dropout draws three million of these a training step.
   */
  keepMask(out: Float32Array, rate: number, scale: number): Float32Array {
    const cut = Math.max(0, Math.ceil(rate * 4294967296)); // keep r >= cut
    const kept = cut >= 4294967296 ? 0 : scale; // rate 1: nothing kept
    const cutSigned = (Math.min(cut, 4294967295) ^ 0x80000000) | 0; // compare unsigned values as signed ones
    let s0 = this.s0 | 0,
      s1 = this.s1 | 0,
      s2 = this.s2 | 0,
      s3 = this.s3 | 0;
    for (let i = 0; i < out.length; i++) {
      const x = Math.imul(s1, 5);
      const r = Math.imul((x << 7) | (x >>> 25), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = (s3 << 11) | (s3 >>> 21);
      out[i] = (r ^ 0x80000000) >= cutSigned ? kept : 0;
    }
    if (out.length === 0) return out;
    // Stored as nextUint32 leaves them, so getState() cannot tell the two paths apart.
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3 >>> 0;
    return out;
  }

  /** A 32-bit seed for a tfjs random op (dropout), drawn from this stream. */
  seed(): number {
    return this.nextUint32();
  }

  /** An independent generator derived from this one (advances this stream). */
  split(): Rng {
    return new Rng(this.nextUint32());
  }

  /** Snapshot of the state, so training can resume exactly. */
  getState(): [number, number, number, number] {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 4 || state.every((v) => v === 0)) throw new RangeError('bad Rng state');
    [this.s0, this.s1, this.s2, this.s3] = state.map((v) => v >>> 0);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
