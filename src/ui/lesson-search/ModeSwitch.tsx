/** The choice at the top of the Ask panel: the lesson's own passages (offline) or a chat server (opt-in). */
import type { AskMode } from './mode.ts';

export function ModeSwitch({ mode, onChange }: { readonly mode: AskMode; readonly onChange: (mode: AskMode) => void }) {
  return (
    <fieldset className="assistant-mode">
      <legend className="visually-hidden">Answer from</legend>
      <label>
        <input type="radio" name="assistant-mode" value="lesson" checked={mode === 'lesson'} onChange={() => onChange('lesson')} />
        The lesson, offline
      </label>
      <label>
        <input type="radio" name="assistant-mode" value="server" checked={mode === 'server'} onChange={() => onChange('server')} />A chat server
        (opt-in)
      </label>
    </fieldset>
  );
}
