/**
 * <Plot> in jsdom. jsdom cannot run Plotly (no SVG layout, no canvas), so the lazy loader
 * is mocked with a recording fake; everything else (frames, themes, table, CSV) is real.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Plot, type PlotTrace } from '../../src/ui/plot/index.ts';
import { loadPlotly, type PlotlyApi } from '../../src/ui/plot/plotly.ts';
import type { PlotlyObject } from '../../src/ui/plot/figure.ts';

vi.mock('../../src/ui/plot/plotly.ts', () => ({ loadPlotly: vi.fn() }));

interface ReactCall {
  gd: HTMLElement;
  data: PlotlyObject[];
  layout: PlotlyObject;
}

/** A Plotly stand-in that records what it was asked to draw. */
function fakePlotly() {
  const reacts: ReactCall[] = [];
  const api = {
    reacts,
    react: vi.fn(async (gd: HTMLElement, data: PlotlyObject[], layout: PlotlyObject) => void reacts.push({ gd, data, layout })),
    purge: vi.fn(),
    downloadImage: vi.fn(async () => 'data:image/png;base64,'),
    Plots: { resize: vi.fn(async () => undefined) },
  };
  return api satisfies PlotlyApi;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Settle pending loads and re-renders, let the frames they queued run, then the draws they started. */
async function nextFrame() {
  await act(async () => {});
  await act(() => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0))));
}

/** jsdom's Blob has no text(); FileReader it does have. */
const blobText = (blob: Blob) =>
  new Promise<string>((resolve) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.readAsText(blob);
  });

const loss = (n: number): PlotTrace[] => [
  { type: 'scatter', x: Array.from({ length: n }, (_, i) => i), y: Array.from({ length: n }, (_, i) => 1 / (i + 1)), name: 'loss' },
];

const graph = () => screen.getByTestId('plot');

/** Open the chart's menu ("⋯ Chart data") and return the item named `name`. */
function menuItem(name: string | RegExp): HTMLElement {
  const toggle = screen.getByRole('button', { name: /Chart data/ });
  if (toggle.getAttribute('aria-expanded') !== 'true') fireEvent.click(toggle);
  return screen.getByRole('button', { name });
}

beforeEach(() => {
  document.documentElement.removeAttribute('data-theme');
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('<Plot> while Plotly loads', () => {
  it('holds the chart’s height with a "Loading chart…" status, never an empty box', () => {
    vi.mocked(loadPlotly).mockReturnValue(new Promise(() => {}));
    render(<Plot traces={loss(3)} label="Training loss" filename="loss" height={280} />);
    expect(screen.getByRole('status').textContent).toBe('Loading chart…');
    expect(graph().parentElement!.style.height).toBe('280px');
    expect(graph().getAttribute('role')).toBe('img');
    expect(graph().getAttribute('aria-label')).toBe('Training loss');
    expect(graph().dataset.ready).toBe('false');
    expect(graph().dataset.points).toBe('0');
    expect(menuItem('Download PNG')).toHaveProperty('disabled', true);
    expect(menuItem('Download CSV')).toHaveProperty('disabled', false);
  });

  it('offers no downloads and no table for a chart with no data yet', () => {
    vi.mocked(loadPlotly).mockReturnValue(new Promise(() => {}));
    render(<Plot traces={[{ type: 'scatter', x: [], y: [], name: 'loss' }]} label="Training loss: no steps yet" filename="loss" />);
    expect(screen.queryByRole('button', { name: /Chart data/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /Download/ })).toBeNull();
  });

  it('draws the newest props once Plotly arrives, not the ones it was asked for first', async () => {
    const plotly = fakePlotly();
    const load = deferred<PlotlyApi>();
    vi.mocked(loadPlotly).mockReturnValue(load.promise);
    const { rerender } = render(<Plot traces={loss(3)} label="Loss" filename="loss" />);
    rerender(<Plot traces={loss(5)} label="Loss" filename="loss" />);
    rerender(<Plot traces={loss(8)} label="Loss" filename="loss" />);
    await act(async () => load.resolve(plotly));
    await nextFrame();
    expect(plotly.reacts).toHaveLength(1);
    expect(plotly.reacts[0].gd).toBe(graph());
    expect(plotly.reacts[0].data[0].x).toHaveLength(8);
    expect(graph().dataset.ready).toBe('true');
    expect(graph().dataset.points).toBe('8');
    expect(screen.queryByRole('status')).toBeNull();
  });
});

describe('<Plot> drawing', () => {
  async function drawn(traces = loss(4)) {
    const plotly = fakePlotly();
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    const view = render(<Plot traces={traces} layout={{ xTitle: 'step' }} label="Loss" filename="loss" height={300} />);
    await nextFrame();
    return { plotly, ...view };
  }

  it('coalesces a burst of updates into one Plotly.react a frame, with the last data', async () => {
    const { plotly, rerender } = await drawn();
    expect(plotly.reacts).toHaveLength(1);
    for (let n = 5; n <= 40; n++) rerender(<Plot traces={loss(n)} layout={{ xTitle: 'step' }} label="Loss" filename="loss" height={300} />);
    expect(graph().getAttribute('aria-busy')).toBe('true'); // a draw is on its way
    await nextFrame();
    expect(graph().hasAttribute('aria-busy')).toBe(false);
    expect(plotly.reacts).toHaveLength(2);
    expect(plotly.reacts[1].data[0].y).toHaveLength(40);
    expect(plotly.reacts[1].layout.datarevision).toBe(2);
    expect(graph().dataset.points).toBe('40');
  });

  it('re-themes live when <html data-theme> changes', async () => {
    const { plotly } = await drawn();
    expect(plotly.reacts[0].layout.paper_bgcolor).toBe('#ffffff');
    await act(async () => document.documentElement.setAttribute('data-theme', 'dark'));
    await nextFrame();
    expect(plotly.reacts.at(-1)!.layout.paper_bgcolor).toBe('#0f1419');
    expect(plotly.reacts.at(-1)!.data[0]).toMatchObject({ line: { color: '#56B4E9' } });
  });

  it('follows the system colour scheme and reduced motion when they change', async () => {
    const lists = new Map<string, { matches: boolean; listeners: Set<() => void> }>();
    vi.stubGlobal('matchMedia', (query: string) => {
      const list = lists.get(query) ?? { matches: false, listeners: new Set<() => void>() };
      lists.set(query, list);
      return {
        get matches() {
          return list.matches;
        },
        addEventListener: (_: string, f: () => void) => list.listeners.add(f),
        removeEventListener: (_: string, f: () => void) => list.listeners.delete(f),
      };
    });
    const flip = (query: string) =>
      act(async () => {
        const list = lists.get(query)!;
        list.matches = true;
        list.listeners.forEach((f) => f());
      });
    const plotly = fakePlotly();
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    render(<Plot traces={loss(3)} layout={{ animate: true }} label="Loss" filename="loss" />);
    await nextFrame();
    expect(plotly.reacts[0].layout).toMatchObject({ paper_bgcolor: '#ffffff', transition: { duration: 250 } });
    await flip('(prefers-color-scheme: dark)');
    await flip('(prefers-reduced-motion: reduce)');
    await nextFrame();
    expect(plotly.reacts.at(-1)!.layout.paper_bgcolor).toBe('#0f1419');
    expect(plotly.reacts.at(-1)!.layout).not.toHaveProperty('transition');
  });

  it('purges on unmount and never draws after it', async () => {
    const { plotly, rerender, unmount } = await drawn();
    const gd = graph();
    rerender(<Plot traces={loss(9)} layout={{ xTitle: 'step' }} label="Loss" filename="loss" height={300} />);
    unmount(); // a frame was queued for the update above
    await nextFrame();
    expect(plotly.purge).toHaveBeenCalledWith(gd);
    expect(plotly.reacts).toHaveLength(1);
  });

  it('downloads a PNG of the chart through Plotly, drawn off screen from the same figure', async () => {
    const { plotly } = await drawn();
    fireEvent.click(menuItem('Download PNG'));
    await act(async () => {});
    expect(plotly.downloadImage).toHaveBeenCalledWith(
      { data: [expect.objectContaining({ type: 'scatter', name: 'loss' })], layout: expect.objectContaining({ height: 300 }) },
      expect.objectContaining({ format: 'png', filename: 'loss', height: 300 }),
    );
  });

  it('shows the failure and the table when Plotly cannot draw the data', async () => {
    const plotly = fakePlotly();
    plotly.react.mockImplementationOnce(() => {
      throw new Error('bad data'); // a synchronous throw must be caught as well as a rejection
    });
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    render(<Plot traces={loss(2)} label="Loss" filename="loss" />);
    await nextFrame();
    expect(screen.getByRole('alert').textContent).toContain('bad data');
    expect(screen.getByRole('table')).toBeTruthy();
  });
});

describe('<Plot> off screen, resized, printed', () => {
  /** An IntersectionObserver the test moves by hand: `show(true)` brings every watched chart near the screen. */
  function fakeScreen() {
    const observers: { cb: IntersectionObserverCallback; els: Element[] }[] = [];
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        private readonly entry: { cb: IntersectionObserverCallback; els: Element[] };
        constructor(cb: IntersectionObserverCallback) {
          this.entry = { cb, els: [] };
          observers.push(this.entry);
        }
        observe(el: Element) {
          this.entry.els.push(el);
        }
        disconnect() {
          observers.splice(observers.indexOf(this.entry), 1);
        }
      },
    );
    return (isIntersecting: boolean) =>
      act(() => {
        for (const o of [...observers])
          o.cb(
            o.els.map((target) => ({ target, isIntersecting }) as IntersectionObserverEntry),
            {} as IntersectionObserver,
          );
      });
  }

  it('waits to draw until the chart comes near the screen, then draws the newest data once', async () => {
    const show = fakeScreen();
    const plotly = fakePlotly();
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    const { rerender } = render(<Plot traces={loss(3)} label="Loss" filename="loss" />);
    await nextFrame();
    show(false);
    rerender(<Plot traces={loss(6)} label="Loss" filename="loss" />);
    await nextFrame();
    expect(plotly.react).not.toHaveBeenCalled();
    expect(graph().dataset.ready).toBe('false');
    expect(graph().hasAttribute('aria-busy')).toBe(false); // it owes a draw; it is not drawing
    expect(screen.getByRole('status').textContent).toBe('Loading chart…');
    show(true);
    await nextFrame();
    expect(plotly.reacts).toHaveLength(1);
    expect(plotly.reacts[0].data[0].x).toHaveLength(6);
    expect(graph().dataset.ready).toBe('true');
    expect(graph().hasAttribute('aria-busy')).toBe(false);
    // Once drawn, leaving the screen and coming back draws nothing new.
    show(false);
    show(true);
    await nextFrame();
    expect(plotly.reacts).toHaveLength(1);
  });

  it('draws again when its width changes, so line names, legend and titles fit the new width', async () => {
    // Every observer on the page (the chart's, the figure's scroll cues) hears of every resize.
    const observers: (() => void)[] = [];
    let shownWidth = 600;
    const resized = (width: number) => {
      shownWidth = width;
      for (const report of observers) report();
    };
    vi.stubGlobal(
      'ResizeObserver',
      class {
        private readonly report: () => void;
        constructor(cb: ResizeObserverCallback) {
          const entry = () => ({ contentRect: { width: shownWidth }, target: document.createElement('div') }) as unknown as ResizeObserverEntry;
          this.report = () => cb([entry()], this as unknown as ResizeObserver);
          observers.push(this.report);
        }
        // As in a browser, observing brings a first report, once the element is laid out.
        observe() {
          requestAnimationFrame(() => act(() => this.report()));
        }
        disconnect() {}
      },
    );
    const plotly = fakePlotly();
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    render(<Plot traces={loss(4)} label="Loss" filename="loss" />);
    fireEvent.pointerDown(graph()); // the reader reaches for the chart: Plotly draws it (jsdom cannot lay out a picture)
    await nextFrame();
    await nextFrame();
    // Drawn once: the observer's first report is not a change of width.
    expect(plotly.reacts).toHaveLength(1);
    expect(plotly.Plots.resize).not.toHaveBeenCalled();
    act(() => resized(320));
    await nextFrame();
    await nextFrame();
    expect(plotly.Plots.resize).toHaveBeenCalledTimes(1);
    expect(plotly.reacts).toHaveLength(2);
    // A resize that keeps the width (the height of a slide, say) only resizes.
    act(() => resized(320));
    await nextFrame();
    await nextFrame();
    expect(plotly.Plots.resize).toHaveBeenCalledTimes(2);
    expect(plotly.reacts).toHaveLength(2);
  });

  it('draws a waiting chart at once when the page is about to print', async () => {
    fakeScreen()(false);
    const plotly = fakePlotly();
    vi.mocked(loadPlotly).mockResolvedValue(plotly);
    render(<Plot traces={loss(4)} label="Loss" filename="loss" />);
    await nextFrame();
    expect(plotly.react).not.toHaveBeenCalled();
    act(() => void dispatchEvent(new Event('beforeprint')));
    expect(plotly.reacts).toHaveLength(1);
    await nextFrame();
    expect(graph().dataset.points).toBe('4');
  });
});

describe('<Plot> when Plotly fails to load', () => {
  it('says so, opens the data table, and keeps the CSV', async () => {
    vi.mocked(loadPlotly).mockRejectedValue(new Error('Failed to fetch dynamically imported module'));
    render(<Plot traces={loss(3)} layout={{ xTitle: 'step', yTitle: 'loss' }} label="Training loss" filename="loss" />);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('could not be drawn');
    expect(alert.textContent).toContain('Failed to fetch dynamically imported module');
    expect(screen.queryByRole('status')).toBeNull();
    expect(graph().getAttribute('role')).toBeNull(); // no empty "image" for screen readers
    expect(screen.getByRole('table')).toBeTruthy(); // shown without asking
    expect(menuItem('Download CSV')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Download PNG' })).toBeNull();
    const table = screen.getByRole('table');
    expect(table.querySelector('caption')!.textContent).toBe('Training loss');
    expect([...table.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent))).toEqual([
      ['step', 'loss'],
      ['0', '1'],
      ['1', '0.5'],
      ['2', '0.3333'],
    ]);
  });
});

describe('<Plot> data table and CSV', () => {
  beforeEach(() => {
    vi.mocked(loadPlotly).mockReturnValue(new Promise(() => {}));
  });

  it('renders the table only when the reader asks for it in the chart menu, and hides it again', async () => {
    render(
      <Plot
        traces={loss(2)}
        label="Loss"
        filename="loss"
        table={{
          columns: ['token', 'p'],
          rows: [
            ['cat', 0.75],
            ['dog', 0.25],
          ],
        }}
      />,
    );
    expect(screen.queryByRole('table')).toBeNull();
    fireEvent.click(menuItem('Show data table'));
    // The menu closes and focus returns to its toggle.
    expect(screen.queryByRole('button', { name: 'Download CSV' })).toBeNull();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: /Chart data/ }));
    const table = screen.getByRole('table');
    expect([...table.querySelectorAll('th[scope=col]')].map((th) => th.textContent)).toEqual(['token', 'p']);
    expect([...table.querySelectorAll('th[scope=row]')].map((th) => th.textContent)).toEqual(['cat', 'dog']);
    expect([...table.querySelectorAll('td')].map((td) => td.textContent)).toEqual(['0.75', '0.25']);
    fireEvent.click(menuItem('Hide data table'));
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('closes the menu on Esc without letting the key reach the page', () => {
    render(<Plot traces={loss(2)} label="Loss" filename="loss" />);
    const onPage = vi.fn();
    window.addEventListener('keydown', onPage);
    try {
      const csv = menuItem('Download CSV');
      fireEvent.keyDown(csv, { key: 'Escape' });
      expect(screen.queryByRole('button', { name: 'Download CSV' })).toBeNull();
      expect(onPage).not.toHaveBeenCalled();
    } finally {
      window.removeEventListener('keydown', onPage);
    }
  });

  it('saves the table as quoted CSV named after the chart', async () => {
    const blobs: Blob[] = [];
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: (b: Blob) => (blobs.push(b), 'blob:test'), revokeObjectURL: () => {} }));
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    const traces: PlotTrace[] = [
      { type: 'bar', x: [0, 1], y: [0.5, 0.5], name: 'measured, 1000 draws' },
      { type: 'scatter', x: [0, 1], y: [0.49, 0.51], name: 'say "expected"' },
    ];
    render(<Plot traces={traces} layout={{ xTitle: 'k' }} label="Counts" filename="mask-counts" />);
    fireEvent.click(menuItem('Download CSV'));
    expect(click).toHaveBeenCalledTimes(1);
    expect((click.mock.contexts[0] as HTMLAnchorElement).download).toBe('mask-counts.csv');
    expect(blobs).toHaveLength(1);
    expect(blobs[0].type).toBe('text/csv;charset=utf-8');
    expect(await blobText(blobs[0])).toBe('k,"measured, 1000 draws","say ""expected"""\r\n0,0.5,0.49\r\n1,0.5,0.51\r\n');
  });
});
