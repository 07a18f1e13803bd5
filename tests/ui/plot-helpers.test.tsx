/** The chart wrapper's pure parts: CSV, table derivation, point counts, themes, the Plotly figure. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PLOT_CONFIG, toPlotlyFigure, type FigureOptions } from '../../src/ui/plot/figure.ts';
import { countPoints, csvField, deriveTable, formatCell, toCsv } from '../../src/ui/plot/table.ts';
import { resolveTheme, THEMES } from '../../src/ui/plot/theme.ts';
import type { PlotTable, PlotTrace } from '../../src/ui/plot/types.ts';

/** An independent RFC 4180 reader, to check the writer against. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else {
      field += c;
    }
  }
  expect(field).toBe(''); // every record ends in CRLF
  return rows;
}

/** WCAG 2 relative luminance and contrast ratio, from the spec's formula. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('CSV', () => {
  it('quotes only fields that need it, doubling inner quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(-0.125)).toBe('-0.125');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('writes CRLF records with full precision', () => {
    const table: PlotTable = {
      columns: ['t', 'loss, nats'],
      rows: [
        [0.1, 2.302585092994046],
        [0.2, 'n/a'],
      ],
    };
    expect(toCsv(table)).toBe('t,"loss, nats"\r\n0.1,2.302585092994046\r\n0.2,n/a\r\n');
  });

  it('round-trips any table through an independent reader', () => {
    const text = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r', ' ', 'é', '[M]') });
    const cellArb = fc.oneof(text, fc.double({ noNaN: true, noDefaultInfinity: true }));
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.array(cellArb, { minLength: 4, maxLength: 4 }), { maxLength: 5 }), (n, rows) => {
        const table = { columns: ['x', 'y "quoted"', 'z,comma', 'w'].slice(0, n), rows: rows.map((r) => r.slice(0, n)) };
        const back = parseCsv(toCsv(table));
        expect(back).toEqual([table.columns, ...table.rows.map((r) => r.map(String))]);
      }),
    );
  });
});

describe('deriveTable', () => {
  it('puts series that share x side by side', () => {
    const traces: PlotTrace[] = [
      { type: 'bar', x: [0, 1, 2], y: [0.5, 0.3, 0.2], name: 'measured' },
      { type: 'scatter', x: [0, 1, 2], y: [0.49, null, 0.21], name: 'Binomial' },
    ];
    expect(deriveTable(traces, { xTitle: 'k' })).toEqual({
      columns: ['k', 'measured', 'Binomial'],
      rows: [
        [0, 0.5, 0.49],
        [1, 0.3, ''],
        [2, 0.2, 0.21],
      ],
    });
  });

  it('uses the axis titles for one unnamed series', () => {
    const t = deriveTable([{ type: 'scatter', x: Float32Array.from([1, 2]), y: Float32Array.from([0.5, 0.25]) }], { xTitle: 'step', yTitle: 'loss' });
    expect(t).toEqual({
      columns: ['step', 'loss'],
      rows: [
        [1, 0.5],
        [2, 0.25],
      ],
    });
  });

  it('lists one row per point when x differs, naming each series', () => {
    const traces: PlotTrace[] = [
      { type: 'scatter', x: [0.1, 0.5], y: [0.12, 0.48], name: 'measured' },
      { type: 'scatter', x: [0, 1], y: [0, 1] },
    ];
    expect(deriveTable(traces)).toEqual({
      columns: ['series', 'x', 'y'],
      rows: [
        ['measured', 0.1, 0.12],
        ['measured', 0.5, 0.48],
        ['series 2', 0, 0],
        ['series 2', 1, 1],
      ],
    });
  });

  it('gives a heatmap as its matrix, rows along y', () => {
    const t = deriveTable(
      [
        {
          type: 'heatmap',
          z: [
            [1, 2, 3],
            [4, null, 6],
          ],
          x: ['The', 'cat', 'sat'],
          y: ['q1', 'q2'],
        },
      ],
      { xTitle: 'key', yTitle: 'query' },
    );
    expect(t).toEqual({
      columns: ['query \\ key', 'The', 'cat', 'sat'],
      rows: [
        ['q1', 1, 2, 3],
        ['q2', 4, '', 6],
      ],
    });
  });

  it('numbers heatmap rows and columns from 0 when unlabelled, even where a label would be 0', () => {
    const t = deriveTable([{ type: 'heatmap', z: [Float64Array.from([0.5, 0.25])], x: [0] }]);
    expect(t.columns).toEqual(['y \\ x', '0', '1']);
    expect(t.rows).toEqual([[0, 0.5, 0.25]]);
  });

  it('mixes a heatmap with a line in long form, with a z column', () => {
    const t = deriveTable([
      { type: 'heatmap', z: [[7, 8]], name: 'h' },
      { type: 'scatter', x: [0], y: [1], name: 'l' },
    ]);
    expect(t.columns).toEqual(['series', 'x', 'y', 'z']);
    expect(t.rows).toEqual([
      ['h', 0, 0, 7],
      ['h', 1, 0, 8],
      ['l', 0, 1, ''],
    ]);
  });
});

describe('countPoints', () => {
  it('counts drawn points only: finite y, paired with an x; finite heatmap cells', () => {
    expect(countPoints([])).toBe(0);
    expect(countPoints([{ type: 'scatter', x: [1, 2, 3, 4], y: [1, null, Number.NaN, 4] }])).toBe(2);
    expect(countPoints([{ type: 'bar', x: [1, 2], y: [1, 2, 3] }])).toBe(2); // the unpaired y is not drawn
    expect(countPoints([{ type: 'heatmap', z: [Float32Array.from([1, Number.NaN]), [null, 2, 3]] }])).toBe(3);
    expect(
      countPoints([
        { type: 'scatter', x: [0, 1], y: [0, 1] },
        { type: 'heatmap', z: [[1]] },
      ]),
    ).toBe(3);
  });
});

describe('formatCell', () => {
  it('reads numbers aloud at four significant digits and leaves text alone', () => {
    expect(formatCell(2.302585092994046)).toBe('2.303');
    expect(formatCell(0.000123456)).toBe('0.0001235');
    expect(formatCell(12)).toBe('12');
    expect(formatCell(12345.678)).toBe('12345.7');
    expect(formatCell(Number.POSITIVE_INFINITY)).toBe('');
    expect(formatCell('[M]')).toBe('[M]');
  });
});

describe('themes', () => {
  it('an explicit data-theme wins over the system preference', () => {
    expect(resolveTheme('dark', false)).toBe('dark');
    expect(resolveTheme('light', true)).toBe('light');
    expect(resolveTheme(null, true)).toBe('dark');
    expect(resolveTheme('auto', false)).toBe('light');
  });

  it.each(['light', 'dark'] as const)('%s: text reads at 4.5:1 and every series colour stands out at 3:1', (name) => {
    const theme = THEMES[name];
    expect(contrast(theme.text, theme.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(theme.muted, theme.background)).toBeGreaterThanOrEqual(4.5);
    expect(theme.palette.length).toBeGreaterThanOrEqual(5);
    for (const c of theme.palette) expect(contrast(c, theme.background), c).toBeGreaterThanOrEqual(3);
  });
});

describe('toPlotlyFigure', () => {
  const options = (over: Partial<FigureOptions> = {}): FigureOptions => ({
    theme: THEMES.light,
    height: 300,
    reducedMotion: false,
    revision: 1,
    ...over,
  });
  const lines: PlotTrace[] = [
    { type: 'scatter', x: [0, 1], y: [1, 0], name: 'a' },
    { type: 'heatmap', z: [[1]] },
    { type: 'scatter', x: [0, 1], y: [0, 1], name: 'b', mode: 'lines+markers' },
    { type: 'scatter', x: [0, 1], y: [0, 1], name: 'c', color: '#123456', dash: 'solid' },
  ];

  it('gives series palette colours, dashes and markers in order, skipping heatmaps; explicit choices win', () => {
    const { data } = toPlotlyFigure(lines, {}, options());
    expect(data[0]).toMatchObject({ type: 'scatter', mode: 'lines', line: { color: '#0072B2', dash: 'solid' }, marker: { symbol: 'circle' } });
    expect(data[1]).toMatchObject({ type: 'heatmap', colorscale: 'Viridis', hoverongaps: false });
    expect(data[2]).toMatchObject({ mode: 'lines+markers', line: { color: '#D55E00', dash: 'dash' }, marker: { symbol: 'square' } });
    expect(data[3]).toMatchObject({ line: { color: '#123456', dash: 'solid' } });
    const dark = toPlotlyFigure(lines, {}, options({ theme: THEMES.dark })).data;
    expect(dark[0]).toMatchObject({ line: { color: '#56B4E9' } });
  });

  it('themes the page, text, grid and hover label', () => {
    for (const name of ['light', 'dark'] as const) {
      const t = THEMES[name];
      const { layout } = toPlotlyFigure(lines, {}, options({ theme: t }));
      expect(layout).toMatchObject({
        paper_bgcolor: t.background,
        plot_bgcolor: t.background,
        font: { color: t.text },
        xaxis: { gridcolor: t.grid, zerolinecolor: t.zero },
        hoverlabel: { bgcolor: t.background, font: { color: t.text } },
        hovermode: 'closest',
      });
    }
  });

  it('eases updates only when asked and motion is allowed', () => {
    expect(toPlotlyFigure(lines, { animate: true }, options()).layout.transition).toEqual({ duration: 250, easing: 'cubic-in-out' });
    expect(toPlotlyFigure(lines, { animate: true }, options({ reducedMotion: true })).layout).not.toHaveProperty('transition');
    expect(toPlotlyFigure(lines, {}, options()).layout).not.toHaveProperty('transition');
  });

  it('maps axes: titles, fixed or automatic ranges, reversed rows', () => {
    const { layout } = toPlotlyFigure(lines, { xTitle: 't', xRange: [0, 1], yReversed: true, yType: 'log' }, options({ height: 420, revision: 7 }));
    expect(layout).toMatchObject({
      height: 420,
      datarevision: 7,
      xaxis: { title: { text: 't' }, range: [0, 1], autorange: false },
      yaxis: { autorange: 'reversed', type: 'log' },
    });
    const reversedRange = toPlotlyFigure(lines, { yRange: [0, 5], yReversed: true }, options()).layout.yaxis;
    expect(reversedRange).toMatchObject({ range: [5, 0], autorange: false });
  });

  it('shows a legend for several traces unless told otherwise', () => {
    expect(toPlotlyFigure(lines.slice(0, 1), {}, options()).layout.showlegend).toBe(false);
    expect(toPlotlyFigure(lines, {}, options()).layout.showlegend).toBe(true);
    expect(toPlotlyFigure(lines, { showLegend: false }, options()).layout.showlegend).toBe(false);
  });

  it('lets overlaid bars show through, centres a diverging scale at zero', () => {
    const { data } = toPlotlyFigure(
      [
        { type: 'bar', x: [0], y: [1], width: 0.03 },
        { type: 'heatmap', z: [[-1, 1]], colorscale: 'RdBu' },
        { type: 'heatmap', z: [[0, 1]], colorscale: 'RdBu', zmin: 0, zmax: 1 },
      ],
      { barmode: 'overlay' },
      options(),
    );
    expect(data[0]).toMatchObject({ width: 0.03, marker: { opacity: 0.7 } });
    expect(data[1].zmid).toBe(0);
    expect(data[2].zmid).toBeUndefined();
  });

  it('hides the modebar: the wrapper has its own buttons', () => {
    expect(PLOT_CONFIG).toMatchObject({ displayModeBar: false, displaylogo: false });
  });
});
