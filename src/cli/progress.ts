/** A one-line terminal progress bar with rate and ETA, redrawn at most every 100 ms. */
export class ProgressBar {
  private lastDraw = 0;
  /** Last tenth printed when the output is not a terminal (a log file, CI). */
  private lastTenth = -1;
  private readonly start = performance.now();

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly startAt = 0,
  ) {}

  update(done: number, extra = '', force = false): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const frac = Math.min(1, done / this.total);
    const width = 28;
    const filled = Math.round(frac * width);
    const rate = (done - this.startAt) / Math.max(1e-3, (now - this.start) / 1000);
    const eta = rate > 0 ? (this.total - done) / rate : Number.POSITIVE_INFINITY;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${rate.toFixed(2)} steps/s ETA ${formatDuration(eta)} ${extra}`;
    if (this.out.isTTY) this.out.write(`\r${line}\x1b[K`);
    else if (force || Math.floor(frac * 10) > this.lastTenth) {
      this.lastTenth = Math.floor(frac * 10);
      this.out.write(`${line}\n`);
    }
  }

  finish(): void {
    if (this.out.isTTY) this.out.write('\n');
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600),
    m = Math.floor((s % 3600) / 60),
    r = s % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${two(m)}:${two(r)}` : `${two(m)}:${two(r)}`;
}
