/**
 * Starts each dynamic import in a task of its own. Run all asks for every section's cells at
 * once, and Vite's preload helper adds each import's `<link rel="modulepreload">` tags to the
 * document on the spot: twelve sections in one effect took 60 ms of the main thread in a single
 * task (a CPU profile of Run all, software GL). A task apart, each start is a few milliseconds,
 * and the fetches still overlap: the next start waits for this one's task, not for its module.
 */
let queue: Promise<void> = Promise.resolve();

export function startInItsOwnTask<T>(start: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    queue = queue.then(
      () =>
        new Promise<void>((next) =>
          setTimeout(() => {
            try {
              resolve(start());
            } catch (e) {
              reject(e instanceof Error ? e : new Error(String(e)));
            } finally {
              next();
            }
          }, 0),
        ),
    );
  });
}
