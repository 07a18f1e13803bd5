/**
 * The lesson's two TODOs as data: what the student writes, the reference
 * solution, and a ladder of hints (the concept, then the API, then a
 * near-solution). Code is plain JavaScript run in a worker; see runner.worker.ts
 * for the names it can use.
 */

export type ExerciseId = 'todo-1' | 'todo-2';

export interface Exercise {
  readonly id: ExerciseId;
  readonly title: string;
  /** The function the student's code must define. */
  readonly fnName: 'computeSingleLoss' | 'predictMasked';
  readonly starter: string;
  readonly solution: string;
  readonly hints: readonly [string, string, string];
}

const TODO_1_STARTER = `/**
 * The masked-diffusion loss of one sequence.
 *   x0:   int32 [1, L]  the clean tokens
 *   xt:   int32 [1, L]  x0 with the masked positions set to MASK_ID
 *   mask: bool  [1, L]  true where a token was masked
 *   t:    float32 [1, 1] the masking ratio
 * Return { loss, nMasked }: the mean cross-entropy over the masked
 * positions (a scalar tensor or a number) and how many there are.
 */
async function computeSingleLoss(model, x0, xt, mask, t) {
  // Step 1: the model's logits, [1, L, V]
  const logits = TODO('run the model on xt and t');

  // Step 2: the logits and the true tokens at the masked positions only
  const maskedLogits = TODO('logits where mask is true, [M, V]');
  const maskedTargets = TODO('x0 where mask is true, [M]');

  // Step 3: cross-entropy averaged over the masked positions
  const loss = TODO('mean of -log softmax(maskedLogits)[target]');

  return { loss, nMasked: maskedTargets.shape[0] };
}
`;

const TODO_1_SOLUTION = `async function computeSingleLoss(model, x0, xt, mask, t) {
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
`;

const TODO_2_STARTER = `/**
 * The model's top-k guesses at each masked position.
 *   xt:   int32 [1, L]  the masked sequence
 *   mask: bool  [1, L]  true where a token was masked
 *   t:    float32 [1, 1] the masking ratio
 *   k:    how many guesses per position
 * Return one entry per masked position, in order:
 *   { position, top: [{ token, prob }, ...k of them, most probable first] }
 */
async function predictMasked(model, xt, mask, t, k) {
  // Step 1: the model's logits, [1, L, V]
  const logits = TODO('run the model');

  // Step 2: probabilities over the vocabulary
  const probs = TODO('softmax over the right axis');

  // Step 3: the k most probable tokens at each masked position
  const isMasked = (await mask.array())[0]; // L booleans
  const predictions = [];
  for (let position = 0; position < isMasked.length; position++) {
    if (!isMasked[position]) continue;
    const top = TODO('k { token, prob } pairs for this position, most probable first');
    predictions.push({ position, top });
  }
  return predictions;
}
`;

const TODO_2_SOLUTION = `async function predictMasked(model, xt, mask, t, k) {
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
`;

export const EXERCISES: Readonly<Record<ExerciseId, Exercise>> = Object.freeze({
  'todo-1': {
    id: 'todo-1',
    title: 'TODO 1: the loss of one sequence',
    fnName: 'computeSingleLoss',
    starter: TODO_1_STARTER,
    solution: TODO_1_SOLUTION,
    hints: [
      'The model only gets graded where it had to guess: the masked positions. Everywhere else the answer was visible in x_t. So: logits at the masked positions, the true tokens there, then the average of −log p(true token).',
      'model(xt, t) gives logits [1, L, V]. Flatten to [L, V] with tf.reshape, pick rows with await tf.booleanMaskAsync(rows, tf.reshape(mask, [-1])), and get log-probabilities with tf.logSoftmax. tf.oneHot(targets, V) times the log-probabilities, summed over the last axis, picks each true token\'s log-probability.',
      'const logp = tf.logSoftmax(maskedLogits);\nconst picked = tf.sum(tf.mul(logp, tf.oneHot(maskedTargets, V)), -1);\nconst loss = tf.neg(tf.mean(picked)); // mean, not sum',
    ],
  },
  'todo-2': {
    id: 'todo-2',
    title: 'TODO 2: predict the masked tokens',
    fnName: 'predictMasked',
    starter: TODO_2_STARTER,
    solution: TODO_2_SOLUTION,
    hints: [
      'At each masked position the model gives one score per vocabulary entry. Softmax turns those V scores into probabilities that sum to 1; the k largest are the guesses, largest first.',
      'tf.softmax(logits) works over the last axis, which is the vocabulary. tf.topk(probs, k) returns { values, indices }, each [1, L, k], already sorted from most to least probable. await tensor.array() turns a tensor into nested JavaScript arrays.',
      'const { values, indices } = tf.topk(tf.softmax(logits), k);\nconst [p, tok] = await Promise.all([values.array(), indices.array()]);\n// then at each masked position: tok[0][position][j] with probability p[0][position][j]',
    ],
  },
});

/** What the code can use, shown beside the editor. */
export const API_DOC: readonly [string, string][] = [
  ['tf', 'TensorFlow.js ops: tf.reshape, tf.softmax, tf.logSoftmax, tf.oneHot, tf.topk, tf.booleanMaskAsync, tf.sum, tf.mean, tf.mul, tf.neg, …'],
  ['model(xt, t)', 'the current trained model in eval mode: int32 [B, L] and float32 [B, 1] in, logits [B, L, V] out'],
  ['maskTokens(x0, t, seed)', 'the forward process: { xt, mask } for an int32 [B, L] x0 and ratios t'],
  ['config', 'vocabSize 16, seqLen 32, dModel 64, …'],
  ['MASK_ID', '0, the [MASK] token'],
  ['TODO(what)', 'a blank still to fill: throws a reminder when reached'],
];
