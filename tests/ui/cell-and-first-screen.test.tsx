/**
 * A cell that runs when seen, a long run's time, progress and Cancel; the first screen's
 * payoff and facts; the folded narration control.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { cell, type CellContext } from '../../src/ui/cells/types.ts';
import { NarrationPlayers } from '../../src/ui/narration/NarrationPlayer.tsx';
import { Cell } from '../../src/ui/section/Cell.tsx';
import { Hero } from '../../src/ui/notebook/Hero.tsx';
import { formatMinutes, sectionMinutes } from '../../src/ui/notebook/lesson-time.ts';
import { UNMASKING_DEMO } from '../../src/ui/notebook/unmasking-demo.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

const noop = () => undefined;

describe('a cell that needs no input', () => {
  it('runs by itself the first time it is on screen, and only then', async () => {
    let observed: IntersectionObserverCallback = noop;
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(cb: IntersectionObserverCallback) {
          observed = cb;
        }
        observe() {}
        disconnect() {}
      },
    );
    let runs = 0;
    const def = cell<number>({ title: 'Table', auto: true, run: () => ++runs, View: ({ out }) => <p>run {out}</p> });
    const { container } = render(<Cell id="t" def={def} seed={1} runSignal={0} runWhenSeen showCodeByDefault={false} onRan={noop} />);
    expect(screen.getByText('Runs when it comes into view.')).toBeTruthy();
    expect(runs).toBe(0);
    await act(async () =>
      observed([{ isIntersecting: true, target: container.firstElementChild! } as unknown as IntersectionObserverEntry], {} as IntersectionObserver),
    );
    expect(await screen.findByText('run 1')).toBeTruthy();
    await act(async () =>
      observed([{ isIntersecting: true, target: container.firstElementChild! } as unknown as IntersectionObserverEntry], {} as IntersectionObserver),
    );
    expect(runs).toBe(1);
  });
});

describe('a long run', () => {
  it('shows its time and its progress, and can be cancelled, dropping the late result', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'Date'] });
    let ctx: CellContext | null = null;
    let finish: (v: string) => void = noop;
    const def = cell<string>({
      title: 'Accuracy against t',
      run: (c) => {
        ctx = c;
        return new Promise<string>((r) => (finish = r));
      },
      View: ({ out }) => <p>{out}</p>,
    });
    render(<Cell id="slow" def={def} seed={1} runSignal={1} showCodeByDefault={false} onRan={noop} />);
    await act(async () => {});
    expect(screen.getByRole('status').textContent).toContain('Running…');
    expect(screen.getByRole('status').textContent).not.toMatch(/\d:\d\d/); // no clock for a blink
    await act(async () => ctx!.progress(3, 15));
    const bar = screen.getByRole('progressbar', { name: 'Accuracy against t: progress' }) as HTMLProgressElement;
    expect(bar.value).toBeCloseTo(0.2, 10);
    await act(async () => void vi.advanceTimersByTime(5000));
    expect(screen.getByRole('status').textContent).toContain('0:05');
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(ctx!.signal.aborted).toBe(true);
    expect(screen.getByText(/^Cancelled\./)).toBeTruthy();
    await act(async () => finish('too late'));
    expect(screen.queryByText('too late')).toBeNull();
  });
});

describe('cells queued by Run all', () => {
  it('wait their turn as "queued", with no Running line or Cancel, and show them once they run', async () => {
    const finishers: ((v: string) => void)[] = [];
    const slow = (title: string) =>
      cell<string>({ title, run: () => new Promise<string>((r) => finishers.push(r)), View: ({ out }) => <p>{out}</p> });
    const { container } = render(
      <>
        <Cell id="first" def={slow('First')} seed={1} runSignal={1} showCodeByDefault={false} onRan={noop} />
        <Cell id="second" def={slow('Second')} seed={1} runSignal={1} showCodeByDefault={false} onRan={noop} />
      </>,
    );
    await act(async () => {});
    const [first, second] = [...container.querySelectorAll('.cell')];
    expect(first.getAttribute('data-state')).toBe('running');
    expect(second.getAttribute('data-state')).toBe('queued');
    expect(screen.getAllByRole('status')).toHaveLength(1); // one "Running…", the first cell's
    expect(screen.getAllByRole('button', { name: 'Cancel' })).toHaveLength(1);
    expect((second.querySelector('button.run') as HTMLButtonElement).disabled).toBe(true);
    await act(async () => finishers[0]('first done'));
    expect(first.getAttribute('data-state')).toBe('done');
    expect(second.getAttribute('data-state')).toBe('running');
    expect(second.querySelector('[role="status"]')!.textContent).toContain('Running…');
    await act(async () => finishers[1]('second done'));
    expect(screen.getByText('second done')).toBeTruthy();
  });
});

describe('the first screen', () => {
  it('shows the demo finished (reduced motion), steps through it by hand, and says how long the lesson is', () => {
    vi.stubGlobal('matchMedia', (q: string) => ({ matches: q.includes('reduce'), addEventListener: noop, removeEventListener: noop }));
    render(<Hero sections={SECTIONS} />);
    const strips = screen.getAllByRole('list', { name: /^Generated sequence/ });
    expect(strips).toHaveLength(UNMASKING_DEMO.sequences.length);
    const shown = (i: number) => Array.from(strips[i].querySelectorAll('li'), (li) => (li.classList.contains('masked') ? 0 : Number(li.textContent)));
    expect(shown(0)).toEqual(UNMASKING_DEMO.sequences[0].tokens);
    fireEvent.change(screen.getByRole('slider', { name: 'Step of the unmasking' }), { target: { value: '0' } });
    expect(shown(0).every((t) => t === 0)).toBe(true);
    expect(screen.getByText(/step 0 of 32: 96 of 96 still masked/)).toBeTruthy();
    const minutes = SECTIONS.reduce((t, s) => t + sectionMinutes(s), 0);
    expect(screen.getByTestId('lesson-length').textContent).toContain(formatMinutes(minutes).replace(/^about/, 'About'));
    expect(screen.getByTestId('lesson-length').textContent).toContain(`${SECTIONS.length} sections`);
  });
});

describe('the narration control', () => {
  it('is one "Listen" button with the clip’s length until pressed; then it plays and unfolds', async () => {
    const play = vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
    vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(noop);
    render(<NarrationPlayers section="math" />);
    const listen = screen.getByRole('button', { name: /^Listen 1:36 ?, narration: The math$/ });
    expect(listen.textContent).toContain('Listen');
    expect(screen.queryByRole('slider')).toBeNull();
    expect(document.querySelector('audio')!.getAttribute('preload')).toBe('none'); // nothing fetched before a play
    await act(async () => fireEvent.click(listen));
    expect(play).toHaveBeenCalled();
    expect(screen.getByRole('slider', { name: 'Position in the narration' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: 'Speed' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Fold' }));
    expect(screen.getByRole('button', { name: /^Listen/ })).toBeTruthy();
  });
});
