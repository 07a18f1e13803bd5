/**
 * The static picture of a chart (static-chart.ts) and its axis maths. The expected ticks,
 * labels and ranges are Plotly's own, read from its drawings of these cases; the browser
 * test (chart-picture.e2e) holds every chart of the lesson against Plotly as well.
 */
import { act, createEvent, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { autoRange, categoryTicks, extentOf, formatTick, linearStep, linearTicks } from '../../src/ui/plot/axis-scale.ts';
import { colorAt, colorRange } from '../../src/ui/plot/color-scale.ts';
import { dataEnd, toPlotlyFigure } from '../../src/ui/plot/figure.ts';
import { Plot } from '../../src/ui/plot/index.ts';
import { readPlotArea } from '../../src/ui/plot/plot-area.ts';
import { loadPlotly, type PlotlyApi } from '../../src/ui/plot/plotly.ts';
import { cleanRange, dashArray, drawStaticChart, type MeasureText } from '../../src/ui/plot/static-chart.ts';
import { THEMES } from '../../src/ui/plot/theme.ts';
import type { PlotLayout, PlotTrace } from '../../src/ui/plot/types.ts';

vi.mock('../../src/ui/plot/plotly.ts', () => ({ loadPlotly: vi.fn() }));

/** Widths as a 13 px sans-serif roughly has them: digits 8.3 px, other characters 7 px. */
const measure: MeasureText = (text, size) => [...text].reduce((w, c) => w + (/\d/.test(c) ? 8.28 : 7) * (size / 13), 0);

const figure = (traces: PlotTrace[], layout: PlotLayout = {}, width = 700) =>
  toPlotlyFigure(traces, layout, { theme: THEMES.light, height: 320, reducedMotion: false, revision: 1, fontSize: 13, width });

const texts = (svg: Element, selector = 'text') => [...svg.querySelectorAll(selector)].map((t) => t.textContent);

describe('axis ticks as Plotly places and writes them', () => {
  it('steps 1-2-5 for the axis length, always past an exact 2 or 5 (Plotly rounds 500 up to 1000)', () => {
    expect(linearStep([0, 5000], 824, 'x')).toBe(1000); // 824 px: 10 ticks wanted, 500 a tick rounds up
    expect(linearStep([0, 1], 685, 'x')).toBe(0.2);
    expect(linearStep([0, 0.15], 217, 'y')).toBe(0.05);
    expect(linearStep([0, 100], 276, 'y')).toBe(20);
  });

  it('writes labels with the digits the step needs, SI suffixes from 10,000, and a true minus', () => {
    expect(linearTicks([0, 1], 685, 'x').map((t) => t.label)).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(linearTicks([-1, 1], 300, 'y').map((t) => t.label)).toEqual(['\u22121', '\u22120.5', '0', '0.5', '1']);
    expect(formatTick(20000, 5000, [0, 20000])).toBe('20k');
    expect(formatTick(0.0015, 0.0005, [0, 0.002])).toBe('0.0015');
    expect(formatTick(3000, 500, [0, 3000])).toBe('3000');
  });

  it('labels every category while they fit, then every n-th', () => {
    const names = Array.from({ length: 12 }, (_, i) => `L${Math.floor(i / 4) + 1} H${(i % 4) + 1}`);
    expect(categoryTicks(names, [-0.5, 11.5], 800, 13)).toHaveLength(12);
    expect(categoryTicks(names, [-0.5, 11.5], 100, 13).map((t) => t.value)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});

describe('autoRange', () => {
  it('pads lines 5% of the axis at both ends of y, as Plotly does', () => {
    const pad = 0.05 * 200;
    const [lo, hi] = autoRange([{ value: 0, padPx: pad }], [{ value: 1, padPx: pad }], 200, [-1, 4]);
    expect(lo).toBeCloseTo(-1 / 18, 10); // 10 px of 180 px for one unit
    expect(hi).toBeCloseTo(1 + 1 / 18, 10);
  });

  it('keeps the pair of extremes that needs the most units a pixel, and spans ±1 around one value', () => {
    // A bar's zero (no padding) against the tallest bar (padded): zero stays on the edge.
    const [lo, hi] = autoRange([{ value: 0, padPx: 0 }], [{ value: 0.15, padPx: 10 }], 200, [-1, 4]);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.15 + (10 * 0.15) / 190, 10);
    expect(autoRange([{ value: 3, padPx: 5 }], [{ value: 3, padPx: 5 }], 200, [-1, 4])).toEqual([2, 4]);
    expect(autoRange([], [], 200, [-1, 6])).toEqual([-1, 6]);
  });
});

describe('extentOf', () => {
  it('finds the finite extremes of a series too long to spread into Math.min', () => {
    const long = Float64Array.from({ length: 300_000 }, (_, i) => Math.sin(i) * (i + 1));
    const extent = extentOf(long)!;
    expect(extent[0]).toBeLessThan(-299_000);
    expect(extent[1]).toBeGreaterThan(299_000);
    expect(extentOf([null, 'a', Number.NaN, 2, -1])).toEqual([-1, 2]);
    expect(extentOf([null, Number.NaN])).toBeNull();
  });
});

describe('colour scales', () => {
  it('gives Plotly’s end colours and blends between stops', () => {
    expect(colorAt('Viridis', 0)).toBe('rgb(68,1,84)');
    expect(colorAt('Viridis', 1)).toBe('rgb(253,231,37)');
    expect(colorAt('RdBu', 0.5)).toBe('rgb(190,190,190)');
    expect(colorAt('Greys', 0.5)).toBe('rgb(128,128,128)');
    expect(colorAt('Viridis', Number.NaN)).toBe('rgb(68,1,84)');
  });

  it('spans the data, or the trace’s bounds, symmetric about zmid when only that is given', () => {
    expect(
      colorRange([
        [0.2, 0.9],
        [null, 0.5],
      ]),
    ).toEqual([0.2, 0.9]);
    expect(colorRange([[-0.2, 0.9]], undefined, undefined, 0)).toEqual([-0.9, 0.9]);
    expect(colorRange([[5, 5]])).toEqual([4.5, 5.5]);
  });
});

describe('drawStaticChart', () => {
  it('draws axes, grid, ticks, titles and the line, and marks the plot area for the live canvas', () => {
    const svg = drawStaticChart(
      figure([{ type: 'scatter', x: [0, 0.5, 1], y: [0, 0.5, 1], name: 'y = t' }], { xTitle: 'masking ratio t', yTitle: 'fraction masked' }),
      700,
      measure,
    )!;
    expect(svg.getAttribute('aria-hidden')).toBe('true');
    const labels = texts(svg);
    expect(labels).toEqual(expect.arrayContaining(['0', '0.2', '0.4', '0.6', '0.8', '1', 'masking ratio t', 'fraction masked']));
    // One named line: no legend, no label at its end.
    expect(labels).not.toContain('y = t');
    const line = svg.querySelector('.static-data path')!;
    expect(line.getAttribute('d')!.match(/[ML]/g)).toHaveLength(3);
    expect(line.getAttribute('stroke')).toBe(THEMES.light.palette[0]);
    const host = document.createElement('div');
    host.append(svg);
    const area = readPlotArea(host)!;
    expect(area.l).toBeGreaterThanOrEqual(56); // the figure's left margin, or more for the labels
    expect(area.w + area.l).toBeLessThanOrEqual(700);
    expect(area.h).toBeGreaterThan(200);
  });

  it('breaks lines at gaps, writes line names at their ends, and dashes as Plotly does', () => {
    const svg = drawStaticChart(
      figure([
        { type: 'scatter', x: [1, 2, 3, 4], y: [1, null, 3, 4], name: 'this model' },
        { type: 'scatter', x: [1, 2, 3, 4], y: [2, 2, 2, 2], name: 'best possible', dash: 'dash' },
      ]),
      700,
      measure,
    )!;
    const [first, second] = [...svg.querySelectorAll('.static-data path')];
    expect(first.getAttribute('d')!.match(/M/g)).toHaveLength(2); // the null splits it
    expect(second.getAttribute('stroke-dasharray')).toBe('9,9');
    expect(texts(svg)).toEqual(expect.arrayContaining(['this model', 'best possible']));
    expect(dashArray('dot', 2)).toBe('3,3');
    expect(dashArray('solid', 2)).toBeNull();
  });

  it('draws grouped bars from zero, a legend with bar samples, and category ticks', () => {
    const svg = drawStaticChart(
      figure([
        { type: 'bar', x: ['a', 'b', 'c'], y: [1, 2, 3], name: 'these samples' },
        { type: 'bar', x: ['a', 'b', 'c'], y: [2, 2, 2], name: 'the data' },
      ]),
      700,
      measure,
    )!;
    const bars = [...svg.querySelectorAll('.static-data rect')];
    expect(bars).toHaveLength(6);
    // Side by side in each slot: the first trace's bar left of the second's, same bottom.
    const [a0, a1] = [bars[0], bars[3]].map((b) => ({
      x: Number(b.getAttribute('x')),
      bottom: Number(b.getAttribute('y')) + Number(b.getAttribute('height')),
    }));
    expect(a0.x).toBeLessThan(a1.x);
    expect(a0.bottom).toBeCloseTo(a1.bottom, 1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['a', 'b', 'c', 'these samples', 'the data']));
  });

  it('colours a heatmap cell by cell and adds a colour bar; leaves empty cells out', () => {
    const svg = drawStaticChart(
      figure(
        [
          {
            type: 'heatmap',
            z: [
              [0, 1],
              [0.5, null],
            ],
            colorscale: 'Viridis',
          },
        ],
        { yReversed: true },
      ),
      700,
      measure,
    )!;
    const cells = [...svg.querySelectorAll('.static-data rect')];
    expect(cells).toHaveLength(3);
    expect(cells[0].getAttribute('fill')).toBe('rgb(68,1,84)');
    expect(cells[1].getAttribute('fill')).toBe('rgb(253,231,37)');
    // Row 0 on top: reversed y.
    expect(Number(cells[0].getAttribute('y'))).toBeLessThan(Number(cells[2].getAttribute('y')));
    expect(svg.querySelector('linearGradient')).not.toBeNull();
  });

  it('cleans a fixed range as Plotly does: one that spans nothing (a schedule of zero steps) is split by 1', () => {
    expect(cleanRange([0, 0], [-1, 6])).toEqual([-1, 1]);
    expect(cleanRange([5, Number.NaN], [-1, 6])).toEqual([5, 50]);
    expect(cleanRange([Number.NaN, Number.NaN], [-1, 6])).toEqual([-1, 6]);
    const svg = drawStaticChart(figure([{ type: 'scatter', x: [0], y: [0] }], { xRange: [0, 0], yRange: [0, 0] }), 700, measure)!;
    const numbers = [...svg.querySelectorAll('*')].flatMap((e) =>
      ['x', 'y', 'x1', 'x2', 'y1', 'y2'].map((a) => e.getAttribute(a)).filter((v) => v !== null),
    );
    expect(numbers.length).toBeGreaterThan(10);
    expect(numbers.filter((v) => !Number.isFinite(Number(v)))).toEqual([]);
  });

  it('leaves log axes, and charts with no width, to Plotly', () => {
    expect(drawStaticChart(figure([{ type: 'scatter', x: [1, 10], y: [1, 2] }], { xType: 'log' }), 700, measure)).toBeNull();
    expect(drawStaticChart(figure([{ type: 'scatter', x: [1, 10], y: [1, 2] }]), 0, measure)).toBeNull();
  });
});

describe('dataEnd', () => {
  it('caps an automatic x range at the lines’ last x, so their names stay in the margin kept for them', () => {
    const lines: PlotTrace[] = [
      { type: 'scatter', x: [0, 3000], y: [1, 2], name: 'a' },
      { type: 'scatter', x: [0, 2000], y: [1, 3], name: 'b' },
    ];
    expect(dataEnd(lines, 600)).toBe(3000);
    expect(dataEnd([{ ...lines[0], mode: 'lines+markers' } as PlotTrace], 600)).toBeGreaterThan(3000);
    expect(dataEnd([{ type: 'scatter', x: ['a', 'b'], y: [1, 2] }], 600)).toBeUndefined();
    const fig = figure(lines);
    expect((fig.layout.xaxis as { autorangeoptions?: unknown }).autorangeoptions).toEqual({ maxallowed: 3000 });
  });
});

describe('<Plot> drawn as a picture', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('draws without Plotly, and hands the chart to Plotly when the pointer really moves over it', async () => {
    vi.stubGlobal(
      'ResizeObserver',
      class {
        observe() {}
        disconnect() {}
      },
    );
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(640);
    const reacts: unknown[] = [];
    const plotly = {
      react: vi.fn(async (...args: unknown[]) => void reacts.push(args)),
      purge: vi.fn(),
      downloadImage: vi.fn(),
      Plots: { resize: vi.fn(async () => undefined) },
    } satisfies PlotlyApi;
    vi.mocked(loadPlotly).mockClear();
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    render(<Plot traces={[{ type: 'scatter', x: [0, 1, 2], y: [3, 1, 2], name: 'loss' }]} label="Loss" filename="loss" />);
    const frame = () => act(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));
    await frame();
    const graph = screen.getByTestId('plot');
    expect(graph.dataset.renderer).toBe('static');
    expect(graph.dataset.ready).toBe('true');
    expect(graph.dataset.points).toBe('3');
    expect(graph.querySelector('svg.static-chart')).not.toBeNull();
    expect(loadPlotly).not.toHaveBeenCalled();

    // The page scrolled under a resting pointer: the browser's move has no movement.
    const move = (movementX: number) => {
      const e = createEvent.pointerMove(graph);
      Object.defineProperties(e, { movementX: { value: movementX }, movementY: { value: 0 } }); // jsdom has no PointerEvent
      fireEvent(graph, e);
    };
    move(0);
    await frame();
    expect(loadPlotly).not.toHaveBeenCalled();

    move(3);
    await frame();
    await frame();
    expect(loadPlotly).toHaveBeenCalled();
    expect(reacts).toHaveLength(1);
    expect(graph.dataset.renderer).toBe('plotly');
    expect(graph.querySelector('svg.static-chart')).toBeNull();
  });
});
