/**
 * Start, Pause/Resume and Stop replace one another as a run starts and ends:
 * when the button that had focus goes, focus moves to the one that takes its
 * place, instead of falling back to the page. Focus is only ever moved when
 * it was on these controls, never taken from elsewhere.
 */
import { useEffect, useRef, type FocusEvent, type RefObject } from 'react';

export interface FocusFollows {
  readonly ref: RefObject<HTMLDivElement | null>;
  readonly onFocus: () => void;
  readonly onBlur: (e: FocusEvent) => void;
}

/** Spread the result on the element that holds the controls. */
export function useFocusFollowsControls(): FocusFollows {
  const ref = useRef<HTMLDivElement>(null);
  const hadFocus = useRef(false);
  // After every render: if the focused button vanished, focus the first enabled one.
  useEffect(() => {
    const box = ref.current;
    if (!box) return;
    const focused = document.activeElement;
    if (hadFocus.current && (!focused || focused === document.body)) box.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    hadFocus.current = box.contains(document.activeElement);
  });
  return {
    ref,
    onFocus: () => (hadFocus.current = true),
    // Focus moved elsewhere on purpose (not a button vanishing under it): let it go.
    onBlur: (e) => {
      if (e.target.isConnected && !ref.current?.contains(e.relatedTarget)) hadFocus.current = false;
    },
  };
}
