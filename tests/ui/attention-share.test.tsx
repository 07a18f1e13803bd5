/** The attention explorer's summary: how much of a blank's attention lands on visible tokens at the same place in the pattern. */
import { describe, expect, it } from 'vitest';
import { samePhaseShare } from '../../src/ui/cells/beyond/attention.tsx';

const L = 6;
// Period 3 with blanks at positions 2 and 3: 4 9 _ _ 9 2.
const tokens = [4, 9, 0, 0, 9, 2];

function even(causal: boolean): Float32Array {
  const w = new Float32Array(L * L);
  for (let q = 0; q < L; q++) {
    const seen = causal ? q + 1 : L;
    for (let k = 0; k < seen; k++) w[q * L + k] = 1 / seen;
  }
  return w;
}

describe('samePhaseShare', () => {
  it('equals the even share when attention is even, counting only visible same-place keys a blank can see', () => {
    // Blank 2 sees the visible same-place key 5; blank 3 sees 0. Bidirectional: (1/6 + 1/6) / 2.
    expect(samePhaseShare(even(false), tokens, 3, false).share).toBeCloseTo(1 / 6, 6);
    expect(samePhaseShare(even(false), tokens, 3, false).uniform).toBeCloseTo(1 / 6, 6);
    // Causal: blank 2 sees keys 0..2 (none at its place), blank 3 sees 0..3 (key 0): (0 + 1/4) / 2.
    const causal = samePhaseShare(even(true), tokens, 3, true);
    expect(causal.uniform).toBeCloseTo(1 / 8, 6);
    expect(causal.share).toBeCloseTo(1 / 8, 6);
  });

  it('is 1 when every blank looks only at its same-place tokens, and 0 with no blanks', () => {
    const w = new Float32Array(L * L);
    w[2 * L + 5] = 1;
    w[3 * L + 0] = 1;
    expect(samePhaseShare(w, tokens, 3, false).share).toBe(1);
    expect(samePhaseShare(w, [4, 9, 2, 4, 9, 2], 3, false)).toEqual({ share: 0, uniform: 0 });
  });
});
