/**
 * The projector window tells the speaker-notes window where the talk is: section, slide,
 * what comes next, and when the talk and the slide started (wall-clock milliseconds, so
 * both windows count the same time). The notes window can ask for the timer to restart.
 */
const CHANNEL = 'unmask-presenter';

export interface NextSlide {
  /** "Next slide" or "Next section: 4. The data". */
  readonly where: string;
  readonly title: string;
  readonly preview: string;
}

export interface PresenterState {
  readonly section: string;
  readonly sectionIndex: number;
  readonly sectionTitle: string;
  /** 0-based. */
  readonly slide: number;
  readonly slides: number;
  readonly title: string;
  readonly next: NextSlide | null;
  /** Date.now() when the talk started, and when this slide came up. */
  readonly startedAt: number;
  readonly slideSince: number;
}

type Message = { state: PresenterState } | { hello: true } | { restartTimer: true };

export interface ProjectorChannel {
  post(state: PresenterState): void;
  close(): void;
}

/** The projector's side: posts every change, answers a notes window that opens later, and hears "restart the timer". */
export function openProjectorChannel(onRestartTimer: () => void): ProjectorChannel {
  if (typeof BroadcastChannel === 'undefined') return { post: () => undefined, close: () => undefined };
  const ch = new BroadcastChannel(CHANNEL);
  let latest: PresenterState | null = null;
  ch.onmessage = (e: MessageEvent<Message>) => {
    if ('hello' in e.data && latest) ch.postMessage({ state: latest } satisfies Message);
    if ('restartTimer' in e.data) onRestartTimer();
  };
  return {
    post(state) {
      latest = state;
      ch.postMessage({ state } satisfies Message);
    },
    close: () => ch.close(),
  };
}

export interface NotesChannel {
  restartTimer(): void;
  close(): void;
}

/** The notes window's side: follows the projector, and asks where it is on opening. */
export function followProjector(onState: (state: PresenterState) => void): NotesChannel {
  if (typeof BroadcastChannel === 'undefined') return { restartTimer: () => undefined, close: () => undefined };
  const ch = new BroadcastChannel(CHANNEL);
  ch.onmessage = (e: MessageEvent<Message>) => {
    if (e.data && typeof e.data === 'object' && 'state' in e.data && typeof e.data.state?.section === 'string') onState(e.data.state);
  };
  ch.postMessage({ hello: true } satisfies Message);
  return {
    restartTimer: () => ch.postMessage({ restartTimer: true } satisfies Message),
    close: () => ch.close(),
  };
}
