/**
 * The notebook's named hooks and helpers, each on its own: progress, the shareable URL,
 * the reading position, in-page section links, exercises solved, the first screen's
 * animation, a cell's timing, scroll cues, and the places projector mode returns to.
 */
import { act, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { exerciseStore } from '../../src/ui/exercises/store.ts';
import { anchorAtTop, anchorElement, findAnchor } from '../../src/ui/notebook/anchors.ts';
import { Contents } from '../../src/ui/notebook/Contents.tsx';
import { parseUrl, shareUrl } from '../../src/ui/notebook/progress.ts';
import { Toolbar } from '../../src/ui/notebook/Toolbar.tsx';
import { useSeen } from '../../src/ui/figures/use-seen.ts';
import { useElapsed } from '../../src/ui/section/use-cell-timing.ts';
import { useProgress } from '../../src/ui/notebook/use-progress.ts';
import { useReadingPosition } from '../../src/ui/notebook/use-reading-position.ts';
import { markOverflow } from '../../src/ui/figures/use-scroll-cues.ts';
import { useSectionLinks } from '../../src/ui/notebook/use-section-links.ts';
import { useShareableUrl } from '../../src/ui/notebook/use-shareable-url.ts';
import { useSolvedExercises } from '../../src/ui/notebook/use-solved-exercises.ts';
import { useStepAnimation } from '../../src/ui/notebook/use-step-animation.ts';

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** An IntersectionObserver the test drives: `fire(el, true)` says el is on screen. */
function fakeIntersections() {
  const observers: { cb: IntersectionObserverCallback; els: Set<Element> }[] = [];
  class FakeIO {
    private entry: { cb: IntersectionObserverCallback; els: Set<Element> };
    constructor(cb: IntersectionObserverCallback) {
      this.entry = { cb, els: new Set() };
      observers.push(this.entry);
    }
    observe(el: Element) {
      this.entry.els.add(el);
    }
    disconnect() {
      this.entry.els.clear();
    }
  }
  vi.stubGlobal('IntersectionObserver', FakeIO);
  return {
    fire(el: Element, isIntersecting: boolean, top = 0) {
      for (const o of observers) {
        if (!o.els.has(el)) continue;
        o.cb([{ target: el, isIntersecting, boundingClientRect: { top } } as unknown as IntersectionObserverEntry], {} as IntersectionObserver);
      }
    },
  };
}

describe('useProgress', () => {
  it('changes progress only through its actions, and saves every change', () => {
    const saved: string[] = [];
    const storage = { setItem: (_: string, v: string) => void saved.push(v) };
    const { result } = renderHook(() => useProgress({ seed: 7, section: 'setup', ran: [] }, storage));
    act(() => result.current[1].markRan('data/config'));
    act(() => result.current[1].markRan('data/config')); // once is enough
    act(() => result.current[1].setSection('data'));
    act(() => result.current[1].setSeed(9));
    expect(result.current[0]).toEqual({ seed: 9, section: 'data', ran: ['data/config'] });
    act(() => result.current[1].reset());
    expect(result.current[0]).toEqual({ seed: 9, section: 'setup', ran: [] });
    expect(JSON.parse(saved.at(-1)!)).toEqual({ seed: 9, section: 'setup', ran: [] });
  });
});

describe('the shareable URL', () => {
  it('says "present" and the slide in projector mode, and drops both out of it', () => {
    const inProjector = shareUrl('http://h/unmask/?backend=wasm', 'math', 42, 2);
    expect(inProjector).toBe('http://h/unmask/?backend=wasm&section=math&seed=42&present&slide=3');
    expect(parseUrl(new URL(inProjector).search)).toMatchObject({ section: 'math', seed: 42, present: true, slide: 2, warnings: [] });
    expect(shareUrl(inProjector, 'math', 42)).toBe('http://h/unmask/?backend=wasm&section=math&seed=42');
    expect(parseUrl('?present&slide=zero').warnings).toEqual(['Slide "zero" is not a slide number; starting at the section\'s first slide.']);
    expect(parseUrl('?slide=0').slide).toBeUndefined();
  });

  it('rewrites the address without adding to history', () => {
    const replace = vi.spyOn(history, 'replaceState');
    const { rerender } = renderHook(({ slide }) => useShareableUrl('data', 5, slide), { initialProps: { slide: 0 as number | null } });
    expect(location.search).toBe('?section=data&seed=5&present&slide=1');
    rerender({ slide: null });
    expect(location.search).toBe('?section=data&seed=5');
    expect(replace).toHaveBeenCalledTimes(2);
  });
});

describe('useReadingPosition', () => {
  beforeEach(() => {
    document.body.innerHTML = '<section data-section="a" id="a"></section><section data-section="b" id="b"></section>';
    Element.prototype.scrollIntoView = vi.fn();
  });

  it('follows the section on screen, but not the ones a jump scrolls past, until the reader scrolls', () => {
    const io = fakeIntersections();
    const seen: string[] = [];
    const { result } = renderHook(() => useReadingPosition(true, (s) => seen.push(s), 0));
    const [a, b] = document.querySelectorAll('section');
    io.fire(b, true);
    expect(seen).toEqual(['b']);
    act(() => result.current.jumpTo(a, 'a'));
    expect(a.scrollIntoView).toHaveBeenCalledWith({ block: 'start' });
    io.fire(b, true); // passing by on the way
    expect(seen).toEqual(['b', 'a']);
    act(() => void window.dispatchEvent(new Event('wheel'))); // the reader takes over
    io.fire(b, true);
    expect(seen).toEqual(['b', 'a', 'b']);
  });

  it('holds the target in place while the page around it changes height, until the reader scrolls', () => {
    let resized: ResizeObserverCallback = () => {};
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(cb: ResizeObserverCallback) {
          resized = cb;
        }
        observe() {}
        disconnect() {
          resized = () => {};
        }
      },
    );
    const { result } = renderHook(() => useReadingPosition(true, () => {}, 0));
    const a = document.querySelector('section')!;
    act(() => result.current.jumpTo(a, 'a'));
    act(() => resized([], {} as ResizeObserver)); // cells above loaded
    expect(a.scrollIntoView).toHaveBeenCalledTimes(2);
    act(() => void window.dispatchEvent(new Event('keydown')));
    act(() => resized([], {} as ResizeObserver));
    expect(a.scrollIntoView).toHaveBeenCalledTimes(2);
  });

  it('does not track at all while disabled (projector mode)', () => {
    const io = fakeIntersections();
    const seen: string[] = [];
    renderHook(() => useReadingPosition(false, (s) => seen.push(s), 0));
    io.fire(document.querySelector('section')!, true);
    expect(seen).toEqual([]);
  });
});

describe('useSectionLinks', () => {
  it('turns in-page section links into moves, leaving modified clicks to the browser', () => {
    const moves: string[] = [];
    renderHook(() => useSectionLinks((s) => moves.push(s)));
    render(
      <a href="?section=training" data-section-link="training">
        Go to Training
      </a>,
    );
    const link = screen.getByText('Go to Training');
    // What the browser would see after the page's handlers (jsdom cannot follow a link, so stop it there).
    const reached: boolean[] = [];
    const browser = (e: MouseEvent) => {
      reached.push(e.defaultPrevented);
      e.preventDefault();
    };
    window.addEventListener('click', browser);
    try {
      fireEvent.click(link);
      fireEvent.click(link, { ctrlKey: true });
    } finally {
      window.removeEventListener('click', browser);
    }
    expect(reached).toEqual([true, false]); // a plain click moves in the page; Ctrl+click is the browser's (a new tab)
    expect(moves).toEqual(['training']);
  });
});

describe('useSolvedExercises', () => {
  it('is the same set until an exercise is solved', () => {
    const { result } = renderHook(() => useSolvedExercises());
    const before = result.current;
    act(() => exerciseStore.update('todo-1', { attempts: 1 }));
    expect(result.current).toBe(before);
    act(() => exerciseStore.update('todo-1', { solvedCode: 'return 1;' }));
    expect(result.current).not.toBe(before);
    expect(result.current.has('todo-1')).toBe(true);
    act(() => exerciseStore.update('todo-1', { solvedCode: null }));
  });
});

describe('useStepAnimation', () => {
  it('plays once to the end and stops there; Replay starts over; moving by hand pauses', () => {
    vi.useFakeTimers();
    const { result } = renderHook(() => useStepAnimation(4, 100, true));
    expect(result.current).toMatchObject({ step: 0, playing: true });
    act(() => void vi.advanceTimersByTime(250));
    expect(result.current.step).toBe(2);
    act(() => void vi.advanceTimersByTime(1000));
    expect(result.current).toMatchObject({ step: 4, playing: false });
    act(() => result.current.play());
    expect(result.current).toMatchObject({ step: 0, playing: true });
    act(() => result.current.seek(3));
    expect(result.current).toMatchObject({ step: 3, playing: false });
    act(() => void vi.advanceTimersByTime(1000));
    expect(result.current.step).toBe(3);
  });

  it('shows the finished state without moving for a reader who asked for reduced motion', () => {
    vi.useFakeTimers();
    const { result } = renderHook(() => useStepAnimation(4, 100, false));
    act(() => void vi.advanceTimersByTime(1000));
    expect(result.current).toMatchObject({ step: 4, playing: false });
  });
});

describe('a cell’s timing', () => {
  it('counts whole seconds of a run, and nothing without one', () => {
    vi.useFakeTimers();
    const start = Date.now();
    const { result, rerender } = renderHook(({ since }) => useElapsed(since), { initialProps: { since: start as number | null } });
    act(() => void vi.advanceTimersByTime(3200));
    expect(result.current).toBe(3);
    rerender({ since: null });
    expect(result.current).toBe(0);
  });

  it('notices the first time an element is on screen, and stays noticed', () => {
    const io = fakeIntersections();
    const el = document.createElement('div');
    const { result } = renderHook(() => useSeen({ current: el }, true));
    expect(result.current).toBe(false);
    act(() => io.fire(el, true));
    expect(result.current).toBe(true);
  });
});

describe('scroll cues', () => {
  const sized = (tag: string, scrollWidth: number, clientWidth: number) => {
    const el = document.createElement(tag);
    Object.defineProperty(el, 'scrollWidth', { configurable: true, get: () => scrollWidth });
    Object.defineProperty(el, 'clientWidth', { configurable: true, get: () => clientWidth });
    return el;
  };

  it('marks a box that overflows: focusable, named as scrolling, with the edge it is at', () => {
    const box = sized('div', 900, 300);
    box.className = 'math-display';
    markOverflow(box);
    expect(box.dataset.overflows).toBe('true');
    expect(box.tabIndex).toBe(0);
    expect(box.getAttribute('role')).toBe('group');
    expect(box.getAttribute('aria-label')).toBe('Equation, scrolls sideways');
    expect(box.dataset.edge).toBe('start');
    box.scrollLeft = 600;
    box.dispatchEvent(new Event('scroll'));
    expect(box.dataset.edge).toBe('end');
  });

  it('leaves a table its role and caption, and unmarks a box that fits again', () => {
    const table = sized('table', 900, 300);
    table.innerHTML = '<caption>Accuracy by ratio</caption>';
    markOverflow(table);
    expect(table.getAttribute('role')).toBeNull();
    expect(table.getAttribute('aria-label')).toBeNull();
    expect(table.tabIndex).toBe(0);
    const box = sized('div', 300, 300);
    box.dataset.overflows = 'true';
    box.dataset.labelled = 'auto';
    box.tabIndex = 0;
    markOverflow(box);
    expect(box.dataset.overflows).toBeUndefined();
    expect(box.hasAttribute('tabindex')).toBe(false);
  });
});

describe('places projector mode returns to', () => {
  const math = SECTIONS.find((s) => s.id === 'math')!;
  const cellPart = math.parts.findIndex((p) => 'cell' in p);
  const cellId = (math.parts[cellPart] as { cell: string }).cell;

  beforeEach(() => {
    document.body.innerHTML = `<section id="math"><h2>The math</h2><div class="prose" data-part="0"><p>one</p><p>two</p><p>three</p></div></section>`;
  });

  it('finds a paragraph, waits for a cell that is not drawn yet, and falls back to the section', () => {
    const section = document.getElementById('math')!;
    expect(findAnchor({ section: 'math', part: 0, block: 2 })!.textContent).toBe('three');
    expect(findAnchor({ section: 'math', part: 0, block: 0 })).toBe(section); // the title
    expect(findAnchor({ section: 'math', part: cellPart, block: 0 })).toBeNull();
    expect(anchorElement({ section: 'math', part: cellPart, block: 0 })).toBe(section);
    section.insertAdjacentHTML('beforeend', `<article data-cell="${cellId}"></article>`);
    expect(findAnchor({ section: 'math', part: cellPart, block: 0 })!.getAttribute('data-cell')).toBe(cellId);
  });

  it('reads the place at the top of the screen: the first element not yet under the header', () => {
    const ps = document.querySelectorAll('.prose p');
    const bottoms = [40, 90, 400];
    ps.forEach((p, i) => (p.getBoundingClientRect = () => ({ top: bottoms[i] - 30, bottom: bottoms[i] }) as DOMRect));
    expect(anchorAtTop('math', 60)).toEqual({ section: 'math', part: 0, block: 1 });
    expect(anchorAtTop('math', 10)).toEqual({ section: 'math', part: 0, block: 0 });
  });
});

describe('the header and contents on a narrow screen', () => {
  it('fold the controls behind Menu and the contents behind a button naming the section', () => {
    const noop = () => {};
    render(
      <Toolbar
        seed={42}
        onSeed={noop}
        onWarning={noop}
        onRunAll={noop}
        onReset={noop}
        onCopyLink={noop}
        onProjector={noop}
        onKeys={noop}
        helpButtons={null}
        progress={null}
      />,
    );
    const menu = screen.getByRole('button', { name: 'Menu' });
    expect(menu.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getByRole('toolbar').hasAttribute('data-open')).toBe(false);
    fireEvent.click(menu);
    expect(screen.getByRole('button', { name: 'Close menu' }).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('toolbar').hasAttribute('data-open')).toBe(true);

    const went: string[] = [];
    render(<Contents sections={SECTIONS} current="math" done={() => 0} onGo={(s) => went.push(s)} />);
    const toggle = screen.getByRole('button', { name: /^Contents: 3\. / });
    fireEvent.click(toggle);
    expect(screen.getByRole('navigation').hasAttribute('data-open')).toBe(true);
    fireEvent.click(screen.getByRole('link', { name: /^4\. / }));
    expect(went).toEqual(['data']);
    expect(screen.getByRole('navigation').hasAttribute('data-open')).toBe(false); // closed on the way
  });
});
