/** The page-wide chart queue: one draw a frame, oldest first, cancellable, and not stalled by a draw that throws. */
import { describe, expect, it } from 'vitest';
import { enqueueDraw } from '../../src/ui/plot/draw-queue.ts';

const frame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));

describe('draw queue', () => {
  it('runs one draw a frame, in order, skipping cancelled ones, past one that throws', async () => {
    const ran: string[] = [];
    enqueueDraw(() => ran.push('a'));
    const cancelB = enqueueDraw(() => ran.push('b'));
    enqueueDraw(() => {
      ran.push('c');
      throw new Error('a broken chart');
    });
    enqueueDraw(() => ran.push('d'));
    cancelB();
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent) => {
      errors.push(e.error);
      e.preventDefault();
    };
    window.addEventListener('error', onError);
    try {
      await frame();
      expect(ran).toEqual(['a']);
      await frame();
      expect(ran).toEqual(['a', 'c']);
      await frame();
      expect(ran).toEqual(['a', 'c', 'd']);
      await frame();
      expect(ran).toEqual(['a', 'c', 'd']);
    } finally {
      window.removeEventListener('error', onError);
    }
  });
});
