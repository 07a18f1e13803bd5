/**
 * A tiny OpenAI-compatible chat server on 127.0.0.1 for the assistant's tests:
 * POST /v1/chat/completions answers however the test says (JSON, a stream,
 * an error, or never), and every request is recorded. CORS is open, as a
 * local Ollama or llama.cpp server would be for this page.
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

export type Reply =
  /** A complete answer as one JSON body. */
  | { readonly kind: 'json'; readonly text: string }
  /** Server-sent events, one piece of text per event; `raw` writes the given chunks verbatim instead. */
  | {
      readonly kind: 'stream';
      readonly pieces?: readonly string[];
      readonly raw?: readonly string[];
      readonly delayMs?: number;
      readonly contentType?: string;
    }
  /** An HTTP error with a body (JSON {error:{message}} unless `body` is given). */
  | { readonly kind: 'error'; readonly status: number; readonly message?: string; readonly body?: string }
  /** Accept the request and never answer. */
  | { readonly kind: 'hang' };

export interface ChatRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: { model?: string; stream?: boolean; messages?: { role: string; content: string }[] } & Record<string, unknown>;
}

export interface ChatStub {
  /** The API base to configure, e.g. http://127.0.0.1:4321/v1. */
  readonly base: string;
  /** POSTs received, in order (CORS preflights are not counted). */
  readonly requests: ChatRequest[];
  /** How to answer from now on: one reply for every request, or a function of the request. */
  reply(r: Reply | ((req: ChatRequest, n: number) => Reply)): void;
  close(): Promise<void>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Content-Type, Authorization',
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const chunk = (content: string) =>
  `data: ${JSON.stringify({ object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content } }] })}\n\n`;

async function answer(res: ServerResponse, reply: Reply): Promise<void> {
  switch (reply.kind) {
    case 'json':
      res.writeHead(200, { ...CORS, 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          object: 'chat.completion',
          choices: [{ index: 0, message: { role: 'assistant', content: reply.text }, finish_reason: 'stop' }],
        }),
      );
      return;
    case 'stream': {
      res.writeHead(200, { ...CORS, 'Content-Type': reply.contentType ?? 'text/event-stream', 'Cache-Control': 'no-cache' });
      const parts = reply.raw ?? [
        `data: ${JSON.stringify({ choices: [{ index: 0, delta: { role: 'assistant' } }] })}\n\n`,
        ...(reply.pieces ?? []).map(chunk),
        'data: [DONE]\n\n',
      ];
      for (const part of parts) {
        if (res.destroyed) return;
        res.write(part);
        await sleep(reply.delayMs ?? 5);
      }
      res.end();
      return;
    }
    case 'error':
      res.writeHead(reply.status, { ...CORS, 'Content-Type': 'application/json' });
      res.end(reply.body ?? JSON.stringify({ error: { message: reply.message ?? 'failed', type: 'server_error' } }));
      return;
    case 'hang':
      return; // the socket stays open until the client gives up or the stub closes
  }
}

export async function startChatStub(): Promise<ChatStub> {
  const requests: ChatRequest[] = [];
  let policy: (req: ChatRequest, n: number) => Reply = () => ({ kind: 'json', text: 'stub answer' });

  const server = createServer((req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, { ...CORS, 'Access-Control-Max-Age': '600' }).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      if (req.method !== 'POST' || path !== '/v1/chat/completions') {
        res
          .writeHead(404, { ...CORS, 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: { message: `no route ${req.method} ${path}` } }));
        return;
      }
      let body: ChatRequest['body'];
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest['body'];
      } catch {
        res.writeHead(400, CORS).end('{"error":{"message":"bad JSON"}}');
        return;
      }
      const request: ChatRequest = { path, headers: req.headers, body };
      requests.push(request);
      void answer(res, policy(request, requests.length));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('chat stub has no port');

  return {
    base: `http://127.0.0.1:${address.port}/v1`,
    requests,
    reply(r) {
      policy = typeof r === 'function' ? r : () => r;
    },
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
