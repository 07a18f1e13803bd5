import { describe, expect, it } from 'vitest';
import { CANVAS_DASH, canPaintLive, paintLive, withLegendAnchors, type Painter } from '../../src/ui/plot/live-canvas.ts';
import { THEMES } from '../../src/ui/plot/theme.ts';
import type { PlotLayout, ScatterTrace } from '../../src/ui/plot/types.ts';

/** A 2D context that writes down what it is asked to draw. */
function recorder(): Painter & { calls: string[] } {
  const calls: string[] = [];
  const log =
    (name: string) =>
    (...args: unknown[]) =>
      void calls.push(`${name}(${args.map((a) => (typeof a === 'number' ? +a.toFixed(2) : JSON.stringify(a))).join(',')})`);
  const ctx = {
    calls,
    lineWidth: 0,
    lineJoin: 'miter' as CanvasLineJoin,
    set strokeStyle(v: unknown) {
      calls.push(`stroke=${String(v)}`);
    },
    set fillStyle(v: unknown) {
      calls.push(`fill=${String(v)}`);
    },
    clearRect: log('clearRect'),
    save: log('save'),
    restore: log('restore'),
    beginPath: log('beginPath'),
    rect: log('rect'),
    clip: log('clip'),
    moveTo: log('moveTo'),
    lineTo: log('lineTo'),
    stroke: log('stroke'),
    arc: log('arc'),
    fill: log('fill'),
    setLineDash: log('setLineDash'),
    setTransform: log('setTransform'),
  };
  return ctx as unknown as Painter & { calls: string[] };
}

const LAYOUT: PlotLayout = { xRange: [0, 10], yRange: [0, 4] };
const AREA = { l: 50, t: 20, w: 200, h: 100 };

describe('the live canvas', () => {
  it('stands in only for fixed linear axes and numeric scatter traces', () => {
    const line: ScatterTrace = { type: 'scatter', x: [1, 2], y: [3, 4] };
    expect(canPaintLive([line], LAYOUT)).toBe(true);
    expect(canPaintLive([line], { yRange: [0, 4] })).toBe(false); // x autoranges
    expect(canPaintLive([line], { ...LAYOUT, yType: 'log' })).toBe(false);
    expect(canPaintLive([line], { ...LAYOUT, yReversed: true })).toBe(false);
    expect(canPaintLive([{ type: 'bar', x: [1], y: [2] }], LAYOUT)).toBe(false);
    expect(canPaintLive([{ type: 'scatter', x: ['a'], y: [2] }], LAYOUT)).toBe(false);
  });

  it('maps data to the plot area, y up, in device pixels, and breaks lines at gaps', () => {
    const ctx = recorder();
    paintLive(ctx, AREA, 2, [{ type: 'scatter', x: [0, 5, 6, 10], y: [0, 2, null, 4], name: 'loss' }], LAYOUT, THEMES.light);
    expect(ctx.calls).toContain('setTransform(2,0,0,2,0,0)');
    expect(ctx.calls).toContain('rect(0,0,200,100)'); // clipped to the plot area
    const path = ctx.calls.filter((c) => /^(moveTo|lineTo)/.test(c));
    expect(path).toEqual(['moveTo(0,100)', 'lineTo(100,50)', 'moveTo(200,0)']);
    expect(ctx.calls).toContain(`stroke=${THEMES.light.palette[0]}`);
    expect(ctx.calls).toContain(`setLineDash(${JSON.stringify(CANVAS_DASH.solid)})`);
  });

  it('styles each series as Plotly does: palette colour and dash by series, markers as dots', () => {
    const ctx = recorder();
    paintLive(
      ctx,
      AREA,
      1,
      [
        { type: 'scatter', x: [1, 2], y: [1, 2] },
        { type: 'scatter', x: [1, 2], y: [1, 2] },
        { type: 'scatter', mode: 'markers', x: [5], y: [2], color: '#123456' },
      ],
      LAYOUT,
      THEMES.dark,
    );
    expect(ctx.calls).toContain(`stroke=${THEMES.dark.palette[1]}`);
    expect(ctx.calls).toContain(`setLineDash(${JSON.stringify(CANVAS_DASH.dash)})`); // the second series is dashed
    expect(ctx.calls).toContain('fill=#123456');
    expect(ctx.calls.filter((c) => c.startsWith('arc('))).toEqual([`arc(100,50,3.5,0,${+(2 * Math.PI).toFixed(2)})`]);
  });

  it("gives an empty series one point beyond the axes, so Plotly's legend lists it from the start", () => {
    const out = withLegendAnchors(
      [
        { type: 'scatter', x: [], y: [], name: 'this run' },
        { type: 'scatter', x: [1], y: [1] },
      ],
      LAYOUT,
    );
    expect(out[0]).toMatchObject({ name: 'this run', x: [-10], y: [-4] });
    expect(out[1]).toMatchObject({ x: [1], y: [1] });
  });
});
