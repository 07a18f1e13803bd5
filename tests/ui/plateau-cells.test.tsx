/** Section 8's puzzle cells and section 11's reverse step: what they compute from their data, and what a learner reads. */
import { fireEvent, render, screen } from '@testing-library/react';
import type { ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { RecipeCurves, StallAblation } from '../../src/lesson/measured-types.ts';
import { describeAblation, describeRecipeCurves, escapeStep } from '../../src/ui/cells/plateau.tsx';
import { reverseStepCells } from '../../src/ui/cells/beyond/reverse-step.tsx';
import { revealConflict, type RevealConflict } from '../../src/compute/reveal-conflict.ts';
import type { CellContext } from '../../src/ui/cells/types.ts';

const checkT = [0.1, 0.3, 0.5, 0.7, 0.9];
const run = (recipe: string, atT01: number[]) => ({
  recipe,
  steps: 100 * (atT01.length - 1),
  seconds: 1,
  batchSize: 64,
  losses: Array.from({ length: 100 * (atT01.length - 1) }, (_, i) => 2.8 - i / 1000),
  checkups: atT01.map((a, k) => ({ step: 100 * k, accuracy: [a, 0.4, 0.4, 0.4, 0.4] })),
  shipped: `${recipe}.safetensors`,
  maxDifferenceFromShipped: 0,
});

describe('the precomputed recipe runs', () => {
  const data: RecipeCurves = {
    command: 'x',
    seed: 42,
    backend: 'wasm',
    checkT,
    checkupSeqs: 64,
    checkupEvery: 100,
    recipes: [run('notebook', [0.05, 0.4, 0.41, 0.39]), run('learns', [0.05, 0.4, 0.6, 0.95])],
  };

  it('finds the first check-up off the plateau (90% at t = 0.1), or none', () => {
    expect(escapeStep(data.recipes[0], checkT)).toBeNull();
    expect(escapeStep(data.recipes[1], checkT)).toBe(300);
  });

  it('says so in words', () => {
    const [notebook, learns] = describeRecipeCurves(data);
    expect(notebook).toMatch(/^notebook: loss 2\.80 over the first 10 steps, .*never off the plateau in 300 steps \(39% at t = 0\.1 at the end\)\.$/);
    expect(learns).toMatch(/off the plateau by step 300/);
  });
});

describe('the ablation summary', () => {
  const variant = (name: string, escapes: (number | null)[]) => ({
    name,
    lastStep: 500,
    escaped: escapes.filter((x) => x !== null).length,
    meanFinalAccuracy: { '0.5': 0.4, '0.7': 0.35 },
    seeds: escapes.map((e, seed) => ({ seed, escapeStep: e, checkpoints: [{ step: 500, accuracy: { '0.1': e === null ? 0.4 : 0.95 } }] })),
  });
  const data = (done: boolean): StallAblation => ({
    command: 'x',
    escape: { t: 0.1, accuracy: 0.9 },
    groups: [
      {
        group: 'add-one',
        steps: 3000,
        evalEvery: 250,
        evalSeqsPerRatio: 500,
        done,
        bayesOnSet: { '0.1': 1 },
        variants: [variant('notebook', [null, null]), variant('notebook + embedding std 0.03', [500, null])],
      },
    ],
  });

  it('names what left the plateau, on how many seeds and when, and what did not', () => {
    expect(describeAblation(data(true))).toEqual([
      "The notebook's recipe with one change, 3000 steps: off the plateau: notebook + embedding std 0.03 (1 of 2 seeds, step 500). Still on it: notebook.",
    ]);
  });

  it('says when the runs were still going, and how far they got', () => {
    expect(describeAblation(data(false))[0]).toMatch(/first 500 of 3000 steps \(still running\)/);
    const fresh = data(false);
    const started = { ...fresh, groups: [{ ...fresh.groups[0], variants: fresh.groups[0].variants.map((v) => ({ ...v, lastStep: 0 })) }] };
    expect(describeAblation(started)).toEqual([
      "The notebook's recipe with one change: started, no check-up yet (the first is at step 250 of 3000).",
    ]);
  });
});

describe('one reverse step', () => {
  const ctx: CellContext = { seed: 42, signal: new AbortController().signal, progress: () => undefined };
  type Out = { seed: number; u: number[]; odds: RevealConflict };
  const def = reverseStepCells['reverse-step'] as unknown as {
    run: (c: CellContext) => Promise<Out>;
    View: (p: { out: Out; ctx: CellContext }) => ReactElement;
  };

  it('opens the masked words whose u lies in [s, t), and states (t - s)/t', () => {
    const out = { seed: 42, u: [0.05, 0.15, 0.35, 0.5, 0.65, 0.9], odds: revealConflict() };
    render(<def.View out={out} ctx={ctx} />);
    // Defaults t = 0.7, s = 0.4: five words masked at t (u < 0.7); 0.5 and 0.65 open; (0.7 - 0.4)/0.7 = 0.43.
    expect(screen.getByTestId('reverse-step-summary').textContent).toMatch(/5 of 6 words are masked.*: 2 of 5 here\..*\(t − s\)\/t = 0\.43/);
  });

  it('draws two tokens at once and reports conflicts, against the exact 23% the compute job sends', async () => {
    const out = await def.run(ctx);
    expect(out.odds).toEqual(revealConflict());
    render(<def.View out={out} ctx={ctx} />);
    expect(screen.getByText(/Exactly, drawn together: a conflict 23% of the time/)).toBeTruthy();
    const button = screen.getByRole('button', { name: 'Reveal both at once' });
    fireEvent.click(button);
    expect(screen.getByTestId('reverse-step-conflict').textContent).toMatch(/ (0 conflicts|1 conflict) in 1 draw\.$/);
    for (let i = 1; i < 30; i++) fireEvent.click(button);
    const said = screen.getByTestId('reverse-step-conflict').textContent!;
    const [, conflicts, draws] = said.match(/(\d+) conflicts? in (\d+) draws?\./)!.map(Number);
    expect(draws).toBe(30);
    expect(conflicts).toBeGreaterThan(0); // 30 draws at 7/30: none at all has probability 0.0003
    expect(conflicts).toBeLessThan(20);
  });
});
