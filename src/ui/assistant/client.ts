/**
 * One question to an OpenAI-compatible chat-completions endpoint.
 *
 * Asks for a stream and takes whatever comes back: server-sent events are
 * read as they arrive, a plain JSON answer all at once. Every way this can go
 * wrong ends in an AssistantError whose message a learner can act on.
 */
import { ASSISTANT } from './config.ts';
import type { ChatMessage } from './prompt.ts';
import { SseParser } from './sse.ts';
import { assistantFetch } from './transport.ts';

export type FailureKind = 'unreachable' | 'timeout' | 'http' | 'format' | 'stopped';

export class AssistantError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AssistantError';
  }
}

export interface AskOptions {
  /** Base URL, already checked by checkEndpoint. */
  readonly endpoint: string;
  readonly model: string;
  readonly apiKey?: string;
  readonly messages: readonly ChatMessage[];
  /** Stop button. */
  readonly signal?: AbortSignal;
  /** Called with each new piece of a streamed answer. */
  readonly onText?: (piece: string) => void;
  /** Wait for the first byte, and between pieces (tests use a short one). */
  readonly timeoutMs?: number;
}

/** Send the question; resolves with the whole answer. */
export async function askChat(opts: AskOptions): Promise<string> {
  const timeoutMs = opts.timeoutMs ?? ASSISTANT.timeoutMs;
  const url = `${opts.endpoint}/chat/completions`;
  // One controller for both the learner's Stop and our time-out, so either cancels the request.
  const controller = new AbortController();
  let why: 'stopped' | 'timeout' | null = null;
  const abort = (reason: 'stopped' | 'timeout') => {
    why ??= reason;
    controller.abort();
  };
  const onStop = () => abort('stopped');
  if (opts.signal?.aborted) throw stopped();
  opts.signal?.addEventListener('abort', onStop);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => abort('timeout'), timeoutMs);
  };

  const fail = (e: unknown): AssistantError => {
    if (why === 'stopped') return stopped();
    if (why === 'timeout')
      return new AssistantError(
        'timeout',
        `${url} did not answer within ${Number((timeoutMs / 1000).toFixed(1))} seconds. A local model may still be loading: try again in a moment.`,
      );
    if (e instanceof AssistantError) return e;
    // fetch rejects with a TypeError when it cannot connect, including when CORS headers are missing.
    return new AssistantError(
      'unreachable',
      `Could not reach ${url}. Check that the server is running and that it allows requests from this page (CORS; for Ollama, set OLLAMA_ORIGINS).`,
    );
  };

  try {
    arm();
    // From the assistant's own worker: the page's policy lets it connect only to the lesson.
    const response = await assistantFetch(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'text/event-stream, application/json',
        ...(opts.apiKey ? { Authorization: `Bearer ${opts.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: opts.model, messages: opts.messages, stream: true }),
      signal: controller.signal,
    });
    arm();
    if (!response.ok) throw await httpError(response, url);
    return await readAnswer(response, arm, opts.onText);
  } catch (e) {
    const error = fail(e);
    controller.abort(); // a server that errs mid-stream may keep sending: hang up
    throw error;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onStop);
  }
}

function stopped(): AssistantError {
  return new AssistantError('stopped', 'Stopped.');
}

async function httpError(response: Response, url: string): Promise<AssistantError> {
  const body = await response.text().catch(() => '');
  const said = serverMessage(body);
  const hint =
    response.status === 401 || response.status === 403
      ? ' Check the API key.'
      : response.status === 404
        ? ' Check the address and the model name.'
        : '';
  const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  return new AssistantError('http', `${url} answered with an error (${status})${said ? `: ${said}` : '.'}${hint}`, response.status);
}

/** The server's own explanation, from {"error": {"message"}} or {"error": "…"}, kept short. */
function serverMessage(body: string): string {
  try {
    const v = JSON.parse(body) as { error?: { message?: unknown } | string; message?: unknown };
    const m = typeof v.error === 'string' ? v.error : (v.error?.message ?? v.message);
    if (typeof m === 'string' && m.trim()) return m.trim().slice(0, 300);
  } catch {
    // not JSON: fall through to a snippet of the text
  }
  return body.trim().slice(0, 200);
}

async function readAnswer(response: Response, keepAlive: () => void, onText?: (piece: string) => void): Promise<string> {
  if (!response.body) return parseJsonAnswer(await response.text());
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const sse = new SseParser();
  let mode: 'sse' | 'json' | null = /text\/event-stream/i.test(response.headers.get('content-type') ?? '') ? 'sse' : null;
  let raw = '';
  let answer = '';
  let full = false;
  const take = (events: string[]) => {
    for (const data of events) {
      const piece = full ? '' : streamPiece(data);
      if (!piece) continue;
      const room = ASSISTANT.maxAnswerChars - answer.length;
      const kept = piece.length > room ? piece.slice(0, room) + TRUNCATED : piece;
      full = piece.length > room;
      answer += kept;
      onText?.(kept);
    }
  };
  for (;;) {
    if (full || raw.length > ASSISTANT.maxAnswerChars * 4) {
      // Enough: stop reading (the server may go on sending), and keep what fits.
      void reader.cancel().catch(() => undefined);
      break;
    }
    const { done, value } = await reader.read();
    keepAlive();
    const text = done ? decoder.decode() : decoder.decode(value, { stream: true });
    // Some servers stream without the right content type: "data:" at the start tells.
    if (mode === null && (raw + text).trim()) mode = /^\s*(data:|:|event:)/.test(raw + text) ? 'sse' : 'json';
    if (mode === 'sse') {
      take(sse.push(raw + text));
      raw = '';
    } else raw += text;
    if (done) break;
  }
  if (mode === 'sse') {
    if (!full) take(sse.finish());
    return answer;
  }
  if (raw.length > ASSISTANT.maxAnswerChars * 4) {
    throw new AssistantError(
      'format',
      `The server sent an answer of more than ${(ASSISTANT.maxAnswerChars * 4).toLocaleString('en-US')} characters in one piece; it was not read. Ask for a shorter one.`,
    );
  }
  const whole = parseJsonAnswer(raw);
  return whole.length > ASSISTANT.maxAnswerChars ? whole.slice(0, ASSISTANT.maxAnswerChars) + TRUNCATED : whole;
}

/** Appended where an answer was cut at ASSISTANT.maxAnswerChars. */
export const TRUNCATED = `\n\n*(The answer was cut here: it ran past ${ASSISTANT.maxAnswerChars.toLocaleString('en-US')} characters.)*`;

/** One streamed event: a piece of text, '' for events without any, or an error the server sent mid-stream. */
function streamPiece(data: string): string {
  if (data.trim() === '[DONE]') return '';
  let v: { choices?: { delta?: { content?: unknown } }[]; error?: unknown };
  try {
    v = JSON.parse(data) as typeof v;
  } catch {
    throw new AssistantError('format', 'The server streamed something that is not in the chat-completions format.');
  }
  if (v.error) throw new AssistantError('http', `The server reported an error: ${serverMessage(data) || 'no details'}.`);
  const content = v.choices?.[0]?.delta?.content;
  return typeof content === 'string' ? content : '';
}

function parseJsonAnswer(body: string): string {
  try {
    const v = JSON.parse(body) as { choices?: { message?: { content?: unknown } }[] };
    const content = v.choices?.[0]?.message?.content;
    if (typeof content === 'string') return content;
  } catch {
    // reported below
  }
  throw new AssistantError(
    'format',
    'The server answered, but not in the chat-completions format. Is the address the API base (often ending in /v1)?',
  );
}
