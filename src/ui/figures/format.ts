/**
 * How the lesson writes a length of time: the page's one duration formatter, in two styles:
 * - 'clock' for a running time, "1:36" or "1:02:03" (narration, the speaker's timer);
 * - 'about' for an estimate, "45 s", "12 min", "1 h 30 min" (time to train, time left).
 */
export type DurationStyle = 'clock' | 'about';

export function formatDuration(seconds: number, style: DurationStyle = 'about'): string {
  if (!Number.isFinite(seconds) || seconds < 0) return style === 'clock' ? '0:00' : 'an unknown time';
  if (style === 'clock') {
    const s = Math.floor(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const two = (n: number) => String(n).padStart(2, '0');
    return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
  }
  if (seconds < 90) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `${minutes} min`;
  // Past an hour and a half, minutes to the nearest five are as exact as an estimate gets.
  const five = Math.round(minutes / 5) * 5;
  const h = Math.floor(five / 60);
  const rest = five % 60;
  return `${h} h${rest ? ` ${rest} min` : ''}`;
}
