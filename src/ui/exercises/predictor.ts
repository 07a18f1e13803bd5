/**
 * Results uses the student's own predictMasked once TODO 2 is solved, the
 * reference before that, and always says which. If the student's code fails on
 * a new input, Results falls back to the reference and says why. The model's
 * own computations run in the compute worker; the student's code in the
 * exercise runner; the verdict here, on the trusted side.
 */
import { DEFAULT_MODEL, MASK_ID } from '../../core/config.ts';
import { errorMessage } from '../../core/error-message.ts';
import type { MaskPrediction } from '../../core/predict.ts';
import { checkPredictions } from '../../exercises/checks.ts';
import { copyWeights, models } from '../models/index.ts';
import { exerciseRunner } from './runner-instance.ts';
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
  const mask = Uint8Array.from(xt, (v) => (v === MASK_ID ? 1 : 0));
  let why: string;
  try {
    const [{ problem, outcomes }, { result: logits, label }] = await Promise.all([
      exerciseRunner.run('todo-2', code, [{ x0, xt, mask, t, k }], { version: model.version, weights: async () => copyWeights(model.weights) }),
      models.run('logits', { xt, t }, { signal }),
    ]);
    const o = outcomes[0];
    const p = problem ?? o?.problem;
    if (!p && o) {
      // Trust, but verify: the same checks as the exercise, on this input, against the model's own logits.
      const verdict = checkPredictions({ label: 'results', hidden: false, x0, mask, t, k, logits, V: DEFAULT_MODEL.vocabSize }, o.output);
      if (verdict.passed) return { preds: o.output as MaskPrediction[], by: 'your predictMasked from TODO 2', label };
      why = verdict.message;
    } else why = p?.message ?? 'it returned nothing';
  } catch (e) {
    if (signal?.aborted) throw e;
    why = errorMessage(e);
  }
  return reference(`the reference predictMasked (yours failed on this input: ${why})`);
}
