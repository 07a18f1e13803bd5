/**
 * The learner's progress (seed, section, cells run) as React state, saved on every change.
 * The one place progress is written, so every change goes through a named action.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { INITIAL, saveProgress, type Progress } from './progress.ts';

export interface ProgressActions {
  readonly setSection: (section: string) => void;
  readonly setSeed: (seed: number) => void;
  /** A cell ("section/cell") ran. */
  readonly markRan: (key: string) => void;
  /** Forget the cells run and the place; keep the seed. */
  readonly reset: () => void;
}

export function useProgress(initial: Progress, storage?: Pick<Storage, 'setItem'>): [Progress, ProgressActions] {
  const [progress, setProgress] = useState(initial);
  useEffect(() => saveProgress(progress, storage ?? globalThis.localStorage), [progress, storage]);
  const setSection = useCallback((section: string) => setProgress((p) => (p.section === section ? p : { ...p, section })), []);
  const setSeed = useCallback((seed: number) => setProgress((p) => (p.seed === seed ? p : { ...p, seed })), []);
  const markRan = useCallback((key: string) => setProgress((p) => (p.ran.includes(key) ? p : { ...p, ran: [...p.ran, key] })), []);
  const reset = useCallback(() => setProgress((p) => ({ ...INITIAL, seed: p.seed })), []);
  const actions = useMemo(() => ({ setSection, setSeed, markRan, reset }), [setSection, setSeed, markRan, reset]);
  return [progress, actions];
}
