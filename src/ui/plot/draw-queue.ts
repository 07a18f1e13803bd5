/**
 * Every chart on the page draws through this queue: at most one Plotly draw an
 * animation frame, oldest request first. A Plotly.react costs tens of
 * milliseconds however small the chart (a chart's first draw 50-130 ms on a
 * slow 2-core laptop), so two in one frame make a long task that the learner
 * feels (the loss and learning-rate charts both update at every training
 * step). The exercises' code editors are created through it too, for the same
 * reason.
 *
 * A draw runs in a task of its own just after a frame has been rendered, not
 * inside the frame, and only when no click or key has come since that frame
 * or is waiting (Chromium's isInputPending): otherwise it waits for the next
 * frame, so the answer to the input is rendered first instead of waiting
 * behind a draw of 50-170 ms. A few frames at most, so a chart never starves.
 */
const queue: (() => void)[] = [];
let scheduled = false;
/** Frames in a row the head of the queue has waited on input. */
let deferred = 0;
const MAX_DEFERRED_FRAMES = 5;
/** Frames that asked for a draw, counted; and the count when the page last had a click or key. */
let frames = 0;
let inputAfterFrame = -1;
let listening = false;

/** Note every click and key (capture, passive: nothing is delayed or stopped by it). */
function listenForInput(): void {
  if (listening || typeof addEventListener !== 'function') return;
  listening = true;
  const note = () => void (inputAfterFrame = frames);
  for (const type of ['pointerdown', 'keydown', 'click']) addEventListener(type, note, { capture: true, passive: true });
}

interface PostTaskScheduler {
  postTask(task: () => void, options?: { priority?: 'user-blocking' | 'user-visible' | 'background' }): Promise<unknown>;
}

/** A task of its own, soon: after the rendering of the frame that asked for it. */
function afterFrame(task: () => void): void {
  const scheduler = (globalThis as { scheduler?: PostTaskScheduler }).scheduler;
  if (!scheduler?.postTask) return void setTimeout(task, 0);
  // postTask turns a throw into a rejection: throw it again, uncaught, where the page's error reporting sees it.
  scheduler.postTask(task, { priority: 'user-visible' }).catch((e: unknown) =>
    setTimeout(() => {
      throw e;
    }),
  );
}

/** True when a click or key came after the frame, or the browser knows of one waiting for the main thread. */
function inputPending(): boolean {
  if (inputAfterFrame === frames) return true;
  const scheduling = (navigator as { scheduling?: { isInputPending?: () => boolean } }).scheduling;
  try {
    return scheduling?.isInputPending?.() ?? false;
  } catch {
    return false;
  }
}

function pump(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  listenForInput();
  requestAnimationFrame(() => {
    frames++;
    afterFrame(runOne);
  });
}

function runOne(): void {
  scheduled = false;
  if (queue.length === 0) return;
  if (deferred < MAX_DEFERRED_FRAMES && inputPending()) {
    deferred++;
    pump(); // the input is handled first; the draw takes a later frame
    return;
  }
  deferred = 0;
  try {
    queue.shift()?.();
  } finally {
    pump(); // one chart that throws must not stall the others
  }
}

/** Run `draw` after a coming frame, in a task of its own; the returned function cancels it if it has not run. */
export function enqueueDraw(draw: () => void): () => void {
  queue.push(draw);
  pump();
  return () => {
    const i = queue.indexOf(draw);
    if (i >= 0) queue.splice(i, 1);
  };
}
