/** Questions the assistant panel suggests, by section: the ones learners tend to get stuck on. */
export const SUGGESTED_QUESTIONS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  setup: ['Why does the same seed give the same masks on every backend?', 'Which backend should I use if my computer has no graphics card?'],
  why: [
    "Why can't we add Gaussian noise to token ids?",
    'What does a [MASK] token carry that noise on an id does not?',
    'In what sense is t = 1 like pure static?',
  ],
  intuition: [
    'Why is the number of masked words at a given t random?',
    "How is masked diffusion different from BERT's 15% masking?",
    'Why does filling the first blank need context from the right?',
  ],
  math: [
    'Can you walk me through the 0.734 loss example step by step?',
    'Why does the ELBO weight each masked token by 1/t?',
    "Why does even a perfect model's pooled training loss stay near 0.52 on this data?",
  ],
  data: ['How can a model be nearly always right when most tokens are hidden?', 'Why do the patterns 5 9 5 9 and 5 9 give the same sequence?'],
  masking: ['Why does the code use u < t rather than u <= t?', 'Why are the masks in the forward figure not nested as t grows?'],
  statistics: ['What is the standard error of each dot, and why is it so small?', 'Why does training draw t from 0.02 to 1 instead of 0 to 1?'],
  transformer: [
    'Why does the denoiser have no causal mask?',
    "How does the token embedding's scale hide the positions?",
    'What does the time embedding add, if the model can count the masks?',
  ],
  training: [
    'Why does the notebook recipe get stuck near 38% accuracy?',
    'Which change in the learns recipe matters most, and why?',
    'What do gradient clipping and warm-up each protect against?',
  ],
  exercises: ['Which positions should my loss average over in TODO 1?', 'Over which axis should the softmax run in TODO 2?'],
  results: ['How does the best-possible curve know what no model can beat?', 'Why is the gap to the ceiling largest between t = 0.7 and 0.85?'],
  beyond: [
    'Why does surest-first decoding write so many identical sequences?',
    'Why is a token revealed with probability (t − s)/t in the ancestral sampler?',
    'Why do few generation steps hurt even the best possible denoiser?',
  ],
  reflection: ['Why did generation break some samples even with the best possible denoiser?', 'Why does the loss per masked token climb with t?'],
});

export function suggestionsFor(section: string): readonly string[] {
  return SUGGESTED_QUESTIONS[section] ?? [];
}
