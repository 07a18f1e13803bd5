/**
 * The chart wrapper's drawing parts, each on its own: the per-chart scheduler (with a fake
 * clock and queue), the plot area read from the drawn SVG, the live canvas layer, direct
 * line labels and reference lines, and the lazy Plotly hook.
 */
import { act, render, renderHook, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DrawScheduler, type SchedulerClock } from '../../src/ui/plot/draw-scheduler.ts';
import { toPlotlyFigure, wrapTitle } from '../../src/ui/plot/figure.ts';
import { lineLabels, referenceTraces, spreadApart, wantsLineLabels } from '../../src/ui/plot/labels.ts';
import { LiveLayer } from '../../src/ui/plot/live-layer.ts';
import { readPlotArea } from '../../src/ui/plot/plot-area.ts';
import { loadPlotly, type PlotlyApi } from '../../src/ui/plot/plotly.ts';
import { THEMES } from '../../src/ui/plot/theme.ts';
import { ChartTextSizeProvider, PROJECTOR_CHART_TEXT_PX, scaledHeight } from '../../src/ui/plot/text-size.tsx';
import type { PlotTrace, ScatterTrace } from '../../src/ui/plot/types.ts';
import { usePlotly } from '../../src/ui/plot/use-plotly.ts';
import { Plot } from '../../src/ui/plot/index.ts';

vi.mock('../../src/ui/plot/plotly.ts', () => ({ loadPlotly: vi.fn() }));

afterEach(() => vi.restoreAllMocks());

/** A clock and queue the test moves by hand. */
function harness() {
  let now = 0;
  const timers: { at: number; fn: () => void; id: number }[] = [];
  const queue: (() => void)[] = [];
  let nextId = 1;
  const clock: SchedulerClock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      const i = timers.findIndex((t) => t.id === id);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const enqueue = (draw: () => void) => {
    queue.push(draw);
    return () => {
      const i = queue.indexOf(draw);
      if (i >= 0) queue.splice(i, 1);
    };
  };
  return {
    clock,
    enqueue,
    queue,
    /** Run the frame's queued draw, as draw-queue.ts does one a frame. */
    frame: () => queue.shift()?.(),
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((t) => t.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

describe('DrawScheduler', () => {
  it('queues one draw for a burst of requests', () => {
    const h = harness();
    const draw = vi.fn();
    const s = new DrawScheduler(draw, h.enqueue, h.clock);
    s.request();
    s.request();
    s.request();
    expect(h.queue).toHaveLength(1);
    expect(s.pending).toBe(true);
    h.frame();
    expect(draw).toHaveBeenCalledTimes(1);
    expect(s.pending).toBe(false);
  });

  it('keeps draws at least the minimum interval apart, then queues the late one', () => {
    const h = harness();
    const draw = vi.fn();
    const s = new DrawScheduler(draw, h.enqueue, h.clock);
    s.request(250);
    h.frame(); // first draw at t = 0
    h.advance(100);
    s.request(250);
    expect(h.queue).toHaveLength(0); // waiting out the interval, not in the queue
    h.advance(149);
    expect(h.queue).toHaveLength(0);
    h.advance(1);
    expect(h.queue).toHaveLength(1);
    h.frame();
    expect(draw).toHaveBeenCalledTimes(2);
  });

  it('drops a waiting draw on cancel, whether queued or timed', () => {
    const h = harness();
    const draw = vi.fn();
    const s = new DrawScheduler(draw, h.enqueue, h.clock);
    s.request();
    s.cancel();
    expect(h.queue).toHaveLength(0);
    s.request();
    h.frame();
    s.request(1000);
    s.cancel();
    h.advance(2000);
    expect(h.queue).toHaveLength(0);
    expect(draw).toHaveBeenCalledTimes(1);
  });

  it('draws at once on drawNow, in place of the draw that was waiting', () => {
    const h = harness();
    const draw = vi.fn();
    const s = new DrawScheduler(draw, h.enqueue, h.clock);
    s.request();
    s.drawNow();
    expect(draw).toHaveBeenCalledTimes(1);
    expect(h.queue).toHaveLength(0);
    expect(s.pending).toBe(false);
  });
});

/** A chart's SVG as Plotly draws it, with its main drag cover over the plot area. */
function drawnChart(area: { x: number; y: number; width: number; height: number } | null): HTMLDivElement {
  const gd = document.createElement('div');
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const layer = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  layer.setAttribute('class', 'draglayer');
  if (area) {
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('class', 'nsewdrag drag');
    for (const [k, v] of Object.entries(area)) rect.setAttribute(k, String(v));
    layer.append(rect);
  }
  svg.append(layer);
  gd.append(svg);
  return gd;
}

describe('readPlotArea', () => {
  it('reads the plot area from the drag cover Plotly lays over it', () => {
    expect(readPlotArea(drawnChart({ x: 56, y: 36, width: 400, height: 220 }))).toEqual({ l: 56, t: 36, w: 400, h: 220 });
  });

  it('is null before a draw, or for an area with no size', () => {
    expect(readPlotArea(drawnChart(null))).toBeNull();
    expect(readPlotArea(drawnChart({ x: 0, y: 0, width: 0, height: 100 }))).toBeNull();
  });
});

describe('LiveLayer', () => {
  const streamingTraces: ScatterTrace[] = [{ type: 'scatter', x: [1, 2, 3], y: [3, 2, 1], name: 'loss' }];
  function layer(gd: HTMLElement) {
    const canvas = document.createElement('canvas');
    const ctx = {
      setTransform() {},
      clearRect: vi.fn(),
      save() {},
      restore() {},
      beginPath() {},
      rect() {},
      clip() {},
      moveTo() {},
      lineTo() {},
      stroke() {},
      arc() {},
      fill() {},
      setLineDash() {},
    };
    canvas.getContext = (() => ctx) as unknown as HTMLCanvasElement['getContext'];
    const painted: number[] = [];
    const frames: (() => void)[] = [];
    const l = new LiveLayer({
      graph: () => gd,
      canvas: () => canvas,
      latest: () => ({ traces: streamingTraces, layout: { xRange: [0, 10], yRange: [0, 4] }, theme: 'light' }),
      onPainted: (n) => painted.push(n),
      requestFrame: (f) => frames.push(f),
      cancelFrame: () => frames.splice(0),
    });
    return { l, canvas, ctx, painted, frames };
  }

  it('paints over the frame Plotly drew, only while streaming, and places the canvas on the plot area', () => {
    const gd = drawnChart({ x: 50, y: 20, width: 200, height: 100 });
    const { l, canvas, painted } = layer(gd);
    l.paint();
    expect(painted).toEqual([]); // not streaming yet
    l.streaming = true;
    l.paint();
    expect(painted).toEqual([]); // no frame drawn yet
    l.frame = 'frame';
    l.paint();
    expect(painted).toEqual([3]);
    expect(canvas.style.left).toBe('50px');
    expect(canvas.style.height).toBe('100px');
    expect(gd.dataset.live).toBe('true');
  });

  it('asks for one animation frame however often it is asked, and steps aside for Plotly', () => {
    const gd = drawnChart({ x: 0, y: 0, width: 10, height: 10 });
    const { l, frames, ctx } = layer(gd);
    l.requestPaint();
    l.requestPaint();
    expect(frames).toHaveLength(1);
    gd.dataset.live = 'true';
    l.stepAside();
    expect(gd.dataset.live).toBeUndefined();
    expect(ctx.clearRect).toHaveBeenCalled();
  });
});

const lines = (...ends: [string, number][]): ScatterTrace[] => ends.map(([name, y]) => ({ type: 'scatter', x: [0, 1], y: [0, y], name }));
const labelOptions = {
  theme: THEMES.light,
  fontSize: 13,
  plotHeight: 200,
  width: 800,
  colorOf: (_: ScatterTrace, i: number) => THEMES.light.palette[i],
};

describe('direct line labels', () => {
  it('labels two to five named lines at their last points, in their colours, instead of a legend', () => {
    const labels = lineLabels(lines(['measured', 0.2], ['expected', 0.9]), { yRange: [0, 1] }, labelOptions)!;
    expect(labels.annotations.map((a) => [a.text, a.x, a.y, (a.font as { color: string }).color])).toEqual([
      ['measured', 1, 0.2, THEMES.light.palette[0]],
      ['expected', 1, 0.9, THEMES.light.palette[1]],
    ]);
    expect(labels.annotations.every((a) => a.yshift === 0)).toBe(true); // far apart: nothing moves
    expect(labels.rightMargin).toBeGreaterThan(8 * 13 * 0.5);
    const figure = toPlotlyFigure(
      lines(['measured', 0.2], ['expected', 0.9]),
      { yRange: [0, 1] },
      { theme: THEMES.light, height: 300, reducedMotion: false, revision: 1 },
    );
    expect(figure.layout.showlegend).toBe(false);
    expect(figure.layout.annotations).toHaveLength(2);
  });

  it('keeps the legend for one line, bars, markers, log axes, long names, an explicit legend, and a narrow chart', () => {
    const bar: PlotTrace = { type: 'bar', x: [1], y: [1], name: 'b' };
    expect(wantsLineLabels(lines(['a', 1]), {})).toBe(false);
    expect(wantsLineLabels([...lines(['a', 1]), bar], {})).toBe(false);
    expect(wantsLineLabels([...lines(['a', 1]), { type: 'scatter', mode: 'markers', x: [1], y: [1], name: 'now' }], {})).toBe(false);
    expect(wantsLineLabels(lines(['a', 1], ['b', 2]), { yType: 'log' })).toBe(false);
    expect(wantsLineLabels(lines(['a', 1], ['a name far too long to sit beside a line', 2]), {})).toBe(false);
    expect(wantsLineLabels(lines(['a', 1], ['b', 2]), { showLegend: true })).toBe(false);
    expect(lineLabels(lines(['measured fraction', 1], ['expected', 2]), {}, { ...labelOptions, width: 200 })).toBeNull();
    const streaming = toPlotlyFigure(
      lines(['a', 1], ['b', 2]),
      {},
      { theme: THEMES.light, height: 300, reducedMotion: false, revision: 1, directLabels: false },
    );
    expect(streaming.layout.showlegend).toBe(true);
  });

  it('pushes labels of lines that end close together at least a line of text apart, around where they were', () => {
    const placed = spreadApart([100, 101, 50], 16);
    expect(placed[2]).toBe(50); // room around it: unmoved
    expect(Math.abs(placed[1] - placed[0])).toBeGreaterThanOrEqual(16 - 1e-9);
    expect((placed[0] + placed[1]) / 2).toBeGreaterThan(90); // the pair stays around its lines
    const labels = lineLabels(lines(['measured', 0.95], ['expected', 1]), { yRange: [0, 1] }, labelOptions)!;
    const [a, b] = labels.annotations.map((x) => x.yshift as number);
    expect(Math.abs(200 * 0.05 + b - a)).toBeGreaterThanOrEqual(16);
  });

  it('puts property-tested gaps between any set of positions', () => {
    for (let trial = 0; trial < 200; trial++) {
      const ps = Array.from({ length: 1 + (trial % 5) }, (_, i) => Math.sin(trial * 7.3 + i) * 50);
      const out = [...spreadApart(ps, 10)].sort((x, y) => x - y);
      for (let k = 1; k < out.length; k++) expect(out[k] - out[k - 1]).toBeGreaterThanOrEqual(10 - 1e-9);
    }
  });
});

describe('reference lines', () => {
  it('draw a dotted vertical line at x from the bottom of the y range to its top, named in the legend', () => {
    const bars: PlotTrace[] = [{ type: 'bar', x: [15, 16, 17], y: [0.1, 0.14, 0.12], name: '1000 masked sequences' }];
    const { traces, yRange } = referenceTraces(bars, { vLines: [{ x: 16, label: 'expected L·t = 16.0' }] }, THEMES.dark);
    expect(yRange![0]).toBe(0);
    expect(yRange![1]).toBeCloseTo(0.14 * 1.08, 10);
    expect(traces).toEqual([
      { type: 'scatter', mode: 'lines', x: [16, 16], y: [0, yRange![1]], name: 'expected L·t = 16.0', dash: 'dot', color: THEMES.dark.text },
    ]);
    const figure = toPlotlyFigure(
      bars,
      { vLines: [{ x: 16, label: 'expected L·t = 16.0' }] },
      { theme: THEMES.dark, height: 300, reducedMotion: false, revision: 1 },
    );
    expect(figure.data.map((d) => d.name)).toEqual(['1000 masked sequences', 'expected L·t = 16.0']);
    expect(figure.data[1].line).toMatchObject({ dash: 'dot', color: THEMES.dark.text });
    expect((figure.layout.yaxis as { range: number[] }).range).toEqual([0, yRange![1]]);
    expect(figure.layout.showlegend).toBe(true);
  });

  it('keep a given y range', () => {
    expect(referenceTraces([], { yRange: [0, 2], vLines: [{ x: 1, label: 'one' }] }, THEMES.light).traces[0].y).toEqual([0, 2]);
    expect(referenceTraces([], {}, THEMES.light).traces).toEqual([]);
  });
});

describe('axis titles on a narrow chart', () => {
  it('break at a space onto a second line rather than run off the edge', () => {
    expect(wrapTitle('masked tokens in a sequence of 32', 20)).toBe('masked tokens in a<br>sequence of 32');
    expect(wrapTitle('short', 20)).toBe('short');
    expect(wrapTitle(undefined, 20)).toBeUndefined();
  });
});

describe('chart text size', () => {
  it('scales fonts, margins and height in projector mode', async () => {
    const reacts: { layout: Record<string, unknown> }[] = [];
    const plotly = {
      react: vi.fn(async (_gd: HTMLElement, _d: unknown, layout: Record<string, unknown>) => void reacts.push({ layout })),
      purge: vi.fn(),
      downloadImage: vi.fn(),
      Plots: { resize: vi.fn(async () => undefined) },
    } as unknown as PlotlyApi;
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    render(
      <ChartTextSizeProvider px={PROJECTOR_CHART_TEXT_PX}>
        <Plot traces={[{ type: 'bar', x: [1, 2], y: [3, 4] }]} label="Bars" filename="bars" height={300} />
      </ChartTextSizeProvider>,
    );
    await act(async () => {});
    await act(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    expect(reacts[0].layout.font).toMatchObject({ size: 20 });
    expect(reacts[0].layout.height).toBe(scaledHeight(300, 20));
    expect(scaledHeight(300, 20)).toBeGreaterThan(300);
    expect(screen.getByTestId('plot').parentElement!.style.height).toBe(`${scaledHeight(300, 20)}px`);
  });
});

describe('usePlotly', () => {
  it('loads nothing until the chart wants Plotly', async () => {
    vi.mocked(loadPlotly).mockClear();
    const idle = renderHook(({ wanted }) => usePlotly(wanted), { initialProps: { wanted: false } });
    await act(async () => {});
    expect(loadPlotly).not.toHaveBeenCalled();
    expect(idle.result.current.plotly).toBeNull();
    const api = {} as PlotlyApi;
    vi.mocked(loadPlotly).mockResolvedValueOnce(api);
    idle.rerender({ wanted: true });
    await act(async () => {});
    expect(idle.result.current.plotly).toBe(api);
  });

  it('gives Plotly once loaded, or the reason it did not load', async () => {
    const api = {} as PlotlyApi;
    vi.mocked(loadPlotly).mockResolvedValueOnce(api);
    const ok = renderHook(() => usePlotly(true));
    await act(async () => {});
    expect(ok.result.current.plotly).toBe(api);
    expect(ok.result.current.failure).toBeNull();
    vi.mocked(loadPlotly).mockRejectedValueOnce(new Error('offline'));
    const bad = renderHook(() => usePlotly(true));
    await act(async () => {});
    expect(bad.result.current.plotly).toBeNull();
    expect(bad.result.current.failure).toBe('offline');
  });
});
