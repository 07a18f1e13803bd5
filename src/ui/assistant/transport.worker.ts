/**
 * The one place the assistant's requests leave from. The lesson's page may
 * connect only to the lesson itself (its policy says connect-src 'self'); the
 * learner's chosen server can be anywhere, and a page's policy cannot change
 * while it runs. A worker started from the lesson's own file is not under the
 * page's <meta> policy, only under the headers its file is served with, which
 * allow http(s). So this worker, which does nothing else, carries the request
 * and streams the answer back. See transport.ts.
 */
import { errorMessage } from '../../core/error-message.ts';
export type ToTransport =
  | {
      readonly type: 'fetch';
      readonly id: number;
      readonly url: string;
      readonly method: string;
      readonly headers: [string, string][];
      readonly body: string | null;
    }
  | { readonly type: 'abort'; readonly id: number };

export type FromTransport =
  | { readonly type: 'head'; readonly id: number; readonly status: number; readonly statusText: string; readonly headers: [string, string][] }
  | { readonly type: 'chunk'; readonly id: number; readonly bytes: Uint8Array }
  | { readonly type: 'end'; readonly id: number }
  | { readonly type: 'failed'; readonly id: number; readonly aborted: boolean; readonly message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const running = new Map<number, AbortController>();
const post = (m: FromTransport, transfer: Transferable[] = []) => scope.postMessage(m, transfer);

scope.onmessage = async (e: MessageEvent<ToTransport>) => {
  const m = e.data;
  if (m.type === 'abort') {
    running.get(m.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(m.id, controller);
  try {
    // The same request the page would make: CORS, no cookies, no referrer.
    const response = await fetch(m.url, {
      method: m.method,
      headers: m.headers,
      body: m.body,
      mode: 'cors',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      signal: controller.signal,
    });
    post({ type: 'head', id: m.id, status: response.status, statusText: response.statusText, headers: [...response.headers] });
    if (response.body) {
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        post({ type: 'chunk', id: m.id, bytes: value }, [value.buffer]);
      }
    }
    post({ type: 'end', id: m.id });
  } catch (err) {
    post({ type: 'failed', id: m.id, aborted: controller.signal.aborted, message: errorMessage(err) });
  } finally {
    running.delete(m.id);
  }
};
