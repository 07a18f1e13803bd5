/** The conversation view: questions and answers, suggestions for this section, and the question box. */
import { useEffect, useRef } from 'react';
import type { Section } from '../../lesson/sections.ts';
import { Answer } from './Answer.tsx';
import type { Conversation as State } from './useConversation.ts';

export interface ConversationProps {
  readonly conversation: State;
  readonly section: Section;
  readonly suggestions: readonly string[];
  readonly endpoint: string;
}

export function Conversation({ conversation, section, suggestions, endpoint }: ConversationProps) {
  const { turns, busy, error, draft, setDraft, send, stop, clear } = conversation;
  const log = useRef<HTMLDivElement>(null);
  const last = turns[turns.length - 1];

  // Follow the answer as it grows.
  useEffect(() => {
    const el = log.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [turns.length, last?.answer]);

  return (
    <>
      <p className="assistant-context">
        About section {section.index}: {section.title}
      </p>
      <div className="assistant-log" ref={log} tabIndex={turns.length > 0 ? 0 : undefined} aria-label="Conversation">
        {turns.length === 0 && <p className="hint">Ask anything about the lesson, or pick a suggestion below.</p>}
        {turns.map((t) => (
          <div key={t.id} className="assistant-turn" data-status={t.status}>
            <p className="assistant-question">
              <span className="visually-hidden">You asked: </span>
              {t.question}
            </p>
            <div className="assistant-answer">
              <span className="visually-hidden">Answer: </span>
              {t.answer ? (
                <Answer text={t.answer} />
              ) : (
                t.status === 'asking' && (
                  <p className="running">
                    <span className="spinner" aria-hidden="true" /> Waiting for the server…
                  </p>
                )
              )}
              {t.status === 'stopped' && <p className="hint">(Stopped.)</p>}
            </div>
          </div>
        ))}
      </div>
      {/* Announce the start and end of an answer, not every streamed word. */}
      <p className="visually-hidden" role="status">
        {busy ? 'Answering…' : last?.status === 'done' ? 'Answer ready.' : ''}
      </p>
      {error && (
        <div className="assistant-error" role="alert">
          <p className="error">{error}</p>
          <button type="button" onClick={() => send(draft)} disabled={busy || !draft.trim()}>
            Try again
          </button>
        </div>
      )}
      {!busy && suggestions.length > 0 && (
        <div className="assistant-suggestions" role="group" aria-label="Suggested questions">
          {suggestions.map((q) => (
            <button key={q} type="button" className="quiet" onClick={() => send(q)}>
              {q}
            </button>
          ))}
        </div>
      )}
      <form
        className="assistant-form"
        onSubmit={(e) => {
          e.preventDefault();
          send(draft);
        }}
      >
        <label htmlFor="assistant-question">Your question</label>
        <textarea
          id="assistant-question"
          rows={3}
          value={draft}
          aria-describedby="assistant-privacy"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            // Enter asks; Shift+Enter starts a new line.
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send(draft);
            }
          }}
        />
        <div className="button-row">
          {busy ? (
            <button type="button" onClick={stop}>
              Stop
            </button>
          ) : (
            <button type="submit" className="run" disabled={!draft.trim()}>
              Ask
            </button>
          )}
          <button type="button" className="quiet" onClick={clear} disabled={busy || turns.length === 0}>
            Clear conversation
          </button>
        </div>
        <p id="assistant-privacy" className="hint">
          Sent to {endpoint} with this section's text and the conversation.
        </p>
      </form>
    </>
  );
}
