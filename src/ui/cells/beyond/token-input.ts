/** Reading a sequence a learner types: token ids 1..15 and blanks, with messages that say what to fix. */
import { DEFAULT_DATA, MASK_ID } from '../../../core/config.ts';

const BLANKS = new Set(['_', '?', 'M', '[M]', '[MASK]', '0']);
export const MAX_TYPED_LENGTH = 64;

export type Parsed = { readonly tokens: Int32Array; readonly error?: undefined } | { readonly tokens?: undefined; readonly error: string };

/** "3 7 _ 3 7 _": ids separated by spaces or commas, a blank as _, ?, M or [MASK]. */
export function parseTokens(text: string, vocabSize = DEFAULT_DATA.vocabSize): Parsed {
  const parts = text
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (parts.length === 0) return { error: 'Type a sequence: token ids separated by spaces, with _ for each blank.' };
  if (parts.length > MAX_TYPED_LENGTH)
    return { error: `That is ${parts.length} tokens; keep it to ${MAX_TYPED_LENGTH} or fewer (the lesson's sequences have ${DEFAULT_DATA.seqLen}).` };
  const tokens = new Int32Array(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i].toUpperCase();
    if (BLANKS.has(p)) {
      tokens[i] = MASK_ID;
      continue;
    }
    const id = Number(p);
    if (!Number.isInteger(id) || id < 1 || id >= vocabSize) {
      return { error: `"${parts[i]}" (token ${i + 1}) is not a token: use whole numbers from 1 to ${vocabSize - 1}, or _ for a blank.` };
    }
    tokens[i] = id;
  }
  return { tokens };
}

/** The inverse, for presets and links: blanks as _. */
export function formatTokens(tokens: ArrayLike<number>): string {
  return Array.from(tokens, (id) => (id === MASK_ID ? '_' : String(id))).join(' ');
}
