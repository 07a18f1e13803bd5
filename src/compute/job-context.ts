/** What a compute job is given besides its model and arguments. */
export interface JobContext {
  /** Aborted when the page cancels the job (a newer run, a closed cell). */
  readonly signal: AbortSignal;
  /**
   * Report progress; awaited, because it also yields to the worker's event
   * loop so a cancel message can arrive. Throws an AbortError once cancelled.
   */
  progress(done: number, total: number): Promise<void>;
}

/** A context for code that runs a job directly (tests, the page fallback): never cancelled unless `signal` is. */
export function directContext(signal: AbortSignal = new AbortController().signal, onProgress?: (done: number, total: number) => void): JobContext {
  return {
    signal,
    progress: async (done, total) => {
      onProgress?.(done, total);
      if (signal.aborted) throw new DOMException('cancelled', 'AbortError');
    },
  };
}
