/**
 * "Ask about this lesson" with no server: a question is answered with the
 * two or three passages of the lesson (prose, glossary, narration) that
 * match it best, quoted as they are, each with a link to its section. Nothing
 * is generated and nothing leaves the page.
 */
import { useEffect, useRef, useState } from 'react';
import { searchLesson, type Found } from '../../search/lesson-search.ts';
import { sectionById } from '../../lesson/sections.ts';
import { loadLessonIndex } from './load-index.ts';
import './lesson-search.css';
import { errorMessage } from '../../core/error-message.ts';

export interface LessonAnswersProps {
  /** The suggested questions of the section being read. */
  readonly suggestions: readonly string[];
}

interface Exchange {
  readonly id: number;
  readonly question: string;
  /** null while the index loads. */
  readonly found: readonly Found[] | null;
}

/** Enough history to scroll back through, not a growing page. */
const KEPT = 20;

const KIND_LABEL: Readonly<Record<Found['kind'], string>> = { section: 'Lesson text', glossary: 'Glossary', narration: 'Narration' };

function PassageView({ passage }: { readonly passage: Found }) {
  const section = sectionById(passage.section);
  const where = section ? `section ${section.index}, ${section.title}` : passage.section;
  const source =
    passage.kind === 'section'
      ? `${where} · ${passage.heading}`
      : passage.kind === 'glossary'
        ? `${passage.heading} (explained in ${where})`
        : `${passage.heading}, ${where}`;
  return (
    <li className="lesson-passage" data-kind={passage.kind} data-section={passage.section}>
      <p className="lesson-passage-source">
        <span className="lesson-passage-kind">{KIND_LABEL[passage.kind]}</span> {source}
      </p>
      {/* Rendered at build time from the lesson's own files, like the prose itself. */}
      <blockquote className="lesson-passage-text prose" dangerouslySetInnerHTML={{ __html: passage.html }} />
      {section && (
        <a href={`?section=${section.id}`} data-section-link={section.id}>
          Go to section {section.index}: {section.title}
        </a>
      )}
    </li>
  );
}

export function LessonAnswers({ suggestions }: LessonAnswersProps) {
  const [exchanges, setExchanges] = useState<readonly Exchange[]>([]);
  const [draft, setDraft] = useState('');
  const [failure, setFailure] = useState<string | null>(null);
  const nextId = useRef(0);
  const log = useRef<HTMLDivElement>(null);
  const last = exchanges[exchanges.length - 1];

  // Fetch the index as soon as this mode shows, so the first question does not wait for it.
  useEffect(() => {
    loadLessonIndex().catch(() => undefined);
  }, []);

  // Show the newest question at the top of the log, its passages below it: read from the start, not the end.
  useEffect(() => {
    const el = log.current;
    const turn = el?.lastElementChild;
    if (el && turn instanceof HTMLElement) el.scrollTop = turn.offsetTop - el.offsetTop;
  }, [exchanges]);

  const ask = (raw: string) => {
    const question = raw.trim();
    if (!question) return;
    const id = nextId.current++;
    setFailure(null);
    setDraft('');
    setExchanges((xs) => [...xs, { id, question, found: null }].slice(-KEPT));
    loadLessonIndex().then(
      (index) => {
        const found = searchLesson(index, question);
        setExchanges((xs) => xs.map((x) => (x.id === id ? { ...x, found } : x)));
      },
      (e: unknown) => {
        setExchanges((xs) => xs.filter((x) => x.id !== id));
        setDraft(question); // back in the box, to try again
        setFailure(`The lesson's search index could not be loaded (${errorMessage(e)}). Reload the page once you are online, then ask again.`);
      },
    );
  };

  const announcement = !last
    ? ''
    : last.found === null
      ? 'Searching the lesson…'
      : last.found.length === 0
        ? 'No passage of the lesson matches.'
        : `${last.found.length} ${last.found.length === 1 ? 'passage' : 'passages'} from the lesson.`;

  return (
    <>
      <p className="assistant-context">
        Answers are passages quoted from the lesson's text, glossary and narration, found on this computer: nothing is generated, nothing is sent.
      </p>
      <div className="assistant-log" ref={log} tabIndex={exchanges.length > 0 ? 0 : undefined} aria-label="Questions and passages">
        {exchanges.length === 0 && <p className="hint">Ask a question in your own words, or pick a suggestion below.</p>}
        {exchanges.map((x) => (
          <div key={x.id} className="assistant-turn">
            <p className="assistant-question">
              <span className="visually-hidden">You asked: </span>
              {x.question}
            </p>
            <div className="assistant-answer">
              {x.found === null ? (
                <p className="running">
                  <span className="spinner" aria-hidden="true" /> Searching the lesson…
                </p>
              ) : x.found.length === 0 ? (
                <p className="hint">No passage of the lesson matches these words. Try other words for the same idea, or open the glossary.</p>
              ) : (
                <>
                  <p className="lesson-answer-label">From the lesson, quoted as written (not a generated answer):</p>
                  <ol className="lesson-passages">
                    {x.found.map((p) => (
                      <PassageView key={p.doc} passage={p} />
                    ))}
                  </ol>
                </>
              )}
            </div>
          </div>
        ))}
      </div>
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      {failure && (
        <p className="error" role="alert">
          {failure}
        </p>
      )}
      {suggestions.length > 0 && (
        <div className="assistant-suggestions" role="group" aria-label="Suggested questions">
          {suggestions.map((q) => (
            <button key={q} type="button" className="quiet" onClick={() => ask(q)}>
              {q}
            </button>
          ))}
        </div>
      )}
      <form
        className="assistant-form"
        onSubmit={(e) => {
          e.preventDefault();
          ask(draft);
        }}
      >
        <label htmlFor="lesson-question">Your question</label>
        <textarea
          id="lesson-question"
          rows={2}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            // Enter asks; Shift+Enter starts a new line.
            if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              ask(draft);
            }
          }}
        />
        <div className="button-row">
          <button type="submit" className="run" disabled={!draft.trim()}>
            Search the lesson
          </button>
          <button type="button" className="quiet" onClick={() => setExchanges([])} disabled={exchanges.length === 0}>
            Clear
          </button>
        </div>
      </form>
    </>
  );
}
