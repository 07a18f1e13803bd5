/**
 * Projector mode in jsdom: the keys a clicker sends, the counter, leaving at the same place,
 * blanking, the speaker-notes channel with its timer and "next" line, and the keyboard help.
 */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { useHelpKey } from '../../src/ui/notebook/help-key.ts';
import { KeyboardHelp } from '../../src/ui/notebook/KeyboardHelp.tsx';
import { SHORTCUTS } from '../../src/ui/notebook/shortcuts.ts';
import { followProjector, openProjectorChannel, type PresenterState } from '../../src/ui/presenter/channel.ts';
import { Presenter } from '../../src/ui/presenter/Presenter.tsx';
import { SpeakerNotes } from '../../src/ui/presenter/SpeakerNotes.tsx';
import { planSlides } from '../../src/ui/presenter/slides.ts';
import { presenterAction } from '../../src/ui/presenter/use-presenter-keys.ts';
import { useState } from 'react';

// jsdom has no scrolling: each new slide asks for the top of the page.
beforeEach(() => void vi.spyOn(window, 'scrollTo').mockImplementation(() => {}));
afterEach(() => vi.restoreAllMocks());

const key = (k: string, init: KeyboardEventInit = {}) => act(async () => void fireEvent.keyDown(window, { key: k, ...init }));

describe('presenter keys', () => {
  const at = (k: string, target: EventTarget = document.body, extra = {}) =>
    presenterAction({ key: k, shiftKey: false, altKey: false, ctrlKey: false, metaKey: false, target, ...extra });

  it('maps a clicker and the keyboard to slide moves, and leaves text fields and buttons alone', () => {
    expect(['PageDown', 'ArrowRight', ' '].map((k) => at(k))).toEqual(['forward', 'forward', 'forward']);
    expect(['PageUp', 'ArrowLeft'].map((k) => at(k))).toEqual(['back', 'back']);
    expect(at(' ', document.body, { shiftKey: true })).toBe('back');
    expect([at('Home'), at('End'), at('b'), at('F'), at('n'), at('Escape')]).toEqual(['first', 'last', 'blank', 'fullscreen', 'notes', 'escape']);
    const input = document.createElement('input');
    expect(at('PageDown', input)).toBeNull(); // typing
    expect(at(' ', document.createElement('button'))).toBeNull(); // Space presses the button
    expect(at('ArrowRight', document.body, { ctrlKey: true })).toBeNull();
    expect(at('x')).toBeNull();
  });

  it('lists every projector action in the keyboard help', () => {
    const projector = SHORTCUTS.find((g) => g.title === 'In projector mode')!.shortcuts.flatMap((s) => s.keys);
    for (const k of ['→', 'PageDown', 'Space', '←', 'PageUp', 'Home', 'End', 'B', 'F', 'N', 'Esc']) expect(projector).toContain(k);
  });
});

describe('<Presenter>', () => {
  function show(section: string, slide?: number) {
    const onExit = vi.fn();
    const onPlace = vi.fn();
    const view = render(
      <Presenter
        section={section}
        start={{ anchor: { section, part: 0, block: 0 }, slide }}
        seed={42}
        onPlace={onPlace}
        onRan={() => {}}
        onKeys={() => {}}
        onExit={onExit}
      />,
    );
    return { ...view, onExit, onPlace };
  }
  const counter = () => screen.getByTestId('slide-counter').textContent;

  it('says which section, by its own number, and which slide of how many', () => {
    const reflection = SECTIONS.find((s) => s.id === 'reflection')!;
    show('reflection');
    expect(counter()).toBe(`Section ${reflection.index} · 1 of ${planSlides(reflection).length}`);
  });

  it('steps through a section slide by slide with PageDown, then into the next section, and back with PageUp', async () => {
    const why = SECTIONS.find((s) => s.id === 'why')!;
    const n = planSlides(why).length;
    const { onPlace } = show('why');
    for (let i = 2; i <= n; i++) {
      await key('PageDown');
      expect(counter()).toBe(`Section ${why.index} · ${i} of ${n}`);
      // Only the current slide is shown.
      expect(document.querySelectorAll('.slide:not([hidden])')).toHaveLength(1);
      expect(document.querySelector('.slide:not([hidden])')!.getAttribute('data-slide')).toBe(String(i - 1));
    }
    await key('PageDown');
    expect(counter()).toMatch(new RegExp(`^Section ${why.index + 1} · 1 of `));
    expect(onPlace).toHaveBeenLastCalledWith(SECTIONS[why.index + 1].id, 0);
    await key('PageUp');
    expect(counter()).toBe(`Section ${why.index} · ${n} of ${n}`);
    await key('Home');
    expect(counter()).toBe(`Section ${why.index} · 1 of ${n}`);
    await key('End');
    expect(counter()).toBe(`Section ${why.index} · ${n} of ${n}`);
  });

  it('opens on the slide the URL names', () => {
    show('reflection', 2);
    expect(counter()).toMatch(/ · 3 of /);
  });

  it('leaves on Esc at the current slide’s place, but first unblanks a blanked screen', async () => {
    const reflection = SECTIONS.find((s) => s.id === 'reflection')!;
    const { onExit } = show('reflection');
    await key('PageDown');
    await key('b');
    expect(screen.getByRole('status', { name: /Screen blanked/ })).toBeTruthy();
    await key('Escape');
    expect(onExit).not.toHaveBeenCalled();
    expect(counter()).toMatch(/ · 2 of /);
    await key('Escape');
    expect(onExit).toHaveBeenCalledWith(planSlides(reflection)[1].anchor);
  });
});

describe('speaker notes', () => {
  it('follow the projector: where the talk is, what comes next, and a timer that can restart', async () => {
    const restarts = vi.fn();
    const projector = openProjectorChannel(restarts);
    const now = Date.now();
    const state: PresenterState = {
      section: 'math',
      sectionIndex: 3,
      sectionTitle: 'The math',
      slide: 1,
      slides: 9,
      title: 'The forward process (continued)',
      next: { where: 'Next slide', title: 'Calculator: expected number of masks', preview: 'A live cell.' },
      startedAt: now - 125_000,
      slideSince: now - 7_000,
    };
    try {
      render(<SpeakerNotes />);
      // The notes window says hello; the projector answers with where it is.
      await act(async () => projector.post(state));
      await screen.findByText('Slide 2 of 9: The forward process (continued)');
      expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Speaker notes: 3. The math');
      expect(screen.getByTestId('notes-next').textContent).toContain('Next slide: Calculator: expected number of masks');
      const timer = screen.getByTestId('notes-timer').textContent!;
      expect(timer).toMatch(/Talk 2:0[5-7]/);
      expect(timer).toMatch(/This slide 0:0[7-9]/);
      fireEvent.click(screen.getByRole('button', { name: 'Restart the timer' }));
      await vi.waitFor(() => expect(restarts).toHaveBeenCalled());
    } finally {
      projector.close();
    }
  });

  it('answers a notes window that opens after the projector', async () => {
    const projector = openProjectorChannel(() => {});
    const heard: PresenterState[] = [];
    try {
      projector.post({
        section: 'data',
        sectionIndex: 4,
        sectionTitle: 'The data',
        slide: 0,
        slides: 7,
        title: 'The data',
        next: null,
        startedAt: 1,
        slideSince: 1,
      });
      const notes = followProjector((s) => heard.push(s));
      await vi.waitFor(() => expect(heard.map((s) => s.section)).toContain('data'));
      notes.close();
    } finally {
      projector.close();
    }
  });
});

describe('keyboard help', () => {
  function Page() {
    const [open, setOpen] = useState(false);
    useHelpKey(() => setOpen(true));
    return (
      <>
        <input aria-label="a text field" />
        {open && <KeyboardHelp onClose={() => setOpen(false)} />}
      </>
    );
  }

  it('opens on "?" outside text fields, lists every shortcut, and closes on Esc', async () => {
    render(<Page />);
    fireEvent.keyDown(screen.getByLabelText('a text field'), { key: '?' });
    expect(screen.queryByRole('dialog')).toBeNull();
    await key('?');
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    for (const group of SHORTCUTS) for (const s of group.shortcuts) expect(dialog.textContent).toContain(s.does);
    const pageKeys = SHORTCUTS[0].shortcuts.flatMap((s) => s.keys);
    for (const k of ['?', '/', 'Ctrl+K', 'Shift+Enter', 'Esc']) expect(pageKeys).toContain(k);
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Close the keyboard shortcuts' }));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
