/** The glossary: every entry points at a real section that really uses the term; search; the dialog by keyboard. */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, onTestFinished } from 'vitest';
import { GLOSSARY } from '../../src/lesson/glossary.ts';
import { sectionById } from '../../src/lesson/sections.ts';
import GlossaryDialog from '../../src/ui/glossary/GlossaryDialog.tsx';
import { searchGlossary } from '../../src/ui/glossary/search.ts';
import { isTyping, useGlossaryShortcut } from '../../src/ui/glossary/shortcut.ts';

/** What the brief and the prose promise the glossary explains. */
const REQUIRED = [
  '[MASK]',
  'Forward process',
  'Reverse process',
  'Masking ratio t',
  'ELBO',
  'Bidirectional attention',
  'Causal mask',
  'Positional encoding',
  'Time embedding',
  'AdamW',
  'Cosine schedule',
  'Perplexity',
  'Cross-entropy',
  'BERT',
  'Token',
  'Vocabulary',
  'Absorbing state',
  'Denoiser',
  'Best-possible accuracy',
  'Layer norm',
  'Dropout',
  'Gradient clipping',
  'Bits per token',
  'Softmax',
  'Logits',
  'Entropy',
  'Nats',
  'Weight decay',
  'Learning rate',
  'Warm-up',
  'Token embedding',
  'Binomial distribution',
  'Pooled masked mean',
  'Seed',
  'Backend',
  'Top-k',
];

describe('the glossary data', () => {
  it('has every required term, once', () => {
    const terms = GLOSSARY.map((e) => e.term);
    for (const t of REQUIRED) expect(terms, t).toContain(t);
    expect(new Set(terms.map((t) => t.toLowerCase())).size).toBe(terms.length);
  });

  it('links each term to a section that exists and whose prose uses the term, an alias, or the phrase it lists', () => {
    const problems: string[] = [];
    for (const entry of GLOSSARY) {
      const section = sectionById(entry.section);
      if (!section) {
        problems.push(`${entry.term}: no section "${entry.section}"`);
        continue;
      }
      const prose = `${section.title}\n${section.text}`.toLowerCase();
      const names = [entry.term, ...(entry.aliases ?? []), ...(entry.proseSays ? [entry.proseSays] : [])];
      if (!names.some((n) => prose.includes(n.toLowerCase())))
        problems.push(`${entry.term}: none of ${JSON.stringify(names)} is in "${entry.section}"`);
    }
    expect(problems).toEqual([]);
  });

  it('defines each term in a sentence or three', () => {
    for (const e of GLOSSARY) {
      expect(e.definition.length, e.term).toBeGreaterThan(30);
      expect(e.definition.length, e.term).toBeLessThan(400);
      expect(e.definition, e.term).toMatch(/\.$/);
    }
  });
});

describe('searchGlossary', () => {
  const terms = (q: string) => searchGlossary(q).map((e) => e.term);

  it('lists everything A to Z for an empty query', () => {
    expect(terms('')).toHaveLength(GLOSSARY.length);
    expect(terms('  ')[0]).toBe('1/t weighting');
  });

  it('puts the exact name first and forgives case and punctuation', () => {
    expect(terms('mask')[0]).toBe('[MASK]');
    expect(terms('[mask]')[0]).toBe('[MASK]');
    expect(terms('ELBO')[0]).toBe('ELBO');
    expect(terms('cross entropy')[0]).toBe('Cross-entropy');
    expect(terms('layernorm')[0]).toBe('Layer norm');
    expect(terms('bayes')[0]).toBe('Best-possible accuracy');
  });

  it('finds a term by a later word of its name, then by its definition', () => {
    expect(terms('schedule')).toContain('Cosine schedule');
    const byDefinition = terms('overfitting');
    expect(byDefinition).toContain('Dropout');
  });

  it('finds nothing for nonsense', () => {
    expect(terms('zzzqqq')).toEqual([]);
  });
});

function Harness() {
  const [open, setOpen] = useState(false);
  useGlossaryShortcut(() => setOpen(true));
  return (
    <>
      <button type="button">before</button>
      <label>
        field <input />
      </label>
      {open && <GlossaryDialog onClose={() => setOpen(false)} />}
    </>
  );
}

describe('the glossary dialog', () => {
  it('opens on "/" or Ctrl+K outside text fields, never while typing', () => {
    render(<Harness />);
    const field = screen.getByLabelText('field');
    fireEvent.keyDown(field, { key: '/' });
    fireEvent.keyDown(field, { key: 'k', ctrlKey: true });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(document.body, { key: '/' });
    expect(screen.getByRole('dialog', { name: 'Glossary' })).toBeTruthy();
    fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(document.body, { key: 'K', ctrlKey: true });
    expect(screen.getByRole('dialog', { name: 'Glossary' })).toBeTruthy();
  });

  it('searches as you type, moves through results with the arrows, and gives focus back on Esc', () => {
    render(<Harness />);
    const opener = screen.getByRole('button', { name: 'before' });
    opener.focus();
    fireEvent.keyDown(opener, { key: '/' });
    const dialog = screen.getByRole('dialog', { name: 'Glossary' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const search = screen.getByLabelText("Search the lesson's terms");
    expect(document.activeElement).toBe(search);

    fireEvent.change(search, { target: { value: 'causal' } });
    expect(screen.getByRole('status').textContent).toMatch(/^\d+ terms?$/);
    const items = screen.getAllByRole('listitem');
    expect(items[0].querySelector('dfn')?.textContent).toBe('Causal mask');
    const link = items[0].querySelector('a')!;
    expect(link.getAttribute('href')).toBe('?section=transformer');
    expect(link.getAttribute('data-section-link')).toBe('transformer');
    expect(link.textContent).toBe('Read more in section 7: The bidirectional Transformer');

    fireEvent.keyDown(search, { key: 'ArrowDown' });
    expect(document.activeElement).toBe(link);
    fireEvent.keyDown(link, { key: 'ArrowUp' });
    expect(document.activeElement).toBe(search);

    fireEvent.change(search, { target: { value: 'qqqzzz' } });
    expect(screen.getByRole('status').textContent).toContain('No term matches "qqqzzz"');

    fireEvent.keyDown(search, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps its keys to itself, so projector mode does not move slides under it', () => {
    const seen: string[] = [];
    const onKey = (e: KeyboardEvent) => seen.push(e.key);
    window.addEventListener('keydown', onKey);
    try {
      render(<GlossaryDialog onClose={() => undefined} />);
      act(() => {
        fireEvent.keyDown(screen.getByRole('searchbox'), { key: 'ArrowRight' });
      });
      expect(seen).toEqual([]);
    } finally {
      window.removeEventListener('keydown', onKey);
    }
  });

  it('opens the best match on Enter in the search box', () => {
    const followed: string[] = [];
    const inPage = (e: MouseEvent) => {
      e.preventDefault();
      followed.push((e.target as Element).getAttribute('data-section-link') ?? '');
    };
    document.addEventListener('click', inPage);
    onTestFinished(() => document.removeEventListener('click', inPage));
    render(<Harness />);
    fireEvent.keyDown(document.body, { key: '/' });
    const search = screen.getByRole('searchbox');
    fireEvent.change(search, { target: { value: 'perplexity' } });
    fireEvent.keyDown(search, { key: 'Enter' });
    expect(followed).toEqual(['math']);
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('closes when a section link is followed', () => {
    // Notebook.tsx turns these links into in-page moves; jsdom cannot navigate.
    const inPage = (e: MouseEvent) => e.preventDefault();
    document.addEventListener('click', inPage);
    onTestFinished(() => document.removeEventListener('click', inPage));
    render(<Harness />);
    fireEvent.keyDown(document.body, { key: '/' });
    fireEvent.change(screen.getByRole('searchbox'), { target: { value: 'AdamW' } });
    fireEvent.click(screen.getAllByRole('link')[0]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('isTyping', () => {
  it('counts text fields and editable content, not buttons or checkboxes', () => {
    const make = (html: string) => {
      const div = document.createElement('div');
      div.innerHTML = html;
      document.body.append(div);
      return div.firstElementChild!;
    };
    expect(isTyping(make('<input type="text">'))).toBe(true);
    expect(isTyping(make('<textarea></textarea>'))).toBe(true);
    expect(isTyping(make('<div contenteditable="true"><span>x</span></div>').firstElementChild)).toBe(true);
    expect(isTyping(make('<input type="checkbox">'))).toBe(false);
    expect(isTyping(make('<button>b</button>'))).toBe(false);
    expect(isTyping(document.body)).toBe(false);
  });
});
