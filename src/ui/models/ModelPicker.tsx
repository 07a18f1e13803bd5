/** Shown instead of an empty figure when a cell needs a trained model and none is loaded; and in section 8. */
import { useState } from 'react';
import { models, PRETRAINED } from './index.ts';
import { useModelSnapshot } from './use-model-snapshot.ts';

/** Shown instead of an empty figure when a cell needs a trained model and none is loaded. */
export function ModelPicker({ trainingLink = true }: { trainingLink?: boolean }) {
  // Every picker on the page follows the store in a transition; the one clicked answers at
  // once from its own state. The click's frame then changes one picker, not each of them
  // down a long page (their re-render and layout took the click 92-97 ms to reach the screen).
  const model = useModelSnapshot();
  const [asked, setAsked] = useState<string | null>(null);
  const loading = asked ?? model.loading;
  return (
    <div className="model-picker">
      <p>
        {trainingLink
          ? 'This cell needs a trained model. Load one of the shipped checkpoints (about 0.7 MB), or train one live in the Training section.'
          : 'Load one of the shipped checkpoints (about 0.7 MB), upload your own, or train one below.'}
      </p>
      <div className="button-row">
        {PRETRAINED.map((p) => (
          <button
            key={p.id}
            type="button"
            disabled={loading !== null}
            onClick={() => {
              setAsked(p.label);
              void models.loadPretrained(p).finally(() => setAsked(null));
            }}
          >
            Load {p.label}
          </button>
        ))}
        {trainingLink && (
          <a className="button-link" href="?section=training" data-section-link="training">
            Go to Training
          </a>
        )}
      </div>
      {loading && <p role="status">Loading {loading}…</p>}
      {model.error && (
        <p className="error" role="alert">
          {model.error}
        </p>
      )}
    </div>
  );
}
