/**
 * Results uses the student's own predictMasked once TODO 2 is solved, the
 * reference before that, and always says which. The student's code runs only
 * in the exercise sandbox, and its answer is used only if it passes the same
 * check as the exercise, against the trusted reference's logits, on this very
 * input. If it fails, Results falls back to the reference and says why.
 */
import { MASK_ID } from '../../core/config.ts';
import type { DiffusionLM } from '../../core/model.ts';
import { predictMasked, type MaskPrediction } from '../../core/predict.ts';
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
    const report = await exerciseRunner.check('todo-2', code, [{ label: 'results', hidden: false, c: { x0, xt, mask, t, k } }], {
      version: models.getSnapshot().version,
      vocabSize: model.config.vocabSize,
      weights: () => model.stateDict(),
    });
    // The check has validated the shape: one { position, top: [{ token, prob }] } per mask.
    if (report.passed) return { preds: report.outputs[0] as unknown as MaskPrediction[], by: 'your predictMasked from TODO 2' };
    why = report.problem?.message ?? report.checks[0]?.message ?? 'it returned nothing';
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  return { preds: await predictMasked(model, xt, t, k), by: `the reference predictMasked (yours failed on this input: ${why})` };
}
