/** In-page links to a section (`<a data-section-link="id">`, in prose and cells) move within the notebook instead of reloading it. */
import { useEffect, useRef } from 'react';

export function useSectionLinks(onLink: (section: string) => void): void {
  const latest = useRef(onLink);
  useEffect(() => {
    latest.current = onLink;
  });
  useEffect(() => {
    const onClick = (e: MouseEvent) => {
      const link = (e.target as Element | null)?.closest?.('a[data-section-link]');
      if (!link || e.defaultPrevented || e.ctrlKey || e.metaKey || e.shiftKey) return; // a new tab is the reader's call
      e.preventDefault();
      latest.current(link.getAttribute('data-section-link')!);
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
}
