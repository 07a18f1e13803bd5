/**
 * The page's side of the sandbox: one fresh frame (and so one fresh worker and,
 * in Chromium, one fresh process) for every run, removed when the run ends,
 * whatever happened. The page talks to it only by postMessage, accepts only
 * messages from that frame's window with the run's nonce, and turns every way a
 * run can end into one outcome:
 *
 * - report: the runtime's report, still an unchecked string (see protocol.ts);
 * - worker-error: the worker's script failed (a syntax error V8 found), or an
 *   error escaped the runtime;
 * - timed-out: the frame was alive but the code did not answer in time;
 * - crashed: the frame stopped beating: its process died, which for a page
 *   that is otherwise fine means the code ran out of memory;
 * - too-large: the report was longer than the frame passes on;
 * - unavailable: the frame or its worker never started (a host's policy that
 *   blocks it, say).
 */
import type { FromFrame, RunInFrame } from './frame.ts';

export type SandboxOutcome =
  | { readonly kind: 'report'; readonly json: string }
  | { readonly kind: 'worker-error'; readonly message: string; readonly line: number; readonly column: number }
  | { readonly kind: 'timed-out' }
  | { readonly kind: 'crashed' }
  | { readonly kind: 'too-large' }
  | { readonly kind: 'unavailable' };

export interface SandboxLimits {
  /** From the worker starting the student's code to its report. */
  readonly answerMs: number;
  /** From creating the frame to the worker starting the student's code: generous, nothing of the student's runs yet. */
  readonly startMs: number;
  /** Beats missing this long, while the page itself kept time, mean the frame is dead. */
  readonly silenceMs: number;
}

/** How often the page looks at the clock, and the gap that means the page itself was stalled (a long task, a hidden tab). */
const TICK_MS = 200;
const STALL_MS = 700;

function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Run `source` (the runtime and the student's code) on `job` in a new sandbox
 * frame. `frameHtml` is the frame's document (frame.ts). The job may still be
 * on its way (the frame starts meanwhile); if it never comes, the sandbox is
 * unavailable. Never rejects.
 */
export function runInSandbox(frameHtml: string, source: string, job: Promise<unknown>, limits: SandboxLimits): Promise<SandboxOutcome> {
  const runNonce = nonce();
  const frame = document.createElement('iframe');
  // allow-scripts and nothing else: above all not allow-same-origin.
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.setAttribute('aria-hidden', 'true');
  frame.tabIndex = -1;
  frame.title = 'Exercise sandbox';
  frame.className = 'exercise-sandbox';
  frame.style.display = 'none';
  frame.srcdoc = frameHtml;

  return new Promise<SandboxOutcome>((resolve) => {
    const created = performance.now();
    let runningSince: number | null = null;
    let lastBeat = created;
    let lastTick = created;
    let sent = false;

    const finish = (outcome: SandboxOutcome) => {
      performance.mark('sandbox:end');
      clearInterval(watchdog);
      removeEventListener('message', onMessage);
      frame.remove(); // ends the worker, and the frame's process with it
      resolve(outcome);
    };

    const onMessage = (e: MessageEvent) => {
      if (e.source !== frame.contentWindow || e.origin !== 'null') return;
      const m = e.data as Partial<FromFrame> | null;
      if (!m || typeof m !== 'object') return;
      if (m.type === 'beat') {
        lastBeat = performance.now();
        return;
      }
      if (m.type === 'ready') {
        if (sent) return;
        performance.mark('sandbox:ready');
        sent = true;
        lastBeat = performance.now();
        job.then(
          (j) => frame.contentWindow?.postMessage({ type: 'run', nonce: runNonce, source, job: j } satisfies RunInFrame, '*'),
          () => finish({ kind: 'unavailable' }),
        );
        return;
      }
      if (!('nonce' in m) || m.nonce !== runNonce) return;
      if (m.type === 'started') {
        performance.mark('sandbox:started');
        runningSince ??= performance.now();
      } else if (m.type === 'report' && typeof m.json === 'string') finish({ kind: 'report', json: m.json });
      else if (m.type === 'too-large') finish({ kind: 'too-large' });
      else if (m.type === 'worker-error') {
        const place = (v: unknown) => (Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : 0);
        finish({ kind: 'worker-error', message: String(m.message ?? '').slice(0, 1000), line: place(m.line), column: place(m.column) });
      }
    };

    const watchdog = setInterval(() => {
      const now = performance.now();
      // A stalled page saw no beats because it was not looking: do not blame the frame.
      if (now - lastTick > STALL_MS) lastBeat = now;
      lastTick = now;
      const silent = now - lastBeat;
      if (silent > limits.silenceMs && sent) finish({ kind: 'crashed' });
      else if (runningSince !== null && now - runningSince > limits.answerMs)
        finish(silent > 5 * TICK_MS ? { kind: 'crashed' } : { kind: 'timed-out' });
      else if (runningSince === null && now - created > limits.startMs) finish({ kind: 'unavailable' });
    }, TICK_MS);

    addEventListener('message', onMessage);
    // Marks for profiling a check (DevTools' Performance panel, or bench scripts): frame, ready, started, end.
    performance.mark('sandbox:frame');
    document.body.append(frame);
  });
}
