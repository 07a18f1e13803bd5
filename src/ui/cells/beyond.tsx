/** Section 11, beyond the notebook: one reverse step taken apart, generation (of patterns and of real words), infilling, the attention explorer, and the notebook's challenges made runnable. */
import { attentionCells } from './beyond/attention.tsx';
import { challengeCells } from './beyond/challenges.tsx';
import { generationCells } from './beyond/generation.tsx';
import { infillCells } from './beyond/infill.tsx';
import { reverseStepCells } from './beyond/reverse-step.tsx';
import { wordsCells } from './beyond/words.tsx';

export const cells = { ...reverseStepCells, ...generationCells, ...wordsCells, ...infillCells, ...attentionCells, ...challengeCells };
