/**
 * The Ask panel's offline mode in jsdom: on by default, answers with quoted
 * passages of the lesson labelled as such and linked to their sections,
 * suggestions that work, a clear "nothing matches", a remembered choice of
 * mode, and no request of any kind.
 */
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SUGGESTED_QUESTIONS } from '../../src/lesson/questions.ts';
import AssistantPanel from '../../src/ui/assistant/AssistantPanel.tsx';
import { SETTINGS_KEY } from '../../src/ui/assistant/settings.ts';
import { MODE_KEY } from '../../src/ui/lesson-search/mode.ts';

let fetchSpy: ReturnType<typeof vi.spyOn>;
let xhrOpen: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  localStorage.clear();
  fetchSpy = vi.spyOn(globalThis, 'fetch');
  xhrOpen = vi.spyOn(XMLHttpRequest.prototype, 'open');
});
afterEach(() => {
  // Whatever a test did, the offline mode never touched the network.
  expect(fetchSpy).not.toHaveBeenCalled();
  expect(xhrOpen).not.toHaveBeenCalled();
  vi.restoreAllMocks();
});

const panel = (section = 'math') => render(<AssistantPanel open section={section} onClose={() => undefined} />);

function ask(question: string) {
  const box = screen.getByRole('textbox', { name: 'Your question' });
  fireEvent.change(box, { target: { value: question } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

/** The passages of the latest answer, once it is in. */
async function latestPassages(container: HTMLElement): Promise<HTMLElement[]> {
  await screen.findByText(/^\d passages? from the lesson\.$|^No passage of the lesson matches\.$/);
  const turns = container.querySelectorAll('.assistant-turn');
  return Array.from(turns[turns.length - 1].querySelectorAll<HTMLElement>('.lesson-passage'));
}

describe('Ask without a server', () => {
  it("opens on the lesson's own passages, with the question box focused and the server form out of sight", () => {
    panel();
    expect((screen.getByRole('radio', { name: 'The lesson, offline' }) as HTMLInputElement).checked).toBe(true);
    expect(document.activeElement).toBe(screen.getByRole('textbox', { name: 'Your question' }));
    expect(screen.queryByRole('textbox', { name: 'Server address (API base)' })).toBeNull();
    expect(screen.getByText(/found on this computer: nothing is generated, nothing is sent\./)).toBeTruthy();
  });

  it('answers "What is the ELBO?" with the glossary entry and section 3\'s passage, quoted and linked', async () => {
    const { container } = panel('math');
    ask('What is the ELBO?');
    const passages = await latestPassages(container);
    expect(passages.length).toBeGreaterThanOrEqual(2);
    expect(passages.length).toBeLessThanOrEqual(3);
    expect(screen.getByText('From the lesson, quoted as written (not a generated answer):')).toBeTruthy();

    const glossary = passages.find((p) => p.dataset.kind === 'glossary')!;
    expect(glossary.querySelector('.lesson-passage-source')!.textContent).toBe('Glossary ELBO (explained in section 3, The math)');
    const prose = passages.find((p) => p.dataset.kind === 'section' && p.dataset.section === 'math')!;
    expect(prose.querySelector('.lesson-passage-source')!.textContent).toBe(
      'Lesson text section 3, The math · Sum or average? And why neither is the ELBO',
    );
    expect(prose.querySelector('blockquote')!.textContent).toContain('None of these is the ELBO');
    expect(prose.querySelector('blockquote .katex')).not.toBeNull(); // math rendered at build time, not shown as TeX
    const link = within(prose).getByRole('link', { name: 'Go to section 3: The math' });
    expect(link.getAttribute('href')).toBe('?section=math');
    expect(link.getAttribute('data-section-link')).toBe('math');
    // The box is free for the next question.
    expect((screen.getByRole('textbox', { name: 'Your question' }) as HTMLTextAreaElement).value).toBe('');
  });

  it("answers the section's suggested questions, each with a passage of that section", async () => {
    const { container } = panel('beyond');
    const group = screen.getByRole('group', { name: 'Suggested questions' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(SUGGESTED_QUESTIONS.beyond);
    for (const button of buttons) {
      fireEvent.click(button);
      await waitFor(() => expect(container.querySelectorAll('.assistant-turn').length).toBe(buttons.indexOf(button) + 1));
      const passages = await latestPassages(container);
      expect(
        passages.map((p) => p.dataset.section),
        button.textContent!,
      ).toContain('beyond');
    }
  });

  it('says so when nothing in the lesson matches', async () => {
    const { container } = panel();
    ask('zebra quokka');
    expect(await latestPassages(container)).toEqual([]);
    expect(screen.getByText(/No passage of the lesson matches these words/)).toBeTruthy();
  });

  it('keeps both conversations when switching mode, and remembers the choice', async () => {
    const { container, unmount } = panel();
    ask('What is the ELBO?');
    await latestPassages(container);
    fireEvent.click(screen.getByRole('radio', { name: 'A chat server (opt-in)' }));
    expect(localStorage.getItem(MODE_KEY)).toBe('server');
    expect(screen.getByRole('textbox', { name: 'Server address (API base)' })).toBeTruthy();
    fireEvent.click(screen.getByRole('radio', { name: 'The lesson, offline' }));
    expect(container.querySelectorAll('.assistant-turn')).toHaveLength(1);
    unmount();

    localStorage.setItem(MODE_KEY, 'server');
    panel();
    expect((screen.getByRole('radio', { name: 'A chat server (opt-in)' }) as HTMLInputElement).checked).toBe(true);
  });

  it('keeps a learner who had already agreed to a server in the chat', () => {
    localStorage.setItem(
      SETTINGS_KEY,
      JSON.stringify({ endpoint: 'http://localhost:11434/v1', model: 'tiny', consentedTo: 'http://localhost:11434/v1' }),
    );
    panel();
    expect((screen.getByRole('radio', { name: 'A chat server (opt-in)' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.getByRole('textbox', { name: 'Your question' }).id).toBe('assistant-question');
  });
});
