/** "A new version of the lesson is ready": shown only when the service worker has one waiting. */
import { useState, useSyncExternalStore } from 'react';
import { updates } from './pwa.ts';

export function UpdatePrompt() {
  const available = useSyncExternalStore(updates.subscribe, updates.available);
  const [slow, setSlow] = useState(false);
  if (!available) return null;
  return (
    <div className="update-prompt" role="status">
      {slow ? (
        'The new version will load the next time the lesson opens: close this tab (and any other lesson tabs) and open it again.'
      ) : (
        <>
          A new version of the lesson is ready.{' '}
          <button
            type="button"
            onClick={() => {
              updates.apply();
              // The browser switches versions only when the old one is idle; if that takes a while, say what will happen.
              setTimeout(() => setSlow(true), 4000);
            }}
          >
            Reload to update
          </button>
        </>
      )}
    </div>
  );
}
