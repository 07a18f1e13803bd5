/**
 * The sandbox frame. The page creates it as
 *   <iframe sandbox="allow-scripts" srcdoc="…frameDocument()…">
 * with no allow-same-origin, so its document (and every worker it starts) has
 * an opaque origin: no cookies, storage, IndexedDB, caches or service worker
 * of the lesson, and no access to the page. Its policy adds connect-src 'none'
 * (no fetch, XHR, WebSocket, EventSource, beacon) and no script but its own
 * one (no import(), importScripts, eval or WebAssembly), on top of the
 * lesson's policy, which a srcdoc document inherits.
 *
 * Its one script, FRAME_BOOTSTRAP, waits for one job from the page, runs it in
 * a blob: worker (the sandbox's runtime with the student's code appended),
 * says when the worker starts the student's code, passes back the worker's one
 * report as a string of bounded length, both tagged with the job's nonce, and beats every 100 ms so the page can tell a frame that
 * died (an out-of-memory crash kills the frame's process, not the page's) from
 * one that is only slow. It never reads what the worker sends beyond its type
 * and length, and student code cannot reach it: it lives in another realm.
 *
 * The build reads this file (its hash goes into both policies), so it has no imports.
 */

/** The longest report the frame passes on: far above any honest answer, far below what could hurt the page. */
export const MAX_REPORT_CHARS = 4_000_000;

/** Messages the frame sends the page. */
export type FromFrame =
  | { readonly type: 'ready' }
  | { readonly type: 'beat' }
  /** The worker is set up and about to run the student's code: the time limit starts now. */
  | { readonly type: 'started'; readonly nonce: string }
  | { readonly type: 'report'; readonly nonce: string; readonly json: string }
  | { readonly type: 'too-large'; readonly nonce: string }
  | { readonly type: 'worker-error'; readonly nonce: string; readonly message: string; readonly line: number; readonly column: number };

/** The one message the page sends the frame. */
export interface RunInFrame {
  readonly type: 'run';
  readonly nonce: string;
  /** The worker's whole script: the runtime, then the student's code. */
  readonly source: string;
  readonly job: unknown;
}

// Plain JavaScript, exactly as it runs: its SHA-256 is in the policies.
export const FRAME_BOOTSTRAP = `(() => {
  "use strict";
  // Only ever work sandboxed: an opaque origin, inside the lesson's page.
  if (self.origin !== "null" || window.parent === window) return;
  const home = window.parent;
  const send = (m) => home.postMessage(m, "*");
  let started = false;
  addEventListener("message", (e) => {
    const m = e.data;
    if (started || e.source !== home || !m || m.type !== "run" || typeof m.nonce !== "string" || typeof m.source !== "string") return;
    started = true;
    const nonce = m.nonce;
    const worker = new Worker(URL.createObjectURL(new Blob([m.source], { type: "text/javascript" })), { name: "unmask-sandbox" });
    let done = false;
    let running = false;
    worker.onmessage = (w) => {
      const d = w.data;
      if (done || !d) return;
      if (d.type === "started" && !running) {
        running = true;
        send({ type: "started", nonce });
        return;
      }
      if (d.type !== "report" || typeof d.json !== "string") return;
      done = true;
      send(d.json.length > ${MAX_REPORT_CHARS} ? { type: "too-large", nonce } : { type: "report", nonce, json: d.json });
    };
    worker.onerror = (w) => {
      w.preventDefault();
      if (done) return;
      done = true;
      send({ type: "worker-error", nonce, message: String(w.message).slice(0, 1000), line: w.lineno | 0, column: w.colno | 0 });
    };
    worker.postMessage(m.job);
  });
  setInterval(() => send({ type: "beat" }), 100);
  send({ type: "ready" });
})();`;

/** The frame's own policy: nothing but its own script and blob: workers, and no connections at all. */
export function frameCsp(bootstrapHash: string): string {
  return [
    "default-src 'none'",
    `script-src '${bootstrapHash}'`,
    'worker-src blob:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** The frame's whole document, for srcdoc. `bootstrapHash` is "sha256-…" of FRAME_BOOTSTRAP. */
export function frameDocument(bootstrapHash: string): string {
  return `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${frameCsp(bootstrapHash)}"><title>Exercise sandbox</title></head><body><script>${FRAME_BOOTSTRAP}</script></body></html>`;
}
