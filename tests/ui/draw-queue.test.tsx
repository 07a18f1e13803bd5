/**
 * The page-wide chart queue: one draw a frame, each in a task of its own after the frame,
 * oldest first, cancellable, not stalled by a draw that throws, and giving way to input
 * (waiting, or handled since the frame) for a few frames at most.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { enqueueDraw } from '../../src/ui/plot/draw-queue.ts';

/** Frames and tasks on demand: the test says when each comes, so a busy machine cannot fold two into one. */
let frames: FrameRequestCallback[] = [];
let tasks: (() => void)[] = [];
let pending = false;
function frame(): void {
  const due = frames;
  frames = [];
  for (const f of due) f(performance.now());
}
function task(): void {
  const due = tasks;
  tasks = [];
  for (const t of due) t();
}

describe('draw queue', () => {
  beforeEach(() => {
    frames = [];
    tasks = [];
    pending = false;
    vi.stubGlobal('requestAnimationFrame', (f: FrameRequestCallback) => frames.push(f));
    vi.stubGlobal('scheduler', {
      postTask: (t: () => void) => {
        tasks.push(t);
        return Promise.resolve();
      },
    });
    vi.stubGlobal('navigator', { ...navigator, scheduling: { isInputPending: () => pending } });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('runs one draw a frame, after the frame, in order, skipping cancelled ones, past one that throws', () => {
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
    expect(ran).toEqual([]); // not inside the frame: in the task that follows it
    task();
    expect(ran).toEqual(['a']);
    frame();
    expect(() => task()).toThrow('a broken chart');
    expect(ran).toEqual(['a', 'c']);
    frame();
    task();
    expect(ran).toEqual(['a', 'c', 'd']);
    frame();
    task();
    expect(ran).toEqual(['a', 'c', 'd']);
    expect(frames).toEqual([]);
    expect(tasks).toEqual([]);
  });

  it('lets waiting input go first, for five frames at most', () => {
    const ran: string[] = [];
    pending = true;
    enqueueDraw(() => ran.push('a'));
    for (let i = 0; i < 5; i++) {
      frame();
      task();
      expect(ran).toEqual([]);
    }
    frame();
    task();
    expect(ran).toEqual(['a']); // input that never stops must not starve the chart
    enqueueDraw(() => ran.push('b'));
    frame();
    task();
    expect(ran).toEqual(['a']); // the count starts again for the next draw
    pending = false;
    frame();
    task();
    expect(ran).toEqual(['a', 'b']);
  });

  it('waits a frame when a click came after the frame, so the click is painted first', () => {
    const ran: string[] = [];
    enqueueDraw(() => ran.push('a'));
    frame();
    dispatchEvent(new MouseEvent('click')); // handled between the frame and the draw's task
    task();
    expect(ran).toEqual([]);
    frame(); // the frame that shows the click's answer
    task();
    expect(ran).toEqual(['a']);
  });
});
