/**
 * What a model needs besides its weights: how it hears the masking ratio t.
 * Plain data, no tfjs, so the page can read and write checkpoints (and
 * recipes can name their variant) without loading the engine.
 */

/**
 * How the model hears the masking ratio t:
 *  - 'learned': the notebook's MLP, Linear(1,64) -> SiLU -> Linear(64,64);
 *  - 'sinusoidal': fixed sinusoids of 1000·t, like the position table, no weights;
 *  - 'none': no time term. Masked diffusion can do without one (MDLM): the
 *    share of [MASK] tokens in x_t already says roughly what t is.
 * The time MLP's weights exist in every variant, so the parameter names and
 * count (and the files) stay the notebook's; only 'learned' uses them.
 */
export type TimeInput = 'learned' | 'sinusoidal' | 'none';
export const TIME_INPUTS: readonly TimeInput[] = Object.freeze(['learned', 'sinusoidal', 'none']);

/** What a model needs besides its weights to compute what it was trained to; a checkpoint records it. */
export interface ModelOptions {
  /** How t enters the model: a model trained with one time input is meaningless under another. */
  readonly timeInput: TimeInput;
}

export const NOTEBOOK_MODEL_OPTIONS: ModelOptions = Object.freeze({ timeInput: 'learned' });

/** The checkpoint metadata that records `options`. */
export function optionsMetadata(options: ModelOptions): Record<string, string> {
  return { time_input: options.timeInput };
}

/**
 * The options a checkpoint's metadata records. Files written before they were
 * recorded (and the notebook's own) are the notebook's model: learned time input.
 */
export function optionsFromMetadata(metadata: Readonly<Record<string, string>>): ModelOptions {
  const timeInput = metadata.time_input;
  if (timeInput === undefined) return NOTEBOOK_MODEL_OPTIONS;
  if (!TIME_INPUTS.includes(timeInput as TimeInput)) {
    throw new RangeError(`the file says its time input is "${timeInput.slice(0, 40)}"; this lesson knows ${TIME_INPUTS.join(', ')}`);
  }
  return { timeInput: timeInput as TimeInput };
}
