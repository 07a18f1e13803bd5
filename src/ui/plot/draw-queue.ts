/**
 * Every chart on the page draws through this queue: at most one Plotly draw an
 * animation frame, oldest request first. A Plotly.react costs tens of
 * milliseconds however small the chart, so two in one frame make a long task
 * that the learner feels (the loss and learning-rate charts both update at
 * every training step). The exercises' code editors are created through it too,
 * for the same reason.
 */
const queue: (() => void)[] = [];
let frame = 0;

function pump(): void {
  if (frame || queue.length === 0) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    try {
      queue.shift()?.();
    } finally {
      pump(); // one chart that throws must not stall the others
    }
  });
}

/** Run `draw` in a coming frame of its own; the returned function cancels it if it has not run. */
export function enqueueDraw(draw: () => void): () => void {
  queue.push(draw);
  pump();
  return () => {
    const i = queue.indexOf(draw);
    if (i >= 0) queue.splice(i, 1);
  };
}
