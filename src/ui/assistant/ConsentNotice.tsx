/** Before the first question to a server: exactly what will be sent, and where. Nothing is sent until "Agree". */
import { ASSISTANT } from './config.ts';

export interface ConsentNoticeProps {
  readonly endpoint: string;
  readonly model: string;
  readonly hasKey: boolean;
  readonly sectionTitle: string;
  readonly onAgree: () => void;
  readonly onSettings: () => void;
  readonly onDecline: () => void;
}

export function ConsentNotice({ endpoint, model, hasKey, sectionTitle, onAgree, onSettings, onDecline }: ConsentNoticeProps) {
  return (
    <div className="assistant-consent">
      {/* Focus lands here, not on "Agree": the notice is read first, and agreeing takes a deliberate move. */}
      <h3 id="assistant-consent-title" tabIndex={-1}>
        Before you ask
      </h3>
      <p>
        Each question you ask here is sent to <strong className="assistant-url">{endpoint}/chat/completions</strong> for the model{' '}
        <strong>{model}</strong>. With it go:
      </p>
      <ul>
        <li>the text of the section you are reading (now: {sectionTitle}), so the answer can refer to it;</li>
        <li>your earlier questions and the answers in this conversation (the last {ASSISTANT.maxExchanges});</li>
        <li>{hasKey ? 'your API key, in the request header;' : 'no API key (none is set);'}</li>
        <li>the usual things a browser sends with any request, such as your IP address.</li>
      </ul>
      <p>
        Nothing else: not your progress, your code, the seed, or anything about you. Whoever runs that server can read and keep what you send. The
        lesson itself works fully without this, and the glossary answers many questions offline.
      </p>
      <div className="button-row">
        <button type="button" className="run" onClick={onAgree}>
          Agree and continue
        </button>
        <button type="button" onClick={onSettings}>
          Change settings
        </button>
        <button type="button" className="quiet" onClick={onDecline}>
          Not now
        </button>
      </div>
    </div>
  );
}
