/**
 * The fast recipe's seeds, as the lesson quotes them (public/measured/fast-seeds.json),
 * are exactly the engine confirmations recorded by bench/recipe-confirm.ts: every run of
 * the shipped recipe, none left out, each scored at t = 0.8 itself.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readRepoJson, repoPath } from '../../src/build/repo-json.ts';
import { FAST } from '../../src/core/recipes.ts';

interface Confirmation {
  readonly name: string;
  readonly base: string;
  readonly changes: Record<string, unknown>;
  readonly seed: number;
  readonly steps: number;
  readonly eval: { readonly ratios?: readonly number[] };
  readonly gaps: readonly { readonly t: number; readonly gap: number }[];
  readonly worst: { readonly t: number; readonly gap: number };
  readonly onTarget: boolean;
}

describe('the fast recipe, seed by seed', () => {
  const record = readFileSync(repoPath('bench/recipe-search/results/engine-confirm.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Confirmation)
    .filter((r) => r.name === 'fast' && r.base === 'fast' && Object.keys(r.changes).length === 0);
  const quoted = readRepoJson('public/measured/fast-seeds.json') as { seeds: { seed: number; worstGapPoints: number; onTarget: boolean }[] };

  it('quotes every recorded run of the shipped recipe, and nothing else', () => {
    expect(record.length).toBeGreaterThanOrEqual(4);
    expect(quoted.seeds.map((s) => s.seed)).toEqual(record.map((r) => r.seed));
    for (const [i, r] of record.entries()) {
      expect(r.steps).toBe(FAST.steps);
      // Scored where the criterion is hardest: t = 0.8 itself, not only the eval grid below it.
      expect(r.gaps.map((g) => g.t)).toContain(0.8);
      expect(r.worst.gap).toBe(Math.min(...r.gaps.map((g) => g.gap)));
      expect(r.onTarget).toBe(r.worst.gap >= -2);
      expect(quoted.seeds[i]).toEqual({ seed: r.seed, worstGapPoints: 0 - r.worst.gap, onTarget: r.onTarget });
    }
  });
});
