/**
 * Results uses the student's own predictMasked once TODO 2 is solved, the
 * reference before that, and always says which. The reference runs in the
 * compute worker; the student's code only in the exercise sandbox, and its
 * answer is used only if it passes the same check as the exercise, against the
 * trusted reference's logits, on this very input. If it fails, Results falls
 * back to the reference and says why.
 */
import { MASK_ID } from '../../core/config.ts';
import { errorMessage } from '../../core/error-message.ts';
import type { MaskPrediction } from '../../core/predict.ts';
import { models } from '../models/index.ts';
import { exerciseModel, exerciseRunner } from './runner-instance.ts';
import { exerciseStore } from './store.ts';

export interface Predicted {
  readonly preds: MaskPrediction[];
  /** Whose predictMasked made them, in words. */
  readonly by: string;
  /** The model they came from. */
  readonly label: string;
}

export async function predictForLesson(x0: Int32Array, xt: Int32Array, t: number, k: number, signal?: AbortSignal): Promise<Predicted> {
  const reference = async (by: string): Promise<Predicted> => {
    const { result, label } = await models.run('predict', { xt, t, k }, { signal });
    return { preds: result, by, label };
  };
  const code = exerciseStore.get('todo-2').solvedCode;
  const model = models.current();
  if (code === null || !model) return reference('the reference predictMasked (solve TODO 2 and yours is used here)');
  const label = models.getSnapshot().label ?? '';
  const mask = Uint8Array.from(xt, (v) => (v === MASK_ID ? 1 : 0));
  let why: string;
  try {
    const report = await exerciseRunner.check('todo-2', code, [{ label: 'results', hidden: false, c: { x0, xt, mask, t, k } }], exerciseModel(model));
    signal?.throwIfAborted();
    // The check has validated the shape: one { position, top: [{ token, prob }] } per mask.
    if (report.passed) return { preds: report.outputs[0] as unknown as MaskPrediction[], by: 'your predictMasked from TODO 2', label };
    why = report.problem?.message ?? report.checks[0]?.message ?? 'it returned nothing';
  } catch (e) {
    if (signal?.aborted) throw e;
    why = errorMessage(e);
  }
  return reference(`the reference predictMasked (yours failed on this input: ${why})`);
}
