/**
 * Results uses the student's own predictMasked once TODO 2 is solved, the
 * reference before that, and always says which. If the student's code fails on
 * a new input, Results falls back to the reference and says why.
 */
import { MASK_ID } from '../../core/config.ts';
import type { DiffusionLM } from '../../core/model.ts';
import { predictMasked, type MaskPrediction } from '../../core/predict.ts';
import { checkPredictions } from '../../exercises/checks.ts';
import { models } from '../engine.ts';
import { exerciseRunner } from './runner-instance.ts';
import { exerciseStore } from './store.ts';

export interface Predicted {
  readonly preds: MaskPrediction[];
  /** Whose predictMasked made them, in words. */
  readonly by: string;
}

export async function predictForLesson(model: DiffusionLM, x0: Int32Array, xt: Int32Array, t: number, k: number): Promise<Predicted> {
  const code = exerciseStore.get('todo-2').solvedCode;
  if (code === null) return { preds: await predictMasked(model, xt, t, k), by: 'the reference predictMasked (solve TODO 2 and yours is used here)' };
  const mask = Uint8Array.from(xt, (v) => (v === MASK_ID ? 1 : 0));
  let why: string;
  try {
    const { problem, outcomes } = await exerciseRunner.run('todo-2', code, [{ x0, xt, mask, t, k }], {
      version: models.getSnapshot().version,
      weights: () => model.stateDict(),
    });
    const o = outcomes[0];
    const p = problem ?? o?.problem;
    if (!p && o) {
      // Trust, but verify: the same checks as the exercise, on this input.
      const verdict = checkPredictions({ label: 'results', hidden: false, x0, mask, t, k, logits: o.logits, V: model.config.vocabSize }, o.output);
      if (verdict.passed) return { preds: o.output as MaskPrediction[], by: 'your predictMasked from TODO 2' };
      why = verdict.message;
    } else why = p?.message ?? 'it returned nothing';
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  return { preds: await predictMasked(model, xt, t, k), by: `the reference predictMasked (yours failed on this input: ${why})` };
}
