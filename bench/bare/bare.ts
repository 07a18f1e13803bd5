/** The bench page: run the bare loop in a worker, as the lesson does, and expose its result to the harness. */
import type { BareRequest, BareResult } from './bare.worker.ts';

declare global {
  interface Window {
    runBare(request: BareRequest): Promise<BareResult>;
  }
}

window.runBare = (request) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./bare.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<BareResult | { error: string }>) => {
      worker.terminate();
      if ('error' in e.data) reject(new Error(e.data.error));
      else resolve(e.data);
    };
    worker.onerror = (e) => reject(new Error(e.message));
    worker.postMessage(request);
  });
