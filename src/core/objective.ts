/**
 * The training objective: cross-entropy at masked positions, weighted.
 *
 * - 'masked-mean' is the notebook's loss: the mean over every masked token of
 *   the batch. Simple, but it is not the ELBO: it gives a heavily masked
 *   sequence as much say per token as a lightly masked one.
 * - 'elbo' is the continuous-time bound for the linear schedule,
 *   E_t [ (1/t) * sum over masked i of -log p(x0_i | x_t) ], per token.
 *
 * Both become per-position weights computed here in plain JS, so the tensor
 * side is one weighted sum whatever the weighting.
 */
export type LossWeighting = 'masked-mean' | 'elbo';

export interface WeightInputs {
  readonly mask: Uint8Array; // [B*L], 1 = masked
  readonly t: Float32Array; //  [B]
  readonly maskedCount: number;
}

export function lossWeights(kind: LossWeighting, { mask, t, maskedCount }: WeightInputs): Float32Array {
  const batch = t.length;
  const seqLen = mask.length / batch;
  const w = new Float32Array(mask.length);
  if (maskedCount === 0) return w;
  for (let b = 0; b < batch; b++) {
    const scale = kind === 'masked-mean' ? 1 / maskedCount : 1 / (t[b] * batch * seqLen);
    for (let i = b * seqLen; i < (b + 1) * seqLen; i++) if (mask[i]) w[i] = scale;
  }
  return w;
}
