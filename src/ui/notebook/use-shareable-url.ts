/**
 * Keeps the address bar shareable (section, seed, and in projector mode the slide)
 * without adding history entries: Back still leaves the lesson.
 */
import { useEffect } from 'react';
import { shareUrl } from './progress.ts';

export function useShareableUrl(section: string, seed: number, slide: number | null): void {
  useEffect(() => {
    const next = shareUrl(location.href, section, seed, slide);
    if (next !== location.href) history.replaceState(null, '', next);
  }, [section, seed, slide]);
}
