/** Section 11, beyond the notebook: generation, infilling, the attention explorer, and the notebook's challenges made runnable. */
import { attentionCells } from './beyond/attention.tsx';
import { challengeCells } from './beyond/challenges.tsx';
import { generationCells } from './beyond/generation.tsx';
import { infillCells } from './beyond/infill.tsx';

export const cells = { ...generationCells, ...infillCells, ...attentionCells, ...challengeCells };
