/**
 * The lesson's TODOs as data: what the student writes and a ladder of hints
 * (the concept, then the API, then a near-solution). The reference solutions
 * live apart, in solutions.ts, so that a class build can leave them out. Code
 * is plain JavaScript run in the exercise sandbox; API_DOC lists the names it
 * can use.
 */

export type ExerciseId = 'todo-1' | 'todo-2' | 'todo-3';

export const EXERCISE_IDS: readonly ExerciseId[] = Object.freeze(['todo-1', 'todo-2', 'todo-3']);

export interface Exercise {
  readonly id: ExerciseId;
  readonly title: string;
  /** The function the student's code must define. */
  readonly fnName: 'computeSingleLoss' | 'predictMasked' | 'revealStep';
  readonly starter: string;
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

const TODO_3_STARTER = `/**
 * One step of generation: from masking ratio t down to s (0 <= s < t <= 1),
 * the forward process run backwards.
 *   xt:    32 token ids, MASK_ID where the token is still hidden
 *   probs: 32 rows of 16 probabilities: the model's guess for the token at
 *          each position ([MASK] itself has probability 0)
 *   t, s:  the masking ratio before and after this step
 *   u:     32 uniform numbers in [0, 1), one per position: to decide which blanks open
 *   g:     32 uniform numbers in [0, 1), one per position: to draw what they become
 * Return xs: the 32 token ids at ratio s.
 */
function revealStep(xt, probs, t, s, u, g) {
  const reveal = TODO('the probability that a token masked at t is visible at s');
  const xs = [];
  for (let i = 0; i < xt.length; i++) {
    if (xt[i] !== MASK_ID) {
      xs.push(TODO('what becomes of a token that is already visible'));
    } else if (u[i] < reveal) {
      xs.push(TODO('a token drawn from probs[i] with g[i]'));
    } else {
      xs.push(MASK_ID);
    }
  }
  return xs;
}
`;

export const EXERCISES: Readonly<Record<ExerciseId, Exercise>> = Object.freeze({
  'todo-1': {
    id: 'todo-1',
    title: 'TODO 1: the loss of one sequence',
    fnName: 'computeSingleLoss',
    starter: TODO_1_STARTER,
    hints: [
      'The model only gets graded where it had to guess: the masked positions. Everywhere else the answer was visible in x_t. So: logits at the masked positions, the true tokens there, then the average of −log p(true token).',
      "model(xt, t) gives logits [1, L, V]. Flatten to [L, V] with tf.reshape, pick rows with await tf.booleanMaskAsync(rows, tf.reshape(mask, [-1])), and get log-probabilities with tf.logSoftmax. tf.oneHot(targets, V) times the log-probabilities, summed over the last axis, picks each true token's log-probability.",
      'const logp = tf.logSoftmax(maskedLogits);\nconst picked = tf.sum(tf.mul(logp, tf.oneHot(maskedTargets, V)), -1);\nconst loss = tf.neg(tf.mean(picked)); // mean, not sum',
    ],
  },
  'todo-2': {
    id: 'todo-2',
    title: 'TODO 2: predict the masked tokens',
    fnName: 'predictMasked',
    starter: TODO_2_STARTER,
    hints: [
      'At each masked position the model gives one score per vocabulary entry. Softmax turns those V scores into probabilities that sum to 1; the k largest are the guesses, largest first.',
      'tf.softmax(logits) works over the last axis, which is the vocabulary. tf.topk(probs, k) returns { values, indices }, each [1, L, k], already sorted from most to least probable. await tensor.array() turns a tensor into nested JavaScript arrays.',
      'const { values, indices } = tf.topk(tf.softmax(logits), k);\nconst [p, tok] = await Promise.all([values.array(), indices.array()]);\n// then at each masked position: tok[0][position][j] with probability p[0][position][j]',
    ],
  },
  'todo-3': {
    id: 'todo-3',
    title: 'TODO 3: one step of generation',
    fnName: 'revealStep',
    starter: TODO_3_STARTER,
    hints: [
      'Give every token its own uniform number, as the forward process does: a token is masked at ratio t when its number is below t. Masked at t tells you the number is somewhere in [0, t); it is still masked at s < t only if it is also below s, which happens with probability s / t. So a masked token is revealed with probability (t − s) / t, and a token that is already visible stays exactly as it is: nothing is ever masked again.',
      'For a uniform u[i], the test u[i] < p comes out true with probability p. To draw a token from a row of probabilities with one uniform g[i], add up the probabilities token by token and stop at the first token whose running total is larger than g[i] (the inverse of the cumulative distribution). probs[i][MASK_ID] is 0, so [MASK] is never drawn.',
      'const reveal = (t - s) / t;\n// at a masked position i with u[i] < reveal:\nlet total = 0;\nfor (let v = 0; v < probs[i].length; v++) {\n  total += probs[i][v];\n  if (g[i] < total) { xs.push(v); break; }\n}',
    ],
  },
});

const TENSOR_API: readonly [string, string][] = [
  ['tf', 'TensorFlow.js ops: tf.reshape, tf.softmax, tf.logSoftmax, tf.oneHot, tf.topk, tf.booleanMaskAsync, tf.sum, tf.mean, tf.mul, tf.neg, …'],
  ['model(xt, t)', 'the current trained model in eval mode: int32 [B, L] and float32 [B, 1] in, logits [B, L, V] out'],
  ['maskTokens(x0, t, seed)', 'the forward process: { xt, mask } for an int32 [B, L] x0 and ratios t'],
  ['config', 'vocabSize 16, seqLen 32, dModel 64, …'],
  ['MASK_ID', '0, the [MASK] token'],
  ['TODO(what)', 'a blank still to fill: throws a reminder when reached'],
];

/** What the code can use, shown beside the editor. */
export const API_DOC: Readonly<Record<ExerciseId, readonly [string, string][]>> = Object.freeze({
  'todo-1': TENSOR_API,
  'todo-2': TENSOR_API,
  'todo-3': [
    ['plain JavaScript', 'arrays, loops, Math: xt, probs, u and g are ordinary arrays of numbers, and xs is one too'],
    ['MASK_ID', '0, the [MASK] token'],
    ['config', 'vocabSize 16, seqLen 32, …'],
    ['TODO(what)', 'a blank still to fill: throws a reminder when reached'],
  ],
});
