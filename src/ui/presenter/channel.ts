/** The projector window tells the speaker-notes window which section is up. */
const CHANNEL = 'unmask-presenter';

export function announceSection(section: string): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const ch = new BroadcastChannel(CHANNEL);
  ch.postMessage({ section });
  // Answer a notes window that opens later and asks where we are.
  ch.onmessage = (e: MessageEvent<{ hello?: boolean }>) => e.data?.hello && ch.postMessage({ section });
  return () => ch.close();
}

export function followSection(onSection: (section: string) => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined;
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = (e: MessageEvent<{ section?: string }>) => typeof e.data?.section === 'string' && onSection(e.data.section);
  ch.postMessage({ hello: true });
  return () => ch.close();
}
