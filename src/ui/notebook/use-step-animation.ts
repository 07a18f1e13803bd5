/**
 * A step counter that plays from 0 to `last` on a timer, once, and can be paused, replayed
 * and moved by hand. It does not start by itself for a reader who asked for reduced
 * motion: they see the finished state and can step through it.
 */
import { useCallback, useEffect, useState } from 'react';

export interface StepAnimation {
  readonly step: number;
  readonly playing: boolean;
  readonly play: () => void;
  readonly pause: () => void;
  readonly seek: (step: number) => void;
}

export function useStepAnimation(last: number, stepMs: number, autoplay: boolean): StepAnimation {
  const [step, setStep] = useState(autoplay ? 0 : last);
  const [playing, setPlaying] = useState(autoplay);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      setStep((s) => {
        if (s >= last) return s;
        return s + 1;
      });
    }, stepMs);
    return () => clearInterval(timer);
  }, [playing, last, stepMs]);

  // Stop at the end: the finished sequences stay on screen.
  useEffect(() => {
    if (playing && step >= last) setPlaying(false);
  }, [playing, step, last]);

  const play = useCallback(() => {
    setStep((s) => (s >= last ? 0 : s));
    setPlaying(true);
  }, [last]);
  const pause = useCallback(() => setPlaying(false), []);
  const seek = useCallback(
    (s: number) => {
      setPlaying(false);
      setStep(Math.max(0, Math.min(last, Math.round(s))));
    },
    [last],
  );
  return { step, playing, play, pause, seek };
}
