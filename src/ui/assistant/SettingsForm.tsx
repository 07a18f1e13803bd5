/** Where to send questions: endpoint, model, optional API key. Nothing is sent from here. */
import { useState } from 'react';
import { ASSISTANT } from './config.ts';
import { checkEndpoint, maskKey, mixedContentWarning, type AssistantSettings } from './settings.ts';

export interface SettingsFormProps {
  readonly settings: AssistantSettings;
  readonly apiKey: string;
  readonly onSave: (settings: AssistantSettings, apiKey: string) => void;
  readonly onRemoveKey: () => void;
  /** Forget the endpoint and the consent: the assistant is off again. */
  readonly onTurnOff: () => void;
  /** Present when there is a working set-up to go back to. */
  readonly onCancel?: () => void;
}

export function SettingsForm({ settings, apiKey, onSave, onRemoveKey, onTurnOff, onCancel }: SettingsFormProps) {
  const [endpoint, setEndpoint] = useState(settings.endpoint);
  const [model, setModel] = useState(settings.model);
  const [keyDraft, setKeyDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const check = checkEndpoint(endpoint);
  const warning = check.ok ? mixedContentWarning(check.endpoint) : null;

  const save = () => {
    if (!check.ok) return setProblem(check.problem);
    if (!model.trim()) return setProblem('Enter the name of the model to ask, for example llama3.2.');
    setProblem(null);
    // An empty key field keeps the stored key; "Remove key" is how it goes.
    onSave({ ...settings, endpoint: check.endpoint, model: model.trim() }, keyDraft.trim() || apiKey);
  };

  return (
    <form
      className="assistant-settings"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        save();
      }}
    >
      <p>
        The assistant is off until you choose a chat server here. Any server that speaks the OpenAI chat-completions format works: Ollama or a
        llama.cpp server on your own computer, or one your class provides.
      </p>
      <div className="button-row">
        {ASSISTANT.presets.map((p) => (
          <button
            key={p.endpoint}
            type="button"
            className="quiet"
            onClick={() => {
              setEndpoint(p.endpoint);
              if (!model.trim()) setModel(p.model);
              setProblem(null);
            }}
          >
            {p.label}
          </button>
        ))}
      </div>
      <label htmlFor="assistant-endpoint">Server address (API base)</label>
      <input
        id="assistant-endpoint"
        type="url"
        inputMode="url"
        autoComplete="off"
        spellCheck={false}
        placeholder="http://localhost:11434/v1"
        value={endpoint}
        aria-invalid={problem !== null && !check.ok}
        aria-describedby="assistant-endpoint-help"
        onChange={(e) => setEndpoint(e.target.value)}
      />
      <p id="assistant-endpoint-help" className="hint">
        Questions go to this address followed by /chat/completions.
      </p>
      <label htmlFor="assistant-model">Model</label>
      <input
        id="assistant-model"
        autoComplete="off"
        spellCheck={false}
        placeholder="llama3.2"
        value={model}
        onChange={(e) => setModel(e.target.value)}
      />
      <label htmlFor="assistant-key">API key (optional)</label>
      <input
        id="assistant-key"
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder={apiKey ? `stored: ${maskKey(apiKey)}` : 'only if the server asks for one'}
        value={keyDraft}
        aria-describedby="assistant-key-help"
        onChange={(e) => setKeyDraft(e.target.value)}
      />
      <p id="assistant-key-help" className="hint">
        A key stays in this browser only, and is sent only to the server above.
        {apiKey && (
          <>
            {' '}
            <button type="button" className="quiet" onClick={onRemoveKey}>
              Remove key
            </button>
          </>
        )}
      </p>
      {problem && (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {warning && <p className="hint assistant-warning">{warning}</p>}
      <div className="button-row">
        <button type="submit" className="run">
          Save
        </button>
        {onCancel && (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        )}
        {settings.endpoint && (
          <button type="button" className="quiet" onClick={onTurnOff}>
            Turn the assistant off
          </button>
        )}
      </div>
    </form>
  );
}
