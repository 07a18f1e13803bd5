/**
 * `fetch` for the assistant, carried by transport.worker.ts so that the page's
 * own policy can stay connect-src 'self' (see that file and the README,
 * "Security"). It returns an ordinary Response whose body streams as the
 * worker receives it, and honours the request's AbortSignal. Where there are
 * no workers (Node and jsdom tests), it is the plain fetch.
 */
import type { FromTransport, ToTransport } from './transport.worker.ts';

let worker: Worker | null = null;
let nextId = 1;

function transport(): Worker {
  worker ??= new Worker(new URL('./transport.worker.ts', import.meta.url), { type: 'module', name: 'unmask-assistant' });
  return worker;
}

export function assistantFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  if (typeof Worker === 'undefined') return fetch(url, { ...init, mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' });
  const w = transport();
  const id = nextId++;
  return new Promise<Response>((resolve, reject) => {
    let body: ReadableStreamDefaultController<Uint8Array> | null = null;
    const done = () => {
      w.removeEventListener('message', onMessage);
      init.signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = () => w.postMessage({ type: 'abort', id } satisfies ToTransport);
    const onMessage = (e: MessageEvent<FromTransport>) => {
      const m = e.data;
      if (m.id !== id) return;
      if (m.type === 'head') {
        const stream = new ReadableStream<Uint8Array>({ start: (c) => void (body = c) });
        // A null-body status (204, 304) cannot carry a stream.
        const nullBody = [101, 204, 205, 304].includes(m.status);
        resolve(new Response(nullBody ? null : stream, { status: m.status, statusText: m.statusText, headers: m.headers }));
      } else if (m.type === 'chunk') body?.enqueue(m.bytes);
      else if (m.type === 'end') {
        body?.close();
        done();
      } else {
        // As fetch itself fails: an AbortError when stopped, a TypeError when the server cannot be reached.
        const error = m.aborted ? new DOMException('The request was aborted.', 'AbortError') : new TypeError(`Failed to fetch: ${m.message}`);
        if (body) body.error(error);
        else reject(error);
        done();
      }
    };
    w.addEventListener('message', onMessage);
    init.signal?.addEventListener('abort', onAbort);
    if (init.signal?.aborted) onAbort();
    w.postMessage({
      type: 'fetch',
      id,
      url,
      method: init.method ?? 'GET',
      headers: Object.entries(init.headers ?? {}),
      body: init.body ?? null,
    } satisfies ToTransport);
  });
}
