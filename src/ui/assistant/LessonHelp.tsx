/**
 * The notebook's two helpers, wired in one place: the glossary (offline,
 * "/" or Ctrl+K) and the "Ask about this lesson" panel (the lesson's own
 * passages offline, or an opt-in chat server). Both are
 * loaded on first use, so they cost the first page load nothing.
 */
import { lazy, Suspense, useCallback, useRef, useState, type ReactNode } from 'react';
import { GLOSSARY_KEYS, useGlossaryShortcut } from '../glossary/shortcut.ts';

const GlossaryDialog = lazy(() => import('../glossary/GlossaryDialog.tsx'));
const AssistantPanel = lazy(() => import('./AssistantPanel.tsx'));

export interface LessonHelp {
  /** For the toolbar. */
  readonly buttons: ReactNode;
  /** For the end of the page, outside anything that remounts. */
  readonly panels: ReactNode;
}

export function useLessonHelp(section: string): LessonHelp {
  const [glossary, setGlossary] = useState(false);
  // 'never' until first opened: the panel then stays mounted (hidden when closed) to keep the conversation.
  const [assistant, setAssistant] = useState<'never' | 'open' | 'closed'>('never');
  const askButton = useRef<HTMLButtonElement>(null);

  useGlossaryShortcut(useCallback(() => setGlossary(true), []));
  const closeAssistant = useCallback(() => {
    setAssistant('closed');
    askButton.current?.focus();
  }, []);

  const buttons = (
    <>
      <button
        type="button"
        onClick={() => setGlossary(true)}
        aria-haspopup="dialog"
        aria-keyshortcuts={GLOSSARY_KEYS.aria}
        title={`Glossary of the lesson's terms (${GLOSSARY_KEYS.title})`}
      >
        Glossary
      </button>
      <button
        ref={askButton}
        type="button"
        onClick={() => (assistant === 'open' ? closeAssistant() : setAssistant('open'))}
        aria-expanded={assistant === 'open'}
        aria-label="Ask about this lesson"
        title="Ask about this lesson: answers with passages from the lesson, offline (or from a chat server you choose)"
      >
        Ask
      </button>
    </>
  );

  const panels = (
    <>
      <Suspense fallback={null}>{glossary && <GlossaryDialog onClose={() => setGlossary(false)} />}</Suspense>
      <Suspense fallback={null}>
        {assistant !== 'never' && <AssistantPanel open={assistant === 'open'} section={section} onClose={closeAssistant} />}
      </Suspense>
    </>
  );

  return { buttons, panels };
}
