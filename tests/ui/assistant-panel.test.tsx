/**
 * The "Ask about this lesson" panel's chat-server mode in jsdom, talking over
 * real HTTP to the stub server: off by default, consent before anything is sent (per
 * endpoint), the request's contents, streaming, Stop, failures that keep the
 * question, the API key's handling, and answers that cannot inject HTML.
 */
import { createServer } from 'node:http';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { SUGGESTED_QUESTIONS } from '../../src/lesson/questions.ts';
import { SECTIONS, sectionById } from '../../src/lesson/sections.ts';
import AssistantPanel from '../../src/ui/assistant/AssistantPanel.tsx';
import { useLessonHelp } from '../../src/ui/assistant/LessonHelp.tsx';
import { API_KEY_KEY, SETTINGS_KEY } from '../../src/ui/assistant/settings.ts';
import { loadLessonIndex } from '../../src/ui/lesson-search/load-index.ts';
import { MODE_KEY } from '../../src/ui/lesson-search/mode.ts';
import { startChatStub, type ChatStub } from '../helpers/chat-stub.ts';

let stub: ChatStub;
beforeAll(async () => {
  stub = await startChatStub();
  // The first test opens the panel on its offline mode, which imports the lesson's search index:
  // built here first, so that work does not land inside a later test's 0.4 s wait for the server.
  await loadLessonIndex();
});
afterAll(() => stub.close());
beforeEach(() => {
  localStorage.clear();
  // These tests are about the server mode, so the learner has picked it; the
  // offline default is tested in lesson-answers.test.tsx.
  localStorage.setItem(MODE_KEY, 'server');
  stub.requests.length = 0;
  stub.reply({ kind: 'json', text: 'stub answer' });
});
afterEach(() => vi.restoreAllMocks());

/** A learner who already set up the stub and agreed. */
function agreed(extra: Record<string, unknown> = {}) {
  localStorage.setItem(SETTINGS_KEY, JSON.stringify({ endpoint: stub.base, model: 'tiny', consentedTo: stub.base, ...extra }));
}

function panel(section = 'math', timeoutMs = 400) {
  return render(<AssistantPanel open section={section} onClose={() => undefined} timeoutMs={timeoutMs} />);
}

function ask(question: string) {
  const box = screen.getByLabelText('Your question');
  fireEvent.change(box, { target: { value: question } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

const lastUser = (n = stub.requests.length - 1) => stub.requests[n].body.messages!.at(-1)!;

describe('before anything is sent', () => {
  it('is off by default: a settings form, no question box, no request', () => {
    localStorage.removeItem(MODE_KEY); // a first visit: the panel opens on the lesson's own passages
    panel();
    expect((screen.getByRole('radio', { name: 'The lesson, offline' }) as HTMLInputElement).checked).toBe(true);
    expect(screen.queryByRole('textbox', { name: 'Server address (API base)' })).toBeNull(); // not shown
    fireEvent.click(screen.getByRole('radio', { name: 'A chat server (opt-in)' }));
    expect(localStorage.getItem(MODE_KEY)).toBe('server');
    expect(screen.getByRole('textbox', { name: 'Server address (API base)' })).toBeTruthy();
    expect(screen.getByRole('dialog', { name: 'Ask about this lesson' })).toBeTruthy();
    expect((screen.getByLabelText('Server address (API base)') as HTMLInputElement).value).toBe('');
    expect(screen.queryByRole('textbox', { name: 'Your question' })).toBeNull(); // the lesson mode's box is hidden now
    expect(stub.requests).toHaveLength(0);
  });

  it('explains what goes where and sends nothing until the learner agrees', async () => {
    panel('math');
    fireEvent.change(screen.getByLabelText('Server address (API base)'), { target: { value: `${stub.base}/` } });
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'tiny' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));

    const heading = screen.getByRole('heading', { name: 'Before you ask' });
    expect(document.activeElement).toBe(heading); // read first; agreeing is a deliberate step
    const notice = heading.parentElement!;
    expect(notice.textContent).toContain(`${stub.base}/chat/completions`);
    expect(notice.textContent).toContain('tiny');
    expect(notice.textContent).toContain('3. The math');
    expect(notice.textContent).toContain('no API key');
    expect(screen.queryByLabelText('Your question')).toBeNull();
    expect(stub.requests).toHaveLength(0);
    expect(JSON.parse(localStorage.getItem(SETTINGS_KEY)!).consentedTo).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Agree and continue' }));
    const box = screen.getByLabelText('Your question');
    expect(document.activeElement).toBe(box);
    expect(JSON.parse(localStorage.getItem(SETTINGS_KEY)!).consentedTo).toBe(stub.base);
    expect(stub.requests).toHaveLength(0); // agreeing sends nothing by itself

    ask('What is t?');
    await screen.findByText('stub answer');
    expect(stub.requests).toHaveLength(1);
  });

  it('asks again when the endpoint changes', () => {
    agreed();
    panel();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    fireEvent.change(screen.getByLabelText('Server address (API base)'), { target: { value: 'http://localhost:8080/v1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('heading', { name: 'Before you ask' })).toBeTruthy();
    expect(screen.getByText('http://localhost:8080/v1/chat/completions')).toBeTruthy();
    expect(screen.queryByLabelText('Your question')).toBeNull();
    expect(stub.requests).toHaveLength(0);
  });

  it('refuses a non-http address with a clear message and keeps nothing', () => {
    panel();
    fireEvent.change(screen.getByLabelText('Server address (API base)'), { target: { value: 'file:///etc/passwd' } });
    fireEvent.change(screen.getByLabelText('Model'), { target: { value: 'tiny' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByRole('alert').textContent).toBe('Only http:// and https:// addresses can be used, not file://.');
    expect(screen.getByLabelText('Server address (API base)').getAttribute('aria-invalid')).toBe('true');
    expect(localStorage.getItem(SETTINGS_KEY)).toBeNull();
  });
});

describe('asking', () => {
  it("sends the section's text, the conversation so far and the question, and streams the answer in", async () => {
    agreed();
    stub.reply((_req, n) =>
      n === 1 ? { kind: 'stream', pieces: ['The ratio ', '**t** is ', 'the chance $p$ of masking.'] } : { kind: 'json', text: 'Second answer.' },
    );
    const { container } = panel('math');
    ask('What is t?');
    await waitFor(() => expect(container.querySelector('.assistant-answer strong')?.textContent).toBe('t'));
    await waitFor(() => expect(container.querySelector('.assistant-answer .katex')).not.toBeNull());
    expect(container.querySelector('.assistant-answer')!.textContent).toContain('the chance');
    await screen.findByText('Answer ready.'); // the stream has ended ([DONE]); only then is the box free again

    const [first] = stub.requests;
    expect(first.body.model).toBe('tiny');
    expect(first.body.stream).toBe(true);
    const [system, user] = first.body.messages!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('section 3, "The math"');
    expect(system.content).toContain(sectionById('math')!.text);
    expect(user).toEqual({ role: 'user', content: 'What is t?' });

    ask('And 1/t?');
    await screen.findByText('Second answer.');
    expect(stub.requests[1].body.messages!.slice(1)).toEqual([
      { role: 'user', content: 'What is t?' },
      { role: 'assistant', content: 'The ratio **t** is the chance $p$ of masking.' },
      { role: 'user', content: 'And 1/t?' },
    ]);
  });

  it('sends the text of the section being read now', async () => {
    agreed();
    const { rerender } = panel('math');
    rerender(<AssistantPanel open section="training" onClose={() => undefined} timeoutMs={400} />);
    expect(screen.getByText('About section 8: Training it live')).toBeTruthy();
    ask('Why 38%?');
    await screen.findByText('stub answer');
    expect(stub.requests[0].body.messages![0].content).toContain(sectionById('training')!.text);
  });

  it("offers the section's suggested questions, and sends one when picked", async () => {
    agreed();
    panel('transformer');
    const group = screen.getByRole('group', { name: 'Suggested questions' });
    const buttons = within(group).getAllByRole('button');
    expect(buttons.map((b) => b.textContent)).toEqual(SUGGESTED_QUESTIONS.transformer);
    fireEvent.click(buttons[0]);
    await screen.findByText('stub answer');
    expect(lastUser()).toEqual({ role: 'user', content: SUGGESTED_QUESTIONS.transformer[0] });
  });

  it('stops on request and keeps what had arrived', async () => {
    agreed();
    stub.reply({ kind: 'stream', pieces: ['Partial ', 'answer ', 'never finished'], delayMs: 1000 });
    const { container } = panel('math', 10_000);
    ask('Long one?');
    await waitFor(() => expect(container.querySelector('.assistant-answer')?.textContent).toContain('Partial'), { timeout: 3000 });
    fireEvent.click(screen.getByRole('button', { name: 'Stop' }));
    await screen.findByText('(Stopped.)');
    expect(container.querySelector('.assistant-answer')!.textContent).not.toContain('never finished');
    expect(screen.getByRole('button', { name: 'Ask' })).toBeTruthy();
  });

  it('shows raw HTML in an answer as text, never as elements', async () => {
    agreed();
    stub.reply({ kind: 'json', text: 'Try <img src=x onerror="window.__pwned=1"> and <script>window.__pwned=2</script> with $t$.' });
    const { container } = panel();
    ask('Break it?');
    await waitFor(() => expect(container.querySelector('.assistant-answer .katex')).not.toBeNull());
    const answer = container.querySelector('.assistant-answer')!;
    expect(answer.querySelector('img, script')).toBeNull();
    expect(answer.textContent).toContain('<img src=x onerror="window.__pwned=1">');
    expect(answer.textContent).toContain('<script>window.__pwned=2</script>');
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });
});

describe('when it fails, the question is not lost', () => {
  it("an HTTP error shows the status and the server's message; Try again resends", async () => {
    agreed();
    stub.reply((_req, n) => (n === 1 ? { kind: 'error', status: 500, message: 'model is overloaded' } : { kind: 'json', text: 'Fine now.' }));
    panel();
    ask('What is the ELBO?');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('500');
    expect(alert.textContent).toContain('model is overloaded');
    expect((screen.getByLabelText('Your question') as HTMLTextAreaElement).value).toBe('What is the ELBO?');
    fireEvent.click(within(alert).getByRole('button', { name: 'Try again' }));
    await screen.findByText('Fine now.');
    expect(screen.queryByRole('alert')).toBeNull();
    expect(stub.requests.map((r) => r.body.messages!.at(-1)!.content)).toEqual(['What is the ELBO?', 'What is the ELBO?']);
    // The failed attempt is not part of the history.
    expect(stub.requests[1].body.messages).toHaveLength(2);
  });

  it('a server that never answers times out with a clear message', async () => {
    agreed();
    stub.reply({ kind: 'hang' });
    panel();
    ask('Anyone there?');
    const alert = await screen.findByRole('alert', {}, { timeout: 3000 });
    expect(alert.textContent).toContain('did not answer within 0.4 seconds');
    expect((screen.getByLabelText('Your question') as HTMLTextAreaElement).value).toBe('Anyone there?');
  });

  it('an unreachable server is named, with the usual causes', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(closed.address() as { port: number }).port}/v1`;
    await new Promise((r) => closed.close(r)); // nothing listens there now
    localStorage.setItem(SETTINGS_KEY, JSON.stringify({ endpoint: base, model: 'tiny', consentedTo: base }));
    panel();
    ask('Hello?');
    const alert = await screen.findByRole('alert', {}, { timeout: 5000 });
    expect(alert.textContent).toContain(`Could not reach ${base}/chat/completions`);
    expect(alert.textContent).toContain('CORS');
  });
});

describe('the API key', () => {
  it('is kept apart from the settings, sent only as a header, never logged, and removable', async () => {
    agreed();
    const logged = vi.spyOn(console, 'log');
    const warned = vi.spyOn(console, 'warn');
    const errored = vi.spyOn(console, 'error');
    panel();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    fireEvent.change(screen.getByLabelText('API key (optional)'), { target: { value: 'sk-test-4321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(localStorage.getItem(API_KEY_KEY)).toBe('sk-test-4321');
    expect(localStorage.getItem(SETTINGS_KEY)).not.toContain('sk-test');
    // Saving a key does not ask again: it goes to the same server.
    ask('With a key?');
    await screen.findByText('stub answer');
    expect(stub.requests[0].headers.authorization).toBe('Bearer sk-test-4321');
    expect(stub.requests[0].path).toBe('/v1/chat/completions');
    expect(location.href).not.toContain('sk-test');
    for (const spy of [logged, warned, errored]) expect(JSON.stringify(spy.mock.calls)).not.toContain('sk-test');

    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    expect(screen.getByLabelText('API key (optional)').getAttribute('placeholder')).toBe('stored: sk-…4321');
    fireEvent.click(screen.getByRole('button', { name: 'Remove key' }));
    expect(localStorage.getItem(API_KEY_KEY)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Remove key' })).toBeNull();
  });

  it('goes, with everything else, when the assistant is turned off', () => {
    agreed();
    localStorage.setItem(API_KEY_KEY, 'sk-x-12345678');
    panel();
    fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
    fireEvent.click(screen.getByRole('button', { name: 'Turn the assistant off' }));
    expect(localStorage.getItem(API_KEY_KEY)).toBeNull();
    expect(JSON.parse(localStorage.getItem(SETTINGS_KEY)!)).toEqual({ endpoint: '', model: '', consentedTo: null });
    expect((screen.getByLabelText('Server address (API base)') as HTMLInputElement).value).toBe('');
  });
});

describe('suggested questions', () => {
  it('cover every section, two or three each', () => {
    expect(Object.keys(SUGGESTED_QUESTIONS).sort()).toEqual(SECTIONS.map((s) => s.id).sort());
    for (const [id, qs] of Object.entries(SUGGESTED_QUESTIONS)) {
      expect(qs.length, id).toBeGreaterThanOrEqual(2);
      expect(qs.length, id).toBeLessThanOrEqual(3);
      for (const q of qs) expect(q, id).toMatch(/\?$/);
    }
  });
});

function Toolbar({ section }: { section: string }) {
  const help = useLessonHelp(section);
  return (
    <>
      <div role="toolbar" aria-label="Notebook controls">
        {help.buttons}
      </div>
      {help.panels}
    </>
  );
}

describe('in the toolbar', () => {
  it('opens the panel, closes it on Esc with focus back on the button, and keeps the conversation', async () => {
    agreed();
    render(<Toolbar section="math" />);
    const button = screen.getByRole('button', { name: 'Ask about this lesson' });
    expect(button.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(button);
    const dialog = await screen.findByRole('dialog', { name: 'Ask about this lesson' });
    expect(button.getAttribute('aria-expanded')).toBe('true');
    ask('Kept?');
    await screen.findByText('stub answer');
    fireEvent.keyDown(screen.getByLabelText('Your question'), { key: 'Escape' });
    expect(dialog.hidden).toBe(true);
    expect(document.activeElement).toBe(button);
    fireEvent.click(button);
    expect(dialog.hidden).toBe(false);
    expect(screen.getByText('stub answer')).toBeTruthy();
  });

  it('documents the glossary shortcut on its button', async () => {
    render(<Toolbar section="math" />);
    const glossary = screen.getByRole('button', { name: 'Glossary' });
    expect(glossary.getAttribute('aria-keyshortcuts')).toBe('/ Control+K Meta+K');
    expect(glossary.getAttribute('title')).toContain('/ or Ctrl+K');
    await act(async () => {
      fireEvent.click(glossary);
    });
    expect(await screen.findByRole('dialog', { name: 'Glossary' })).toBeTruthy();
  });
});
