/** "A new version of the lesson is ready": shown only when the service worker has one waiting. */
import { useSyncExternalStore } from 'react';
import { updates } from '../pwa.ts';

export function UpdatePrompt() {
  const available = useSyncExternalStore(updates.subscribe, updates.available);
  if (!available) return null;
  return (
    <div className="update-prompt" role="status">
      A new version of the lesson is ready.{' '}
      <button type="button" onClick={() => updates.apply()}>
        Reload to update
      </button>
    </div>
  );
}
