/**
 * The model store's snapshot, for components that can wait a frame for a new model.
 *
 * useSyncExternalStore renders every subscriber at once, in the task that changed the
 * store: when a checkpoint's weights land, that is every cell of the lesson in one task
 * (55-62 ms on the 2-core test machine, npm run bench:app). Here a change re-renders in a
 * transition, in slices between which the page answers clicks. The model picker reads it
 * too, and answers the click that loads a model from its own state (ModelPicker.tsx).
 */
import { startTransition, useEffect, useState } from 'react';
import { models, type ModelSnapshot } from './index.ts';

export function useModelSnapshot(): ModelSnapshot {
  const [snapshot, setSnapshot] = useState(models.getSnapshot);
  useEffect(() => {
    const update = () => startTransition(() => setSnapshot(models.getSnapshot()));
    update(); // a change between the first render and this subscription
    return models.subscribe(update);
  }, []);
  return snapshot;
}
