/**
 * The canvas a live chart's lines are painted on (live-canvas.ts), and the bookkeeping
 * of when it may stand in for Plotly's own lines: only over the frame Plotly last drew,
 * and only while the data streams. Plain TypeScript over injected getters, so it is
 * tested without React or Plotly.
 */
import { canPaintLive, paintLive } from './live-canvas.ts';
import { readPlotArea } from './plot-area.ts';
import { countPoints } from './table.ts';
import { THEMES } from './theme.ts';
import type { PlotLayout, PlotTrace, ThemeName } from './types.ts';

export interface LiveLayerHost {
  graph(): HTMLElement | null;
  canvas(): HTMLCanvasElement | null;
  /** The newest props. */
  latest(): { readonly traces: readonly PlotTrace[]; readonly layout: PlotLayout; readonly theme: ThemeName };
  /** The canvas now shows this many points. */
  onPainted(points: number): void;
  requestFrame?(paint: () => void): number;
  cancelFrame?(id: number): void;
}

export class LiveLayer {
  /** The frame (frameKey) of Plotly's last draw, when the canvas can paint over it; else null. */
  frame: string | null = null;
  /** True while the newest props are live and the canvas carries the lines. */
  streaming = false;
  private request = 0;

  constructor(private readonly host: LiveLayerHost) {}

  /** Repaint in the next animation frame (once, however often asked). */
  requestPaint(): void {
    const raf = this.host.requestFrame ?? requestAnimationFrame;
    this.request ||= raf(() => this.paint());
  }

  cancelPaint(): void {
    if (this.request) (this.host.cancelFrame ?? cancelAnimationFrame)(this.request);
    this.request = 0;
  }

  /** Paint the newest traces on the canvas, over the plot area of the frame Plotly drew. */
  paint(): void {
    this.request = 0;
    if (!this.streaming || this.frame === null) return; // Plotly has the data again
    const gd = this.host.graph();
    const c = this.host.canvas();
    const now = this.host.latest();
    const area = gd && readPlotArea(gd);
    const ctx = c?.getContext('2d');
    if (!gd || !c || !area || !ctx || !canPaintLive(now.traces, now.layout)) return;
    const ratio = window.devicePixelRatio || 1;
    Object.assign(c.style, { left: `${area.l}px`, top: `${area.t}px`, width: `${area.w}px`, height: `${area.h}px` });
    const [w, h] = [Math.round(area.w * ratio), Math.round(area.h * ratio)];
    if (c.width !== w) c.width = w;
    if (c.height !== h) c.height = h;
    paintLive(ctx, area, ratio, now.traces, now.layout, THEMES[now.theme]);
    gd.dataset.live = 'true'; // hides Plotly's own (stale) lines and hover: plot.css
    this.host.onPainted(countPoints(now.traces));
  }

  /** Plotly drew the data itself: the canvas steps aside. */
  stepAside(): void {
    const gd = this.host.graph();
    if (!gd?.dataset.live) return;
    delete gd.dataset.live;
    const c = this.host.canvas();
    c?.getContext('2d')?.clearRect(0, 0, c.width, c.height);
  }

  dispose(): void {
    this.cancelPaint();
    this.frame = null;
  }
}

/** What Plotly's frame depends on, besides the points: while it stays the same, the canvas can carry the lines. */
export function frameKey(traces: readonly PlotTrace[], layout: PlotLayout, look: unknown): string {
  const series = traces.map((t) => [t.type, t.name, t.type === 'scatter' ? [t.mode, t.color, t.dash] : null]);
  return JSON.stringify([series, layout, look]);
}
