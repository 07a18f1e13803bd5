/** The page-wide chart queue: one draw a frame, oldest first, cancellable, and not stalled by a draw that throws. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enqueueDraw } from '../../src/ui/plot/draw-queue.ts';

/** Frames on demand: the test says when the next one comes, so a busy machine cannot fold two into one. */
let frames: FrameRequestCallback[] = [];
function frame(): void {
  const due = frames;
  frames = [];
  for (const f of due) f(performance.now());
}

describe('draw queue', () => {
  beforeEach(() => {
    frames = [];
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
  });
  afterEach(() => vi.unstubAllGlobals());

  it('runs one draw a frame, in order, skipping cancelled ones, past one that throws', () => {
    const ran: string[] = [];
    enqueueDraw(() => ran.push('a'));
    const cancelB = enqueueDraw(() => ran.push('b'));
    enqueueDraw(() => {
      ran.push('c');
      throw new Error('a broken chart');
    });
    enqueueDraw(() => ran.push('d'));
    cancelB();
    expect(ran).toEqual([]);
    frame();
    expect(ran).toEqual(['a']);
    expect(() => frame()).toThrow('a broken chart');
    expect(ran).toEqual(['a', 'c']);
    frame();
    expect(ran).toEqual(['a', 'c', 'd']);
    frame();
    expect(ran).toEqual(['a', 'c', 'd']);
    expect(frames).toEqual([]);
  });
});
