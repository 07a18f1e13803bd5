/** The lesson's structure and the notebook's plumbing: prose compiler, section registry, progress, cells. */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { compileSection } from '../../src/build/lesson-markdown.ts';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { loadCells, SECTIONS_WITH_CELLS } from '../../src/ui/cells/index.ts';
import { cell } from '../../src/ui/cells/types.ts';
import { Cell } from '../../src/ui/section/Cell.tsx';
import { NOTEBOOK_MODEL_OPTIONS } from '../../src/core/model-factory.ts';
import { models } from '../../src/ui/models/index.ts';
import { parseSeed } from '../../src/core/seed.ts';
import { DEFAULT_SEED, loadProgress, parseUrl, shareUrl } from '../../src/ui/notebook/progress.ts';

describe('the prose compiler', () => {
  it('renders Markdown and KaTeX, shifts headings under the section title, and places cells', () => {
    const s = compileSection('# Title\n\nSome $x_t$ text.\n\n## Sub\n\n$$\\frac{1}{t}$$\n\n{{cell demo}}\n\nAfter.', 'test.md');
    expect(s.title).toBe('Title');
    expect(s.parts).toHaveLength(3);
    const first = (s.parts[0] as { html: string }).html;
    expect(first).toContain('class="katex"');
    expect(first).toContain('<h3>Sub</h3>');
    expect(first).toContain('class="math-display"');
    expect(first).not.toMatch(/MATH(INLINE|BLOCK)/);
    expect(s.parts[1]).toEqual({ cell: 'demo' });
    expect(s.text).toContain('Some $x_t$ text.');
  });

  it('refuses bad math, a missing title and a cell placed twice, naming the file', () => {
    expect(() => compileSection('# T\n\n$\\frac{1}$', 'a.md')).toThrow(/a\.md: bad math/);
    expect(() => compileSection('no title', 'b.md')).toThrow(/b\.md: the first heading/);
    expect(() => compileSection('# T\n{{cell x}}\n{{cell x}}', 'c.md')).toThrow(/c\.md: cell "x" is placed twice/);
  });
});

describe('the section registry', () => {
  it('has the lesson in order, each section with a title', () => {
    expect(SECTIONS.map((s) => s.id)).toEqual([
      'setup',
      'why',
      'intuition',
      'math',
      'data',
      'masking',
      'statistics',
      'transformer',
      'training',
      'exercises',
      'results',
      'beyond',
      'reflection',
    ]);
    for (const s of SECTIONS) expect(s.title.length).toBeGreaterThan(3);
  });

  it('places every cell a section defines, and defines every cell its prose places', async () => {
    for (const s of SECTIONS) {
      const defs = await loadCells(s.id);
      expect(Object.keys(defs).sort(), s.id).toEqual([...s.cells].sort());
      if (s.cells.length > 0) expect(SECTIONS_WITH_CELLS).toContain(s.id);
    }
  });
});

describe('progress and links', () => {
  it('accepts only whole seeds in [0, 2^32)', () => {
    expect(parseSeed('42')).toBe(42);
    expect(parseSeed(4294967295)).toBe(4294967295);
    for (const bad of ['-1', '1.5', 'abc', '', 4294967296, Number.NaN, null]) expect(parseSeed(bad)).toBeNull();
  });

  it('validates the URL and explains what it ignored', () => {
    expect(parseUrl('?section=math&seed=7')).toMatchObject({ section: 'math', seed: 7, warnings: [] });
    const bad = parseUrl('?section=nope&seed=x');
    expect(bad.section).toBeUndefined();
    expect(bad.seed).toBeUndefined();
    expect(bad.warnings).toHaveLength(2);
    expect(shareUrl('http://h/sub/?backend=wasm', 'data', 9)).toBe('http://h/sub/?backend=wasm&section=data&seed=9');
  });

  it('survives broken or tampered storage', () => {
    expect(loadProgress({ getItem: () => '{not json' }).seed).toBe(DEFAULT_SEED);
    const p = loadProgress({ getItem: () => JSON.stringify({ seed: 'x', section: 'gone', ran: ['a/b', 3], solved: null }) });
    expect(p).toEqual({ seed: DEFAULT_SEED, section: 'setup', ran: ['a/b'] });
    expect(loadProgress({ getItem: () => JSON.stringify({ seed: 5, section: 'math', ran: ['math/loss-calculator'] }) })).toEqual({
      seed: 5,
      section: 'math',
      ran: ['math/loss-calculator'],
    });
  });
});

describe('a cell', () => {
  const noop = () => undefined;

  it('runs on Shift+Enter and shows its output', async () => {
    const def = cell<number>({ title: 'Double', run: ({ seed }) => seed * 2, View: ({ out }) => <p>twice is {out}</p> });
    const ran: string[] = [];
    const { container } = render(<Cell id="double" def={def} seed={21} runSignal={0} showCodeByDefault={false} onRan={(id) => ran.push(id)} />);
    expect(screen.getByText(/Not run yet/)).toBeTruthy();
    await act(async () => {
      fireEvent.keyDown(container.querySelector('article')!, { key: 'Enter', shiftKey: true });
    });
    expect(await screen.findByText('twice is 42')).toBeTruthy();
    expect(ran).toEqual(['double']);
  });

  it('shows a failure as a message and keeps the page alive', async () => {
    const def = cell<number>({ title: 'Broken', run: () => Promise.reject(new Error('no GPU today')), View: () => <p>never</p> });
    render(<Cell id="broken" def={def} seed={1} runSignal={1} showCodeByDefault={false} onRan={noop} />);
    expect((await screen.findByRole('alert')).textContent).toBe('This cell failed: no GPU today');
  });

  it('runs a requested run that needed a model as soon as one is loaded, and only then', async () => {
    let calls = 0;
    const def = cell<string>({ title: 'Needs a model', needsModel: true, run: () => `run ${++calls}`, View: ({ out }) => <p>{out}</p> });
    render(<Cell id="needs" def={def} seed={1} runSignal={1} showCodeByDefault={false} onRan={noop} />);
    expect(screen.getByText(/This cell needs a trained model|Load one of the shipped checkpoints/)).toBeTruthy();
    expect(calls).toBe(0);
    await act(async () => models.replace(new Map(), NOTEBOOK_MODEL_OPTIONS, 'pretrained: a stand-in'));
    expect(await screen.findByText('run 1')).toBeTruthy();
    await act(async () => models.replace(new Map(), NOTEBOOK_MODEL_OPTIONS, 'pretrained: another'));
    expect(calls).toBe(1); // a later model marks the output stale; it does not run again by itself
  });

  it('shows only the newest run when an older one finishes late', async () => {
    let release: (v: string) => void = noop;
    let calls = 0;
    const def = cell<string>({
      title: 'Slow',
      run: () => (++calls === 1 ? new Promise<string>((r) => (release = r)) : Promise.resolve('new')),
      View: ({ out }) => <p>out: {out}</p>,
    });
    const { rerender } = render(<Cell id="slow" def={def} seed={1} runSignal={1} showCodeByDefault={false} onRan={noop} />);
    await act(async () => rerender(<Cell id="slow" def={def} seed={1} runSignal={2} showCodeByDefault={false} onRan={noop} />));
    await act(async () => release('old'));
    expect(await screen.findByText('out: new')).toBeTruthy();
    expect(screen.queryByText('out: old')).toBeNull();
  });
});
