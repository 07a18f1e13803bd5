/**
 * The conversation: turns asked so far, the one in flight, Stop, and what
 * happens when a question fails (it goes back in the box, with the reason).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { sectionById, SECTIONS } from '../../lesson/sections.ts';
import { askChat, AssistantError } from './client.ts';
import { buildMessages, type Exchange } from './prompt.ts';
import { errorMessage } from '../../core/error-message.ts';

export interface Turn {
  readonly id: number;
  readonly question: string;
  /** Section the question was asked in. */
  readonly section: string;
  readonly answer: string;
  readonly status: 'asking' | 'done' | 'stopped';
}

export interface Target {
  readonly endpoint: string;
  readonly model: string;
  readonly apiKey: string;
  /** False until the learner agreed to send to this endpoint. */
  readonly consented: boolean;
  readonly timeoutMs?: number;
}

export interface Conversation {
  readonly turns: readonly Turn[];
  readonly busy: boolean;
  /** Why the last question failed; the question itself is back in the draft. */
  readonly error: string | null;
  readonly draft: string;
  readonly setDraft: (text: string) => void;
  readonly send: (question: string) => void;
  readonly stop: () => void;
  readonly clear: () => void;
}

let nextId = 1;

export function useConversation(target: Target, sectionId: string): Conversation {
  const [turns, setTurns] = useState<readonly Turn[]>([]);
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const inFlight = useRef<AbortController | null>(null);
  useEffect(() => () => inFlight.current?.abort(), []);

  const patch = (id: number, change: (t: Turn) => Turn) => setTurns((ts) => ts.map((t) => (t.id === id ? change(t) : t)));

  const send = useCallback(
    (raw: string) => {
      const question = raw.trim();
      // Nothing leaves the page without consent, whatever the UI shows.
      if (!question || !target.consented || inFlight.current) return;
      const section = sectionById(sectionId) ?? SECTIONS[0];
      const history: Exchange[] = turns.filter((t) => t.status !== 'asking' && t.answer).map((t) => ({ question: t.question, answer: t.answer }));
      const id = nextId++;
      const controller = new AbortController();
      inFlight.current = controller;
      setTurns((ts) => [...ts, { id, question, section: section.id, answer: '', status: 'asking' }]);
      setDraft('');
      setError(null);
      setBusy(true);
      let soFar = '';
      askChat({
        endpoint: target.endpoint,
        model: target.model,
        apiKey: target.apiKey || undefined,
        messages: buildMessages(section, history, question),
        signal: controller.signal,
        timeoutMs: target.timeoutMs,
        onText: (piece) => {
          soFar += piece;
          const text = soFar;
          patch(id, (t) => ({ ...t, answer: text }));
        },
      })
        .then((answer) => patch(id, (t) => ({ ...t, answer, status: 'done' })))
        .catch((e: unknown) => {
          const failure = e instanceof AssistantError ? e : new AssistantError('format', errorMessage(e));
          if (failure.kind === 'stopped' && soFar) {
            patch(id, (t) => ({ ...t, status: 'stopped' })); // keep what had arrived
            return;
          }
          // The question is not lost: back in the box, ready to retry or edit.
          setTurns((ts) => ts.filter((t) => t.id !== id));
          setDraft((d) => d || question);
          setError(failure.kind === 'stopped' ? 'Stopped before the answer began. Your question is back in the box.' : failure.message);
        })
        .finally(() => {
          inFlight.current = null;
          setBusy(false);
        });
    },
    [target, sectionId, turns],
  );

  const stop = useCallback(() => inFlight.current?.abort(), []);
  const clear = useCallback(() => {
    inFlight.current?.abort();
    setTurns([]);
    setError(null);
  }, []);

  return { turns, busy, error, draft, setDraft, send, stop, clear };
}
