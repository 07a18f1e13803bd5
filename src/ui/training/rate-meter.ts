/**
 * Steps a second over a sliding window of recent steps. The trainer's own rate
 * is one step's, so an ETA built on it jumped (5 -> 26 -> 6 min within a
 * minute) whenever a check-up or a save slowed a single step.
 */
export class RateMeter {
  private samples: { step: number; at: number }[] = [];

  constructor(private readonly windowMs = 10_000) {}

  reset(): void {
    this.samples = [];
  }

  /** Record that `step` was reached at `at` (ms); returns the rate over the window, 0 until there are two samples. */
  record(step: number, at: number): number {
    this.samples.push({ step, at });
    // Keep one sample older than the window, so the window is always covered.
    while (this.samples.length > 2 && at - this.samples[1].at >= this.windowMs) this.samples.shift();
    const first = this.samples[0];
    const steps = step - first.step;
    const ms = at - first.at;
    return steps > 0 && ms > 0 ? (1000 * steps) / ms : 0;
  }
}
