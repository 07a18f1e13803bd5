/** Section 11, beyond the notebook: one reverse step taken apart, generation, infilling, the attention explorer, and the notebook's challenges made runnable. */
import { attentionCells } from './beyond/attention.tsx';
import { challengeCells } from './beyond/challenges.tsx';
import { generationCells } from './beyond/generation.tsx';
import { infillCells } from './beyond/infill.tsx';
import { reverseStepCells } from './beyond/reverse-step.tsx';

export const cells = { ...reverseStepCells, ...generationCells, ...infillCells, ...attentionCells, ...challengeCells };
