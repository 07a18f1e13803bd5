/**
 * What the assistant sends: one system message with the current section's
 * text, the recent conversation, and the new question. This is everything
 * the server sees; the consent notice describes exactly this.
 */
import type { Section } from '../../lesson/sections.ts';
import { ASSISTANT } from './config.ts';

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** One finished exchange of the conversation. */
export interface Exchange {
  readonly question: string;
  readonly answer: string;
}

export const LESSON_TITLE = 'Masked diffusion for text: the forward process';

export function systemPrompt(section: Pick<Section, 'index' | 'title' | 'text'>): string {
  return [
    `You are a patient teaching assistant for the interactive lesson "${LESSON_TITLE}".`,
    `The learner is reading section ${section.index}, "${section.title}". Its text follows between the lines of dashes; math is written in TeX.`,
    'Answer questions about the lesson clearly and briefly, using the section where it helps. Use Markdown, and write math as $...$ or $$...$$.',
    'If a question has nothing to do with the lesson, say so in a sentence.',
    '-----',
    section.text,
    '-----',
  ].join('\n');
}

/** The recent exchanges that fit the history budget, newest kept first; each long answer cut short. */
export function recentHistory(history: readonly Exchange[], maxExchanges = ASSISTANT.maxExchanges, maxChars = ASSISTANT.maxHistoryChars): Exchange[] {
  const perAnswer = Math.floor(maxChars / 4);
  const kept: Exchange[] = [];
  let used = 0;
  for (const e of history.slice(-maxExchanges).reverse()) {
    const answer = e.answer.length > perAnswer ? `${e.answer.slice(0, perAnswer)} […]` : e.answer;
    const size = e.question.length + answer.length;
    if (used + size > maxChars) break;
    used += size;
    kept.unshift({ question: e.question, answer });
  }
  return kept;
}

export function buildMessages(section: Pick<Section, 'index' | 'title' | 'text'>, history: readonly Exchange[], question: string): ChatMessage[] {
  const recent = recentHistory(history);
  return [
    { role: 'system', content: systemPrompt(section) },
    ...recent.flatMap((e): ChatMessage[] => [
      { role: 'user', content: e.question },
      { role: 'assistant', content: e.answer },
    ]),
    { role: 'user', content: question },
  ];
}
