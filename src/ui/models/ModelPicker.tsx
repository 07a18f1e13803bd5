/** Shown instead of an empty figure when a cell needs a trained model and none is loaded; and in section 8. */
import { useSyncExternalStore } from 'react';
import { models, PRETRAINED } from './index.ts';

/** Shown instead of an empty figure when a cell needs a trained model and none is loaded. */
export function ModelPicker({ trainingLink = true }: { trainingLink?: boolean }) {
  const model = useSyncExternalStore(models.subscribe, models.getSnapshot);
  return (
    <div className="model-picker">
      <p>
        {trainingLink
          ? 'This cell needs a trained model. Load one of the shipped checkpoints (about 0.7 MB), or train one live in the Training section.'
          : 'Load one of the shipped checkpoints (about 0.7 MB), upload your own, or train one below.'}
      </p>
      <div className="button-row">
        {PRETRAINED.map((p) => (
          <button key={p.id} type="button" disabled={model.loading !== null} onClick={() => void models.loadPretrained(p)}>
            Load {p.label}
          </button>
        ))}
        {trainingLink && (
          <a className="button-link" href="?section=training" data-section-link="training">
            Go to Training
          </a>
        )}
      </div>
      {model.loading && <p role="status">Loading {model.loading}…</p>}
      {model.error && (
        <p className="error" role="alert">
          {model.error}
        </p>
      )}
    </div>
  );
}
