/** The assistant's fixed settings, in one place. */
export const ASSISTANT = Object.freeze({
  /**
   * How long to wait for the server to start answering, and then for each
   * further piece of a streamed answer. Generous on purpose: a local model
   * that is not yet in memory can take most of a minute to load.
   */
  timeoutMs: 60_000,
  /**
   * Earlier questions and answers sent with a new question. Small local
   * models have small context windows; the oldest exchanges go first.
   */
  maxExchanges: 8,
  /**
   * Most characters of history sent with a question (each answer in it cut
   * to a quarter of this): a long answer must not swell every later request.
   */
  maxHistoryChars: 16_000,
  /**
   * An answer is read up to this many characters, then cut with a note: a
   * runaway server once sent 5 MB of math, and rendering it froze the page.
   */
  maxAnswerChars: 24_000,
  /** Ready-made endpoints for the settings form: the usual local servers. */
  presets: [
    { label: 'Ollama on this computer', endpoint: 'http://localhost:11434/v1', model: 'llama3.2' },
    { label: 'llama.cpp server on this computer', endpoint: 'http://localhost:8080/v1', model: 'local' },
  ],
} as const);

/**
 * An instructor can build the lesson with a class server filled in
 * (VITE_ASSISTANT_ENDPOINT, VITE_ASSISTANT_MODEL). It is only a default for
 * the form: each learner still has to agree before anything is sent. Keys are
 * deliberately not configurable here, since anything built in is public.
 */
export const BUILT_IN_DEFAULTS = Object.freeze({
  endpoint: (import.meta.env?.VITE_ASSISTANT_ENDPOINT as string | undefined) ?? '',
  model: (import.meta.env?.VITE_ASSISTANT_MODEL as string | undefined) ?? '',
});
