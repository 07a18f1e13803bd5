/** A small hook for a cell: how long its run has taken. */
import { useEffect, useState } from 'react';

/** Whole seconds since `since` (a Date.now()), ticking once a second; 0 when null. */
export function useElapsed(since: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [since]);
  return since === null ? 0 : Math.max(0, Math.floor((now - since) / 1000));
}
