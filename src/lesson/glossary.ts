/**
 * The lesson's glossary: every term the prose leans on, a short definition,
 * and the section that explains it. Plain data, so it works offline and a
 * test can check each entry against the prose (tests/ui/glossary.test.tsx):
 * the section must exist and must really use the term, one of its aliases,
 * or the `proseSays` phrase.
 */

export interface GlossaryEntry {
  /** The name shown and searched. */
  readonly term: string;
  /** Other names for the same thing, searched too (e.g. "LayerNorm" for layer norm). */
  readonly aliases?: readonly string[];
  /** Where the section explains the idea without naming it, the words it uses instead. Not searched. */
  readonly proseSays?: string;
  /** A section id from src/lesson/sections.ts. */
  readonly section: string;
  /** One to three plain sentences. */
  readonly definition: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = Object.freeze([
  // What masked diffusion is
  {
    term: 'Diffusion model',
    proseSays: 'image diffusion',
    section: 'why',
    definition:
      'A generative model that learns to undo a gradual corruption. Training shows it corrupted examples and asks for the clean ones; generating runs the corruption backwards, starting from pure noise.',
  },
  {
    term: 'Masked diffusion language model',
    aliases: ['diffusion language model', 'masked diffusion'],
    section: 'why',
    definition:
      'A diffusion model for text whose corruption hides tokens behind [MASK] instead of adding numeric noise. Its denoiser fills in the hidden tokens at any amount of masking.',
  },
  {
    term: 'Gaussian noise',
    section: 'why',
    definition:
      'Random numbers from a bell curve, added to continuous values such as pixel brightness. It makes no sense for token ids, which are labels rather than amounts.',
  },
  {
    term: '[MASK]',
    aliases: ['mask token', 'MASK_ID', '[M]'],
    section: 'why',
    definition:
      'The special token that replaces a hidden token. In this lesson it is id 0, so real tokens run from 1 to 15 and a clean sequence never contains it.',
  },
  {
    term: 'Absorbing state',
    proseSays: 'only ever adds masks',
    section: 'intuition',
    definition:
      'What the literature calls [MASK] in this kind of diffusion: once a token is masked, more corruption never brings it back. The lesson shows this without the name: raising t only adds masks.',
  },
  {
    term: 'Forward process',
    aliases: ['q(x_t | x_0)', 'corruption process'],
    section: 'math',
    definition:
      'The corruption: each token of the clean sequence x₀ is replaced by [MASK] with probability t, independently of the others. It has no parameters to learn.',
  },
  {
    term: 'Reverse process',
    aliases: ['generation', 'unmasking'],
    section: 'beyond',
    definition:
      'Generation: start from a fully masked sequence and reveal it a few tokens at a time, each drawn from the denoiser, until nothing is hidden. Section 11 runs it.',
  },
  {
    term: 'Ancestral sampler',
    aliases: ['ancestral sampling', 'ancestral'],
    section: 'beyond',
    definition:
      'Generation that follows the forward process backwards in time: going from t to an earlier s, each blank is revealed with probability (t − s)/t, which is exact, and its token is drawn from the model. Tokens revealed in the same step are drawn without seeing each other, so even a perfect model makes invalid samples when a step reveals many.',
  },
  {
    term: 'Confidence-based decoding',
    aliases: ['low-confidence remasking', 'surest first', 'MaskGIT', 'LLaDA'],
    section: 'beyond',
    definition:
      'Generation that proposes a token for every blank, keeps the ones the model is surest of and masks the rest again. Its samples are usually valid but much less varied.',
  },
  {
    term: 'Temperature',
    section: 'beyond',
    definition:
      "A knob on sampling: the model's scores are divided by it before the softmax. Below 1 the likeliest tokens win more often; 0 always takes the likeliest; above 1 draws are more random.",
  },
  {
    term: 'Gumbel-max',
    aliases: ['Gumbel noise'],
    section: 'beyond',
    definition:
      'A way to draw from a softmax: add independent Gumbel noise to each score and take the largest. Confidence-based decoding uses it, with the noise computed in float64.',
  },
  {
    term: 'Perfectly periodic',
    section: 'beyond',
    definition:
      "A generated sequence that follows the data's rule exactly: a pattern of 2 to 4 tokens, tiled to 32. The share of such samples is one way to judge generation here.",
  },
  {
    term: 'Masking ratio t',
    aliases: ['ratio', 'mask probability', 'noise level'],
    section: 'math',
    definition:
      'The chance, between 0 and 1, that each token is hidden. t = 0 leaves the text untouched and t = 1 masks everything; the actual count in one sequence varies around L·t.',
  },
  {
    term: 'Denoiser',
    section: 'transformer',
    definition:
      'The model that takes a masked sequence and its ratio t and predicts, at every position, a probability for each token. Here it is a small bidirectional Transformer.',
  },
  {
    term: 'BERT',
    section: 'intuition',
    definition:
      'A well-known Transformer pre-trained by hiding about 15% of tokens and recovering them. Masked diffusion uses the same kind of loss but trains at every masking ratio, which makes it a generator.',
  },

  // Tokens and data
  {
    term: 'Token',
    aliases: ['token id'],
    section: 'why',
    definition: 'One unit of text as the model sees it, stored as an integer id. The ids are labels: neighbouring numbers mean nothing alike.',
  },
  { term: 'Tokenizer', section: 'why', definition: 'The program that splits text into tokens and maps each to its integer id.' },
  {
    term: 'Vocabulary',
    aliases: ['vocab'],
    section: 'data',
    definition: 'The set of token ids the model knows. Here it has 16 entries: [MASK] (id 0) and the real tokens 1 to 15.',
  },
  {
    term: 'Sequence length L',
    aliases: ['sequence length'],
    proseSays: 'cut it to 32 tokens',
    section: 'data',
    definition: 'How many tokens a sequence holds: 32 throughout this lesson.',
  },
  {
    term: 'Pattern length p',
    aliases: ['period', 'pattern length'],
    section: 'data',
    definition:
      'The length of the repeating unit in a toy sequence, 2, 3 or 4. A blank can be filled by copying a visible token a multiple of p positions away.',
  },
  {
    term: 'Batch',
    aliases: ['batch size'],
    section: 'training',
    definition: 'The sequences processed together in one training step: 64 here, each with its own masking ratio.',
  },
  {
    term: 'Seed',
    section: 'setup',
    definition:
      "The starting number of the lesson's random number generator. The same seed redraws the same data, masks and starting weights on any computer and backend.",
  },
  {
    term: 'Backend',
    aliases: ['WebGPU', 'WebGL', 'WASM', 'WebAssembly'],
    section: 'setup',
    definition:
      'The engine TensorFlow.js uses for arithmetic: WebGPU or WebGL (the graphics card), WebAssembly or plain JavaScript (the CPU). The lesson times each one that starts on this machine and keeps the fastest; a GPU emulated in software is never counted as a GPU.',
  },

  // The math
  {
    term: 'Binomial distribution',
    aliases: ['Binomial(L, t)'],
    section: 'math',
    definition:
      'The distribution of the number of successes in L independent yes/no trials with the same probability. The count of masked tokens follows Binomial(L, t): mean L·t, variance L·t(1 − t).',
  },
  {
    term: 'Expected value',
    aliases: ['expectation', 'mean'],
    proseSays: 'expected count',
    section: 'math',
    definition: 'The long-run average of a random quantity. The expected number of masks is L·t, even though a single draw rarely hits it exactly.',
  },
  {
    term: 'Standard error',
    section: 'statistics',
    definition:
      'How far an average of random draws typically lands from the true mean. It shrinks with the square root of the number of draws, so 32,000 coin flips pin a fraction down to about 0.003.',
  },
  {
    term: 'Uniform distribution',
    aliases: ['U(0.02, 1)', 'uniform'],
    section: 'statistics',
    definition: "Every value in a range is equally likely. Training draws each sequence's ratio t uniformly from 0.02 to 1.",
  },
  {
    term: 'Likelihood',
    aliases: ['log-likelihood'],
    section: 'math',
    definition:
      'The probability a model assigns to the data. A better model gives real text a higher likelihood, that is, a lower negative log-likelihood.',
  },
  {
    term: 'Cross-entropy',
    aliases: ['negative log-likelihood', '-log p'],
    section: 'math',
    definition:
      'The loss at one position: minus the log of the probability the model gave to the right token. A confident right answer costs almost nothing; a confident wrong one costs a lot.',
  },
  {
    term: 'Pooled masked mean',
    aliases: ['pooled mean', 'training loss'],
    section: 'math',
    definition:
      'The loss the notebook trains with: the cross-entropy averaged over every masked token in the batch. Heavily masked sequences bring more tokens, so they weigh more.',
  },
  {
    term: 'ELBO',
    aliases: ['evidence lower bound', 'likelihood bound'],
    section: 'math',
    definition:
      "The evidence lower bound: a lower bound on the model's log-likelihood, so its negative, the form used as a loss, is an upper bound on the negative log-likelihood. For masked diffusion it weights each masked token's loss by 1/t, which gives every masking ratio an equal say.",
  },
  {
    term: '1/t weighting',
    aliases: ['1/t'],
    section: 'math',
    definition:
      'The factor that turns the masked loss into the ELBO. A sequence at ratio t has about L·t masks, so multiplying by 1/t makes every ratio count the same.',
  },
  {
    term: 'Nats',
    aliases: ['nat'],
    section: 'math',
    definition: 'The unit of information when logs are natural (base e). One nat is about 1.44 bits.',
  },
  {
    term: 'Bits per token',
    aliases: ['bits'],
    section: 'math',
    definition: "Information measured with base-2 logs, per token. The toy data's entropy of 0.2877 nats per token is 0.415 bits per token.",
  },
  {
    term: 'Entropy',
    section: 'math',
    definition:
      'The average surprise of the data itself: the lowest loss per token any model could reach on it. For the toy patterns it is exactly 0.2877 nats per token.',
  },
  {
    term: 'Perplexity',
    section: 'math',
    definition:
      "e raised to the loss in nats per token: roughly how many equally likely choices the model is torn between at each token. The toy data's perplexity is 1.333.",
  },

  // The model
  {
    term: 'Transformer',
    aliases: ['encoder layer', 'Transformer encoder'],
    section: 'transformer',
    definition: "A network built from stacked layers of attention and small feed-forward blocks. This lesson's denoiser has three encoder layers.",
  },
  {
    term: 'Bidirectional attention',
    aliases: ['bidirectional'],
    proseSays: 'every position attends to every other position',
    section: 'transformer',
    definition:
      "Attention in which every position may look at every other position, left and right. A blank's best clue can lie on either side, so the denoiser needs it.",
  },
  {
    term: 'Causal mask',
    section: 'transformer',
    definition:
      'A rule that lets position i attend only to positions up to i, as in GPT-style models that predict the next token. The denoiser has none.',
  },
  {
    term: 'Attention',
    aliases: ['self-attention', 'attention head', 'attention weights', 'attention map'],
    section: 'transformer',
    definition:
      'The step where each position computes how much to draw on every other position, and mixes their vectors by those weights. The model has 4 heads per layer, each with 16 dimensions.',
  },
  {
    term: 'Token embedding',
    aliases: ['embedding'],
    section: 'transformer',
    definition: 'A learned table that turns each token id into a vector: here 16 rows of 64 numbers.',
  },
  {
    term: 'Positional encoding',
    aliases: ['sinusoidal positions', 'position embedding', 'positions'],
    section: 'transformer',
    definition:
      "A vector added to each token's embedding that says where it sits. Here it is a fixed table of sines and cosines at many frequencies, not learned.",
  },
  {
    term: 'Time embedding',
    section: 'transformer',
    definition:
      'How the model is told the ratio t: a small network (Linear, SiLU, Linear) turns t into a 64-number vector that is added at every position.',
  },
  {
    term: 'Layer norm',
    aliases: ['LayerNorm', 'layer normalization', 'pre-norm'],
    section: 'transformer',
    definition:
      "Rescales each position's vector to zero mean and unit spread, then applies a learned scale and shift. Pre-norm means it comes before attention and before the feed-forward block.",
  },
  {
    term: 'Residual connection',
    aliases: ['residual'],
    section: 'transformer',
    definition: "Adding a block's input to its output, so each layer only learns a correction and gradients flow easily through deep stacks.",
  },
  {
    term: 'Feed-forward block',
    aliases: ['MLP', 'feed-forward'],
    section: 'transformer',
    definition: 'The per-position part of a Transformer layer: here Linear 64 → 256, ReLU, Linear 256 → 64.',
  },
  { term: 'ReLU', section: 'transformer', definition: 'An activation that keeps positive numbers and sets negative ones to zero.' },
  { term: 'SiLU', aliases: ['swish'], section: 'transformer', definition: 'A smooth activation, x times sigmoid(x), used in the time embedding.' },
  {
    term: 'Logits',
    aliases: ['logit', 'scores'],
    section: 'transformer',
    definition:
      "The model's raw scores, one per token id at every position. Larger means more likely, but they only become probabilities after a softmax.",
  },
  {
    term: 'Softmax',
    section: 'transformer',
    definition: 'Turns a row of logits into probabilities: exponentiate each and divide by the sum, so they are positive and add up to 1.',
  },
  {
    term: 'Parameter count',
    aliases: ['parameters', '156,304'],
    section: 'transformer',
    definition: 'The number of learned numbers in the model: 156,304 here, almost all in the three encoder layers.',
  },
  {
    term: 'Reversal curse',
    section: 'transformer',
    definition:
      'The finding that a left-to-right model trained on "A is B" often cannot answer "B is A". Models that read both ways may suffer from it less.',
  },

  // Training
  {
    term: 'Training step',
    aliases: ['step'],
    section: 'training',
    definition: 'One round of learning: draw a batch, mask it, compute the loss, backpropagate, and update the weights once.',
  },
  {
    term: 'Dropout',
    section: 'training',
    definition:
      'During training, randomly zeroing a fraction of activations (0.1 in the notebook recipe) to discourage overfitting. With endless fresh data there is nothing to overfit, so it can only add noise.',
  },
  {
    term: 'AdamW',
    aliases: ['Adam', 'optimizer'],
    section: 'training',
    definition:
      "The optimizer: it scales each weight's step by running averages of its gradient and squared gradient, and applies weight decay separately from the gradient.",
  },
  {
    term: 'Weight decay',
    section: 'training',
    definition: 'Shrinking every weight slightly each step (by a factor tied to 0.01 here), which keeps weights from growing without need.',
  },
  {
    term: 'Learning rate',
    section: 'training',
    definition: 'How big a step the optimizer takes: 3 × 10⁻⁴ at its peak in the notebook recipe, 2 × 10⁻³ in the learns recipe.',
  },
  {
    term: 'Cosine schedule',
    aliases: ['cosine decay', 'learning-rate schedule'],
    proseSays: 'cosine curve',
    section: 'training',
    definition: 'Lowering the learning rate along half a cosine wave, from its peak down to zero by the last step.',
  },
  {
    term: 'Warm-up',
    aliases: ['warmup'],
    section: 'training',
    definition:
      "Raising the learning rate from zero over the first steps (100 in the learns recipe) while the optimizer's running statistics settle.",
  },
  {
    term: 'Gradient clipping',
    aliases: ['clipping', 'gradient norm'],
    section: 'training',
    definition:
      'If the gradient of all weights together is longer than a limit (1.0 here), scaling it down to that length, so one bad batch cannot throw training off.',
  },
  {
    term: 'Embedding initialisation',
    aliases: ['initial std', 'init', 'initialization'],
    proseSays: 'initial std',
    section: 'training',
    definition:
      'The random starting values of the token embedding. PyTorch starts them with standard deviation 1, which makes token vectors longer than the position signal; the learns recipe starts them at 0.03, so positions stand out from the first step. Section 8 measures what that change does on its own.',
  },
  {
    term: 'Plateau',
    aliases: ['shortcut', 'levels off'],
    section: 'training',
    definition:
      'A long stretch where the loss stops improving. The notebook recipe sits on one near 1.4, about 38% accurate at every ratio: it has learned which tokens occur in a sequence but not where.',
  },
  {
    term: 'Recipe',
    aliases: ['notebook recipe', 'learns recipe', 'curriculum recipe'],
    section: 'training',
    definition:
      'A set of training settings for the same model. The "notebook" recipe follows the original and stalls; "learns" changes the init, dropout and learning rate, and falls short at high t; "curriculum" adds a curriculum over t and reaches the best possible; "fast" gets there in about half the time, with batches of 32.',
  },
  {
    term: 'Curriculum over t',
    aliases: ['curriculum'],
    section: 'training',
    definition:
      'Training easy cases first: early in the run the masking ratio t is capped (from 0.31, rising to 1 over the first 40% of the steps), so the model learns to copy the token a period away before it meets heavily masked sequences.',
  },
  {
    term: 'Checkpoint',
    aliases: ['pretrained weights', 'weights'],
    section: 'training',
    definition: 'Saved model weights that can be loaded instead of training. The lesson ships one for each recipe.',
  },

  // Results and exercises
  {
    term: 'Best-possible accuracy',
    aliases: ['Bayes-optimal denoiser', 'Bayes-optimal', 'best possible', 'ceiling'],
    section: 'results',
    definition:
      'The accuracy of an exact Bayes-optimal denoiser: it weighs every period and pattern consistent with the visible tokens and picks the most probable token. No model can beat it on average.',
  },
  {
    term: 'Accuracy at masked positions',
    aliases: ['accuracy', 'accuracy curve'],
    section: 'results',
    definition: "The share of masked tokens the model's top guess gets right, measured at each masking ratio. Visible tokens are not counted.",
  },
  {
    term: 'Top-k',
    aliases: ['top k', 'top three'],
    proseSays: 'top $k$',
    section: 'exercises',
    definition: 'The k tokens with the highest probabilities at a position, most probable first.',
  },
]);
