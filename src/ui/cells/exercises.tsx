/**
 * Section 9: the two TODOs. Until the exercise editor lands, each cell runs the
 * reference solution on this seed and shows what a correct answer prints, so a
 * learner working in their own copy can check against it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DEFAULT_DATA, MASK_ID } from '../../core/config.ts';
import { generatePatterns } from '../../core/data.ts';
import { maskArrays } from '../../core/masking.ts';
import { predictMasked, type MaskPrediction } from '../../core/predict.ts';
import { models } from '../engine.ts';
import { TokenRow } from '../figures/Tokens.tsx';
import { cell, rngFor } from './types.ts';

const L = DEFAULT_DATA.seqLen;

/** TODO 1's reference: mean cross-entropy over the masked positions of one sequence, and how many there were. */
async function singleLoss(seed: number): Promise<{ loss: number; masked: number; xt: Int32Array }> {
  const model = models.current();
  if (!model) throw new Error('no trained model is loaded');
  const rng = rngFor(seed, 'todo-1');
  const { x0 } = generatePatterns(rng, 1);
  const { xt, mask, maskedCount } = maskArrays(x0, [0.5], rng);
  const lossT = tf.tidy(() => {
    const logits = model.forward(tf.tensor2d(xt, [1, L], 'int32'), tf.tensor2d([[0.5]])); // [1, L, V]
    const logp = tf.logSoftmax(tf.reshape(logits, [L, model.config.vocabSize]));
    const picked = tf.sum(tf.mul(logp, tf.oneHot(tf.tensor1d(x0, 'int32'), model.config.vocabSize)), 1); // log p(x0_i | x_t), [L]
    return tf.div(tf.neg(tf.sum(tf.mul(picked, tf.tensor1d(mask, 'float32')))), Math.max(1, maskedCount));
  });
  try {
    return { loss: (await lossT.data())[0], masked: maskedCount, xt };
  } finally {
    lossT.dispose();
  }
}

export const cells = {
  'todo-1': cell<{ loss: number; masked: number; xt: Int32Array }>({
    title: 'TODO 1, reference run: the loss of one sequence',
    needsModel: true,
    run: ({ seed }) => singleLoss(seed),
    View: ({ out }) => (
      <div>
        <TokenRow tokens={out.xt} label="The test sequence masked at t = 0.5" />
        <p className="output-text" data-testid="todo1-reference">
          Loss = {out.loss.toFixed(4)}, masked {out.masked}/{L} tokens
        </p>
        <p className="hint">A correct solution prints the same numbers for this seed and model.</p>
      </div>
    ),
  }),

  'todo-2': cell<{ xt: Int32Array; x0: Int32Array; preds: MaskPrediction[] }>({
    title: 'TODO 2, reference run: top-3 predictions',
    source: () => import('../../core/predict.ts?raw'),
    needsModel: true,
    async run({ seed }) {
      const model = models.current();
      if (!model) throw new Error('no trained model is loaded');
      const rng = rngFor(seed, 'todo-2');
      const { x0 } = generatePatterns(rng, 1);
      const { xt } = maskArrays(x0, [0.5], rng);
      return { xt, x0, preds: await predictMasked(model, xt, 0.5, 3) };
    },
    View: ({ out }) => (
      <div>
        <TokenRow tokens={out.xt} label="The test sequence masked at t = 0.5" />
        <p className="output-text">
          {out.preds
            .slice(0, 5)
            .map((p) => {
              const truth = out.x0[p.position];
              const ok = p.top[0].token === truth;
              return `Pos ${String(p.position).padStart(2)}: true=${String(truth).padStart(2)} | preds: ${p.top.map((g) => `tok ${g.token}(${g.prob.toFixed(2)})`).join(', ')} ${ok ? '✓ right' : '✗ wrong'}`;
            })
            .join('\n')}
        </p>
        <p className="hint">
          {out.preds.length} masked positions ({MASK_ID} is [MASK]); the first five are shown, as in the notebook.
        </p>
      </div>
    ),
  }),
};
