/**
 * The first screen's unmasking demo, computed from a checkpoint with the engine's own
 * sampler: shared by the script that writes it (bench/unmasking-demo.ts) and the test
 * that checks the shipped JSON against the checkpoint (tests/unit/unmasking-demo.test.ts).
 */
import { DEFAULT_DATA, DEFAULT_MODEL, MASK_ID } from '../../src/core/config.ts';
import { DiffusionLM } from '../../src/core/model.ts';
import { Rng } from '../../src/core/rng.ts';
import { sample } from '../../src/core/sampling.ts';
import { loadWeights } from '../../src/core/checkpoint.ts';
import type { UnmaskingDemo } from '../../src/ui/notebook/unmasking-demo.ts';

export const DEMO_SETTINGS = Object.freeze({
  checkpoint: 'curriculum-6500.safetensors',
  sampler: 'ancestral',
  steps: 32,
  temperature: 0.5,
  seed: 1,
  batch: 8,
  keep: 3,
} as const);

export async function buildUnmaskingDemo(weights: Uint8Array): Promise<UnmaskingDemo> {
  const s = DEMO_SETTINGS;
  const model = new DiffusionLM(DEFAULT_MODEL, new Rng(0));
  try {
    const meta = loadWeights(model, weights);
    const L = DEFAULT_DATA.seqLen;
    const ignoreTime = meta.ignore_time === 'true';
    const run = await sample(model, new Rng(s.seed), {
      sampler: s.sampler,
      steps: s.steps,
      temperature: s.temperature,
      batch: s.batch,
      seqLen: L,
      ignoreTime,
    });
    const sequences = Array.from({ length: s.keep }, (_, b) => {
      const revealedAt = new Array<number>(L).fill(0);
      for (const step of run.trajectory) {
        for (let i = 0; i < L; i++) if (revealedAt[i] === 0 && step.tokens[b * L + i] !== MASK_ID) revealedAt[i] = step.step;
      }
      return { tokens: Array.from(run.tokens.subarray(b * L, (b + 1) * L)), revealedAt };
    });
    return { checkpoint: s.checkpoint, sampler: s.sampler, steps: s.steps, temperature: s.temperature, seed: s.seed, batch: s.batch, sequences };
  } finally {
    model.dispose();
  }
}
