/**
 * The reference solutions, apart from the exercises so that a class build
 * (VITE_SOLUTIONS=off npm run build) can leave every one of them out of the
 * bundle: the build resolves this file to an empty module then (see
 * src/build/class-build.ts). The page reaches it only through a lazy import.
 */
import type { ExerciseId } from './exercises.ts';

export const SOLUTIONS: Readonly<Record<ExerciseId, string>> | null = Object.freeze({
  'todo-1': `async function computeSingleLoss(model, x0, xt, mask, t) {
  const logits = model(xt, t); // [1, L, V]
  const V = logits.shape[2];
  const keep = tf.reshape(mask, [-1]); // [L]
  const maskedLogits = await tf.booleanMaskAsync(tf.reshape(logits, [-1, V]), keep); // [M, V]
  const maskedTargets = await tf.booleanMaskAsync(tf.reshape(x0, [-1]), keep); // [M]
  const logp = tf.logSoftmax(maskedLogits); // over the vocabulary
  const picked = tf.sum(tf.mul(logp, tf.oneHot(maskedTargets, V)), -1); // log p(x0_i | x_t), [M]
  const loss = tf.neg(tf.mean(picked));
  return { loss, nMasked: maskedTargets.shape[0] };
}
`,
  'todo-2': `async function predictMasked(model, xt, mask, t, k) {
  const logits = model(xt, t); // [1, L, V]
  const probs = tf.softmax(logits); // softmax over the last axis: the vocabulary
  const { values, indices } = tf.topk(probs, k); // each [1, L, k], sorted
  const [p, tok, isMasked] = await Promise.all([values.array(), indices.array(), mask.array()]);
  const predictions = [];
  for (let position = 0; position < isMasked[0].length; position++) {
    if (!isMasked[0][position]) continue;
    const top = tok[0][position].map((token, j) => ({ token, prob: p[0][position][j] }));
    predictions.push({ position, top });
  }
  return predictions;
}
`,
  'todo-3': `function revealStep(xt, probs, t, s, u, g) {
  // Masked at t means its uniform is below t; still masked at s means below s too: probability s / t.
  const reveal = (t - s) / t;
  return xt.map((token, i) => {
    if (token !== MASK_ID) return token; // a revealed token is never masked again
    if (u[i] >= reveal) return MASK_ID; // stays hidden for now
    let total = 0;
    for (let v = 0; v < probs[i].length; v++) {
      total += probs[i][v];
      if (g[i] < total) return v; // the first token whose running total exceeds g[i]
    }
    return probs[i].findLastIndex((p) => p > 0); // rounding at the top: the last token with any probability
  });
}
`,
});
