/**
 * "Ask about this lesson": a side panel that answers, by default, with the
 * lesson's own passages, found offline (src/ui/lesson-search). Its other mode
 * sends questions, with the current section's text, to a chat server the
 * learner or instructor chose: off until configured, and silent until the
 * learner agrees to what is sent (per endpoint). Stays mounted while hidden,
 * so both conversations survive closing the panel.
 */
import { useEffect, useRef, useState } from 'react';
import './assistant.css';
import { suggestionsFor } from '../../lesson/questions.ts';
import { LessonAnswers } from '../lesson-search/LessonAnswers.tsx';
import { loadMode, saveMode, type AskMode } from '../lesson-search/mode.ts';
import { ModeSwitch } from '../lesson-search/ModeSwitch.tsx';
import { sectionById, SECTIONS } from '../../lesson/sections.ts';
import { ConsentNotice } from './ConsentNotice.tsx';
import { loadMathFonts } from './math-fonts.ts';
import { Conversation } from './Conversation.tsx';
import { checkEndpoint, hasConsent, loadApiKey, loadSettings, NO_SETTINGS, saveApiKey, saveSettings, type AssistantSettings } from './settings.ts';
import { SettingsForm } from './SettingsForm.tsx';
import { useConversation } from './useConversation.ts';

export interface AssistantPanelProps {
  readonly open: boolean;
  /** The section being read: its text goes with each question. */
  readonly section: string;
  readonly onClose: () => void;
  /** Tests shorten the wait for a silent server. */
  readonly timeoutMs?: number;
}

export default function AssistantPanel({ open, section, onClose, timeoutMs }: AssistantPanelProps) {
  const [settings, setSettings] = useState<AssistantSettings>(loadSettings);
  const [apiKey, setApiKey] = useState(loadApiKey);
  const [editing, setEditing] = useState(false);
  const [mode, setMode] = useState<AskMode>(() => loadMode(hasConsent(settings)));
  // The lesson mode (and its index download) starts only once it is first shown.
  const [lessonUsed, setLessonUsed] = useState(mode === 'lesson');
  const endpoint = checkEndpoint(settings.endpoint);
  const consented = hasConsent(settings);
  const conversation = useConversation(
    { endpoint: endpoint.ok ? endpoint.endpoint : '', model: settings.model, apiKey, consented, timeoutMs },
    section,
  );
  const current = sectionById(section) ?? SECTIONS[0];
  const view = editing || !endpoint.ok || !settings.model ? 'settings' : consented ? 'chat' : 'consent';

  const update = (next: AssistantSettings) => {
    setSettings(next);
    saveSettings(next);
  };

  // Opening, or switching view, puts focus where the learner acts next. Switching
  // mode does not: focus stays on the radio buttons, which arrow keys move between.
  const root = useRef<HTMLDivElement>(null);
  // Answers quote the lesson's math from any section: its fonts come now, while online (math-fonts.ts).
  useEffect(() => {
    if (open) loadMathFonts();
  }, [open]);
  const modeNow = useRef(mode);
  modeNow.current = mode;
  useEffect(() => {
    if (!open) return;
    const target = root.current?.querySelector<HTMLElement>(
      modeNow.current === 'lesson'
        ? '#lesson-question'
        : view === 'chat'
          ? '#assistant-question'
          : view === 'settings'
            ? '#assistant-endpoint'
            : '#assistant-consent-title',
    );
    target?.focus();
  }, [open, view]);

  return (
    <div
      ref={root}
      className="assistant-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="assistant-title"
      hidden={!open}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.stopPropagation(); // projector mode must not also take this Esc
        onClose();
      }}
    >
      <header className="assistant-head">
        <h2 id="assistant-title">Ask about this lesson</h2>
        <div className="assistant-head-actions">
          {mode === 'server' && view === 'chat' && (
            <button type="button" className="quiet" onClick={() => setEditing(true)}>
              Settings
            </button>
          )}
          <button type="button" className="quiet" onClick={onClose} aria-label="Close the assistant">
            ✕
          </button>
        </div>
      </header>
      <ModeSwitch
        mode={mode}
        onChange={(next) => {
          setMode(next);
          saveMode(next);
          if (next === 'lesson') setLessonUsed(true);
        }}
      />
      {/* Both stay mounted, so switching back and forth keeps each conversation. */}
      {lessonUsed && (
        <div className="assistant-mode-body" hidden={mode !== 'lesson'}>
          <LessonAnswers suggestions={suggestionsFor(current.id)} />
        </div>
      )}
      <div className="assistant-mode-body" hidden={mode !== 'server'}>
        {view === 'settings' && (
          <SettingsForm
            key={settings.endpoint} // a fresh form after "Turn off", not the old drafts
            settings={settings}
            apiKey={apiKey}
            onSave={(next, key) => {
              update(next);
              setApiKey(key);
              saveApiKey(key);
              setEditing(false);
            }}
            onRemoveKey={() => {
              setApiKey('');
              saveApiKey('');
            }}
            onTurnOff={() => {
              conversation.clear();
              update({ ...NO_SETTINGS, endpoint: '', model: '' });
              setApiKey('');
              saveApiKey('');
              setEditing(false);
            }}
            onCancel={endpoint.ok && settings.model ? () => setEditing(false) : undefined}
          />
        )}
        {view === 'consent' && endpoint.ok && (
          <ConsentNotice
            endpoint={endpoint.endpoint}
            model={settings.model}
            hasKey={apiKey !== ''}
            sectionTitle={`${current.index}. ${current.title}`}
            onAgree={() => update({ ...settings, endpoint: endpoint.endpoint, consentedTo: endpoint.endpoint })}
            onSettings={() => setEditing(true)}
            onDecline={onClose}
          />
        )}
        {view === 'chat' && (
          <Conversation
            conversation={conversation}
            section={current}
            suggestions={suggestionsFor(current.id)}
            endpoint={endpoint.ok ? endpoint.endpoint : ''}
          />
        )}
      </div>
    </div>
  );
}
