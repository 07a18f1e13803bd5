/**
 * Stepping through a run of the reverse process, or playing it: the controls
 * both generation cells show above their rows (patterns and real words).
 */
import { useEffect, useState, type ReactNode } from 'react';

/** Milliseconds a step shows while playing. */
const STEP_MS = 450;

export interface StepPlayer {
  /** The step shown, 0 (all masked) to `last`. */
  readonly k: number;
  readonly playing: boolean;
  readonly setK: (k: number) => void;
  readonly setPlaying: (playing: boolean) => void;
}

/** Which step shows; a new run (`frames`) starts on its last step. */
export function useStepPlayer(frames: readonly unknown[]): StepPlayer & { readonly last: number } {
  const last = frames.length - 1;
  const [k, setK] = useState(last);
  const [playing, setPlaying] = useState(false);
  useEffect(() => setK(frames.length - 1), [frames]);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => setK((j) => (j >= last ? (setPlaying(false), j) : j + 1)), STEP_MS);
    return () => clearInterval(timer);
  }, [playing, last]);
  return { k, playing, setK, setPlaying, last };
}

/** Play/Pause/Replay, one step back and forward, a slider, and what the step shows (`children`, announced when not playing). */
export function StepControls({
  player,
  testId,
  children,
}: {
  readonly player: StepPlayer & { readonly last: number };
  readonly testId: string;
  readonly children: ReactNode;
}) {
  const { k, playing, setK, setPlaying, last } = player;
  const go = (to: number) => {
    setPlaying(false);
    setK(to);
  };
  return (
    <div className="button-row">
      <button type="button" onClick={() => (k >= last ? (setK(0), setPlaying(true)) : setPlaying(!playing))}>
        {playing ? 'Pause' : k >= last ? 'Replay' : 'Play'}
      </button>
      <button type="button" onClick={() => go(Math.max(0, k - 1))} disabled={k === 0} aria-label="Previous step">
        ◀
      </button>
      <button type="button" onClick={() => go(Math.min(last, k + 1))} disabled={k === last} aria-label="Next step">
        ▶
      </button>
      <label className="inline">
        Step
        <input type="range" min={0} max={last} value={k} onChange={(e) => go(Number(e.target.value))} />
      </label>
      <span data-testid={testId} aria-live={playing ? 'off' : 'polite'}>
        {children}
      </span>
    </div>
  );
}
