/**
 * The assistant's client against a real HTTP server (tests/helpers/chat-stub.ts):
 * what goes over the wire, a JSON answer, a streamed one, and each way it fails.
 * Plus the pieces it stands on: SSE parsing, the messages, endpoint checks, storage.
 */
import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sectionById } from '../../src/lesson/sections.ts';
import { askChat, AssistantError, TRUNCATED } from '../../src/ui/assistant/client.ts';
import { ASSISTANT } from '../../src/ui/assistant/config.ts';
import { buildMessages, recentHistory, type ChatMessage } from '../../src/ui/assistant/prompt.ts';
import {
  API_KEY_KEY,
  checkEndpoint,
  hasConsent,
  loadApiKey,
  loadSettings,
  maskKey,
  mixedContentWarning,
  saveApiKey,
  saveSettings,
  SETTINGS_KEY,
} from '../../src/ui/assistant/settings.ts';
import { SseParser } from '../../src/ui/assistant/sse.ts';
import { chunk, startChatStub, type ChatStub } from '../helpers/chat-stub.ts';

const MESSAGES: ChatMessage[] = [
  { role: 'system', content: 'context' },
  { role: 'user', content: 'What is t?' },
];

let stub: ChatStub;
beforeAll(async () => {
  stub = await startChatStub();
});
afterAll(() => stub.close());
afterEach(() => {
  stub.requests.length = 0;
});

async function failure(p: Promise<unknown>): Promise<AssistantError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(AssistantError);
    return e as AssistantError;
  }
  throw new Error('expected the request to fail');
}

describe('askChat', () => {
  it('posts the OpenAI request and reads a JSON answer', async () => {
    stub.reply({ kind: 'json', text: 'The **masking ratio**.' });
    const answer = await askChat({ endpoint: stub.base, model: 'tiny', messages: MESSAGES });
    expect(answer).toBe('The **masking ratio**.');
    expect(stub.requests).toHaveLength(1);
    const [req] = stub.requests;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBeUndefined();
    expect(req.body).toEqual({ model: 'tiny', messages: MESSAGES, stream: true });
  });

  it('sends an API key only as a bearer header, never in the address', async () => {
    stub.reply({ kind: 'json', text: 'ok' });
    await askChat({ endpoint: stub.base, model: 'tiny', apiKey: 'sk-secret-123', messages: MESSAGES });
    const [req] = stub.requests;
    expect(req.headers.authorization).toBe('Bearer sk-secret-123');
    expect(req.path).not.toContain('secret');
    expect(JSON.stringify(req.body)).not.toContain('secret');
  });

  it('reads a streamed answer piece by piece', async () => {
    stub.reply({ kind: 'stream', pieces: ['Each ', 'token is ', 'hidden with probability $t$.'] });
    const pieces: string[] = [];
    const answer = await askChat({ endpoint: stub.base, model: 'tiny', messages: MESSAGES, onText: (p) => pieces.push(p) });
    expect(pieces).toEqual(['Each ', 'token is ', 'hidden with probability $t$.']);
    expect(answer).toBe(pieces.join(''));
  });

  it('cuts a runaway answer at its cap, with a note, and stops reading it', async () => {
    const piece = '$$\\sum_{i=1}^{n} x_i$$ '.repeat(100); // ~2,400 characters of math a piece
    stub.reply({ kind: 'stream', pieces: Array.from({ length: 200 }, () => piece), delayMs: 0 });
    const pieces: string[] = [];
    const answer = await askChat({ endpoint: stub.base, model: 'tiny', messages: MESSAGES, onText: (p) => pieces.push(p) });
    expect(answer).toBe(pieces.join(''));
    expect(answer.endsWith(TRUNCATED)).toBe(true);
    expect(answer.length - TRUNCATED.length).toBe(ASSISTANT.maxAnswerChars);
    expect(pieces.length).toBeLessThan(20); // it stopped, instead of taking all 200
    stub.reply({ kind: 'json', text: 'x'.repeat(ASSISTANT.maxAnswerChars + 10) });
    const whole = await askChat({ endpoint: stub.base, model: 'tiny', messages: MESSAGES });
    expect(whole).toBe('x'.repeat(ASSISTANT.maxAnswerChars) + TRUNCATED);
  });

  it('copes with events split across network chunks, CRLF lines and keep-alive comments', async () => {
    const a = chunk('Hello');
    const b = chunk(' world').replace(/\n/g, '\r\n');
    stub.reply({
      kind: 'stream',
      raw: [': keep-alive\n\n', a.slice(0, 9), a.slice(9, 30), a.slice(30), b.slice(0, b.length - 3), b.slice(b.length - 3), 'data: [DONE]'],
    });
    const pieces: string[] = [];
    const answer = await askChat({ endpoint: stub.base, model: 'tiny', messages: MESSAGES, onText: (p) => pieces.push(p) });
    expect(answer).toBe('Hello world');
    expect(pieces).toEqual(['Hello', ' world']);
  });

  it('recognises a stream sent with the wrong content type', async () => {
    stub.reply({ kind: 'stream', pieces: ['still ', 'streamed'], contentType: 'text/plain' });
    expect(await askChat({ endpoint: stub.base, model: 'tiny', messages: MESSAGES })).toBe('still streamed');
  });

  it("reports an HTTP error with its status and the server's own message", async () => {
    stub.reply({ kind: 'error', status: 500, message: 'model "tiny" ran out of memory' });
    const e = await failure(askChat({ endpoint: stub.base, model: 'tiny', messages: MESSAGES }));
    expect(e.kind).toBe('http');
    expect(e.status).toBe(500);
    expect(e.message).toContain('500');
    expect(e.message).toContain('model "tiny" ran out of memory');
  });

  it('points at the key on 401 and at the address or model on 404', async () => {
    stub.reply({ kind: 'error', status: 401, message: 'invalid api key' });
    expect((await failure(askChat({ endpoint: stub.base, model: 'm', messages: MESSAGES }))).message).toMatch(
      /401.*invalid api key.*Check the API key/,
    );
    stub.reply({ kind: 'error', status: 404, body: 'Not Found' });
    expect((await failure(askChat({ endpoint: stub.base, model: 'm', messages: MESSAGES }))).message).toMatch(
      /404.*Not Found.*address and the model/,
    );
  });

  it('reports an error the server sends in the middle of a stream', async () => {
    stub.reply({ kind: 'stream', raw: [chunk('Half an '), `data: ${JSON.stringify({ error: { message: 'context length exceeded' } })}\n\n`] });
    const e = await failure(askChat({ endpoint: stub.base, model: 'm', messages: MESSAGES }));
    expect(e.kind).toBe('http');
    expect(e.message).toContain('context length exceeded');
  });

  it('rejects an answer that is not in the chat-completions format', async () => {
    stub.reply({ kind: 'stream', raw: ['{"models": []}'], contentType: 'application/json' });
    expect((await failure(askChat({ endpoint: stub.base, model: 'm', messages: MESSAGES }))).kind).toBe('format');
  });

  it('gives up on a server that never answers, after the time-out', async () => {
    stub.reply({ kind: 'hang' });
    const started = Date.now();
    const e = await failure(askChat({ endpoint: stub.base, model: 'm', messages: MESSAGES, timeoutMs: 300 }));
    expect(e.kind).toBe('timeout');
    expect(e.message).toContain('did not answer within 0.3 seconds');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(stub.requests).toHaveLength(1); // it was sent, and then abandoned
  });

  it('times out a stream that goes quiet half-way', async () => {
    stub.reply({ kind: 'stream', raw: [chunk('one'), chunk('two')], delayMs: 3000 });
    const pieces: string[] = [];
    const e = await failure(askChat({ endpoint: stub.base, model: 'm', messages: MESSAGES, timeoutMs: 400, onText: (p) => pieces.push(p) }));
    expect(e.kind).toBe('timeout');
    expect(pieces).toEqual(['one']);
  });

  it('says so when nothing listens at the address', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as { port: number }).port;
    await new Promise((r) => closed.close(r));
    const e = await failure(askChat({ endpoint: `http://127.0.0.1:${port}/v1`, model: 'm', messages: MESSAGES }));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toContain(`http://127.0.0.1:${port}/v1/chat/completions`);
  });

  it('stops on request, keeping what had streamed', async () => {
    stub.reply({ kind: 'stream', pieces: ['first', 'second', 'third'], delayMs: 150 });
    const stop = new AbortController();
    const pieces: string[] = [];
    const e = await failure(
      askChat({
        endpoint: stub.base,
        model: 'm',
        messages: MESSAGES,
        signal: stop.signal,
        onText: (p) => {
          pieces.push(p);
          stop.abort();
        },
      }),
    );
    expect(e.kind).toBe('stopped');
    expect(pieces).toEqual(['first']);
  });
});

describe('SseParser', () => {
  it('joins multi-line data, ignores comments and fields it does not use, and flushes a last event', () => {
    const p = new SseParser();
    expect(p.push(': hi\nevent: x\nid: 1\ndata: a\ndata: b\n\nda')).toEqual(['a\nb']);
    expect(p.push('ta:c')).toEqual([]);
    expect(p.finish()).toEqual(['c']);
  });
});

describe('the messages', () => {
  const math = sectionById('math')!;

  it("carry the section's text, the history and the question, in that order", () => {
    const msgs = buildMessages(math, [{ question: 'q1', answer: 'a1' }], 'q2');
    expect(msgs.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(msgs[0].content).toContain('section 3, "The math"');
    expect(msgs[0].content).toContain(math.text);
    expect(msgs[0].content).toContain('None of these is the ELBO');
    expect(msgs.slice(1).map((m) => m.content)).toEqual(['q1', 'a1', 'q2']);
  });

  it('send a capped history: long answers cut short, the oldest exchanges dropped first', () => {
    const long = { question: 'q', answer: 'y'.repeat(ASSISTANT.maxHistoryChars) };
    const history = [
      { question: 'old', answer: 'a'.repeat(ASSISTANT.maxHistoryChars / 4 - 10) },
      long,
      long,
      long,
      { question: 'last', answer: 'short' },
    ];
    const kept = recentHistory(history);
    const size = kept.reduce((n, e) => n + e.question.length + e.answer.length, 0);
    expect(size).toBeLessThanOrEqual(ASSISTANT.maxHistoryChars);
    expect(kept.at(-1)).toEqual({ question: 'last', answer: 'short' });
    expect(kept[0].answer.endsWith(' […]')).toBe(true);
    expect(kept.some((e) => e.question === 'old')).toBe(false);
  });

  it('keep only the most recent exchanges', () => {
    const history = Array.from({ length: ASSISTANT.maxExchanges + 3 }, (_, i) => ({ question: `q${i}`, answer: `a${i}` }));
    const msgs = buildMessages(math, history, 'now');
    expect(msgs).toHaveLength(2 + 2 * ASSISTANT.maxExchanges);
    expect(msgs[1].content).toBe('q3');
  });
});

describe('settings', () => {
  it('accept http(s) API bases and trim a pasted /chat/completions', () => {
    expect(checkEndpoint(' http://localhost:11434/v1/ ')).toEqual({ ok: true, endpoint: 'http://localhost:11434/v1' });
    expect(checkEndpoint('https://class.example.org/api/v1/chat/completions')).toEqual({ ok: true, endpoint: 'https://class.example.org/api/v1' });
  });

  it('refuse anything else with a reason', () => {
    const problem = (s: string) => {
      const c = checkEndpoint(s);
      return c.ok ? null : c.problem;
    };
    expect(problem('')).toMatch(/Enter the address/);
    expect(problem('localhost:11434/v1')).toBe('Start the address with http:// or https://, for example http://localhost:11434/v1.');
    expect(problem('http://exa mple/v1')).toMatch(/not a web address/);
    expect(problem('javascript:alert(1)')).toMatch(/Start the address with http:\/\//);
    expect(problem('file:///etc/passwd')).toMatch(/Only http:\/\/ and https:\/\//);
    expect(problem('ftp://host/v1')).toMatch(/Only http/);
    expect(problem('https://user:pw@host/v1')).toMatch(/user name and password/);
    expect(problem('https://host/v1?api_key=sk-1')).toMatch(/no \? or # part/);
  });

  it('warn about plain http to another machine from an https page', () => {
    expect(mixedContentWarning('http://192.168.1.5:11434/v1', 'https:')).toMatch(/block/);
    expect(mixedContentWarning('http://localhost:11434/v1', 'https:')).toBeNull();
    expect(mixedContentWarning('http://192.168.1.5:11434/v1', 'http:')).toBeNull();
  });

  it('tie consent to the endpoint', () => {
    const s = { endpoint: 'http://localhost:11434/v1', model: 'm', consentedTo: 'http://localhost:11434/v1' };
    expect(hasConsent(s)).toBe(true);
    expect(hasConsent({ ...s, endpoint: 'http://localhost:8080/v1' })).toBe(false);
    expect(hasConsent({ ...s, consentedTo: null })).toBe(false);
    expect(hasConsent({ ...s, endpoint: 'javascript:x', consentedTo: 'javascript:x' })).toBe(false);
  });

  it('keep the key in its own entry, apart from the settings, and forget it on request', () => {
    const data = new Map<string, string>();
    const store = {
      getItem: (k: string) => data.get(k) ?? null,
      setItem: (k: string, v: string) => void data.set(k, v),
      removeItem: (k: string) => void data.delete(k),
    };
    saveSettings({ endpoint: 'http://h/v1', model: 'm', consentedTo: null }, store);
    saveApiKey('sk-secret', store);
    expect(data.get(SETTINGS_KEY)).not.toContain('sk-secret');
    expect(data.get(API_KEY_KEY)).toBe('sk-secret');
    expect(loadApiKey(store)).toBe('sk-secret');
    saveApiKey('', store);
    expect(data.has(API_KEY_KEY)).toBe(false);
    expect(loadSettings(store)).toEqual({ endpoint: 'http://h/v1', model: 'm', consentedTo: null });
    expect(loadSettings({ ...store, getItem: () => '{broken' }).consentedTo).toBeNull();
    expect(maskKey('sk-abcdefghijkl')).toBe('sk-…ijkl');
  });
});
