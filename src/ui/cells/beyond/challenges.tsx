/**
 * The notebook's optional challenges as runnable experiments: the time input
 * (learned, sinusoidal, none), the loss broken down by masking ratio, and the
 * ELBO against the notebook's objective. The "beyond" section spreads these
 * into its cells.
 */
import { models } from '../../models/index.ts';
import { cell, type CellContext } from '../types.ts';
import { ElboView, loadNotebookEvaluation, LossByRatioView, ObjectiveTraining, type ObjectiveOut } from './objective.tsx';
import { loadTimeInputCurves, TimeInputView, type TimeInputOut } from './time-input.tsx';

async function objectiveOut({ seed, signal, progress }: CellContext): Promise<ObjectiveOut> {
  const [{ result: curve, label }, notebook] = await Promise.all([
    models.run('lossCurve', { seed }, { signal, onProgress: progress }),
    loadNotebookEvaluation(),
  ]);
  return { curve, label, notebook, seed };
}

export const challengeCells = {
  'time-input': cell<TimeInputOut>({
    title: 'Challenge: does the model need to be told t?',
    source: () => import('../../../core/model.ts?raw'),
    run: ({ seed }) => loadTimeInputCurves(seed),
    View: TimeInputView,
  }),
  'loss-by-ratio': cell<ObjectiveOut>({
    title: 'Challenge: the loss, ratio by ratio',
    source: () => import('../../../core/metrics.ts?raw'),
    needsModel: true,
    run: objectiveOut,
    View: LossByRatioView,
  }),
  elbo: cell<ObjectiveOut>({
    title: "The ELBO against the notebook's objective",
    source: () => import('../../../core/objective.ts?raw'),
    needsModel: true,
    run: objectiveOut,
    View: ({ out }) => (
      <>
        <ElboView out={out} />
        <ObjectiveTraining seed={out.seed} />
      </>
    ),
  }),
};
