/**
 * One chart's draw requests. At most one draw waits at a time (a burst of updates draws
 * once, with whatever is newest when it runs), draws are never closer together than the
 * chart's minimum interval, and every draw goes through the page-wide queue
 * (draw-queue.ts), so two charts never draw in the same frame.
 *
 * Plain TypeScript with its clock and queue injected: the throttle is unit-tested
 * without React, Plotly or real time.
 */
import { enqueueDraw } from './draw-queue.ts';

export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(id: unknown): void;
}

const browserClock: SchedulerClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (id) => clearTimeout(id as ReturnType<typeof setTimeout>),
};

/** Queue `draw` for a coming frame; the returned function takes it out again if it has not run. */
export type Enqueue = (draw: () => void) => () => void;

export class DrawScheduler {
  private cancelPending: (() => void) | null = null;
  private lastDraw = -Infinity;

  constructor(
    private readonly draw: () => void,
    private readonly enqueue: Enqueue = enqueueDraw,
    private readonly clock: SchedulerClock = browserClock,
  ) {}

  /** A draw is waiting (in the queue or for its interval to pass). */
  get pending(): boolean {
    return this.cancelPending !== null;
  }

  /**
   * Ask for a draw at least `minIntervalMs` after the previous one. While one is already
   * waiting this does nothing: that draw reads the newest props when it runs.
   */
  request(minIntervalMs = 0): void {
    if (this.cancelPending) return;
    const run = () => {
      this.cancelPending = null;
      this.lastDraw = this.clock.now();
      this.draw();
    };
    const wait = this.lastDraw + minIntervalMs - this.clock.now();
    if (wait <= 0) {
      this.cancelPending = this.enqueue(run);
      return;
    }
    let cancelQueued = () => {};
    const timer = this.clock.setTimeout(() => (cancelQueued = this.enqueue(run)), wait);
    this.cancelPending = () => {
      this.clock.clearTimeout(timer);
      cancelQueued();
    };
  }

  /** Draw at once, outside the queue, in place of any waiting draw (the page is about to print). */
  drawNow(): void {
    this.cancel();
    this.lastDraw = this.clock.now();
    this.draw();
  }

  /** Drop the waiting draw, if any (unmount). */
  cancel(): void {
    this.cancelPending?.();
    this.cancelPending = null;
  }
}
