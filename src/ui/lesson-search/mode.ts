/**
 * Where "Ask about this lesson" answers from: the lesson's own text, offline
 * (the default), or a chat server the learner set up and agreed to. The
 * choice is remembered in this browser; a learner who had already agreed to
 * a server before the offline mode existed keeps their chat.
 */
export type AskMode = 'lesson' | 'server';

export const MODE_KEY = 'unmask.assistant.mode';

type Store = Pick<Storage, 'getItem' | 'setItem'>;
const local = (): Store | undefined => globalThis.localStorage;

export function loadMode(serverAgreed: boolean, store: Store | undefined = local()): AskMode {
  try {
    const saved = store?.getItem(MODE_KEY);
    if (saved === 'lesson' || saved === 'server') return saved;
  } catch {
    // no storage: fall through to the default
  }
  return serverAgreed ? 'server' : 'lesson';
}

export function saveMode(mode: AskMode, store: Store | undefined = local()): void {
  try {
    store?.setItem(MODE_KEY, mode);
  } catch {
    // private mode or a full quota: the choice lasts for this visit
  }
}
