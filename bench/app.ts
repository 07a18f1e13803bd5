/**
 * `npm run bench:app`: the built lesson in headless Chromium.
 * - Initial JavaScript: gzip bytes of the scripts index.html loads up front
 *   (entry + modulepreloads), against the 350 KB budget.
 * - Time to interactive: navigation start to the header's theme button
 *   answering a click, median of 5 cold loads, against the 1.5 s target and
 *   against a blank page served by the same server in the same run.
 * - The first screen: everything a cold load fetches before anyone scrolls, at
 *   1366x768 and 1920x1080 (gzip bytes for text, raw bytes for fonts, audio and
 *   wasm), and whether TensorFlow.js or Plotly was among it (neither should be).
 * - Every lazy chunk's gzip size, largest first, so growth is visible.
 * - The page during Run all on wasm after a checkpoint is loaded (every cell of
 *   the lesson computing): the longest main-thread task (PerformanceObserver
 *   'longtask', target: none over 50 ms) and the slowest click (Event Timing:
 *   from the click to the next paint, target under 100 ms, split into the wait
 *   for the main thread, the handlers and the way to the screen), clicking
 *   every 250 ms while the cells run, against the same clicks in the same page
 *   before Run all. Measured twice: with the e2e browser's compositing (chrome://gpu
 *   says "Hardware accelerated", which here is SwiftShader's software GL) and with
 *   Chromium's software compositor (--disable-gpu: "Software only"), what Chromium
 *   uses where no GPU is usable.
 * Training's speed and the longest main-thread task while it trains are in
 * bench/browser.ts (`npm run bench:browser`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';
import { launchBrowser, serveBuiltApp } from '../tests/e2e/browser.ts';

/** What the page records for the Run-all measurement (set up before the lesson loads). */
interface LoafScript {
  readonly duration: number;
  readonly invoker: string;
  readonly invokerType: string;
  readonly sourceURL: string;
  readonly sourceFunctionName: string;
}
/** One click, by Event Timing: from the input to the next paint, in three parts. */
interface Click {
  readonly ms: number;
  /** Waiting for the main thread before the handlers ran (busy with other tasks). */
  readonly delayMs: number;
  /** The handlers themselves. */
  readonly handlersMs: number;
  /** From the handlers' end to the frame on screen: rendering, raster and compositing. */
  readonly paintMs: number;
  readonly on: string;
}
interface Probe {
  longTasks: number[];
  clicks: Click[];
  draws: { ms: number; what: string }[];
  frames: { ms: number; blockingMs: number; renderMs: number; layoutMs: number; scripts: { ms: number; what: string }[] }[];
}

const KB = 1024;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const app = await serveBuiltApp();
const browser = await launchBrowser();
try {
  const html = readFileSync(join(app.outDir, 'index.html'), 'utf8');
  const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
  const gz = (file: string) => gzipSync(readFileSync(join(app.outDir, file))).length;
  const initialBytes = initial.reduce((n, f) => n + gz(f), 0);

  // Interactive = React has attached: the theme button (in the header, on the first screen of
  // every version of the lesson) answers a click by changing its label.
  const timeToInteractive = async (query: string): Promise<number> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.url + query);
    const theme = page.getByRole('button', { name: /^Theme: / });
    await theme.waitFor({ state: 'visible' });
    const before = await theme.textContent();
    await theme.click();
    await page.waitForFunction(
      (b) => [...document.querySelectorAll('button')].some((x) => x.textContent?.startsWith('Theme: ') && x.textContent !== b),
      before,
    );
    const ms = await page.evaluate(() => performance.now());
    await context.close();
    return ms;
  };
  const blank = async (): Promise<number> => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(app.url + 'favicon.svg');
    const ms = await page.evaluate(() => performance.now());
    await context.close();
    return ms;
  };

  /** What a cold load fetches with nobody scrolling, once the network has been quiet for half a second. */
  const firstScreen = async (width: number, height: number) => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const files = new Set<string>();
    page.on('requestfinished', (r) => {
      const path = new URL(r.url()).pathname;
      if (path.startsWith('/unmask/')) files.add(path.slice('/unmask/'.length) || 'index.html');
    });
    let inFlight = 0;
    let lastActivity = Date.now();
    page.on('request', () => {
      inFlight++;
      lastActivity = Date.now();
    });
    const settled = () => {
      inFlight--;
      lastActivity = Date.now();
    };
    page.on('requestfinished', settled);
    page.on('requestfailed', settled);
    await page.goto(app.url + '?backend=wasm');
    await page.locator('.lesson-section').first().waitFor();
    // Quiet means: nothing in flight for a second, after the page itself has gone idle (its
    // observers have fired and asked for whatever sections near the screen need), twice over.
    for (let quiet = 0; quiet < 2;) {
      await page.evaluate(() => new Promise((r) => requestIdleCallback(r)));
      if (inFlight === 0 && Date.now() - lastActivity > 1000) quiet++;
      else {
        quiet = 0;
        await page.waitForTimeout(250);
      }
    }
    await context.close();
    const text = /\.(js|css|html|json|svg|vtt|webmanifest|txt)$/;
    let bytes = 0;
    let tfjs = false;
    let plotly = false;
    for (const f of files) {
      const path = join(app.outDir, f);
      const raw = readFileSync(path);
      bytes += text.test(f) ? gzipSync(raw).length : raw.length;
      if (f.endsWith('.js')) {
        const code = raw.toString('utf8');
        tfjs ||= code.includes('tfjsflags'); // tfjs-core's URL-flag parser: in its chunk and nowhere else
        plotly ||= code.includes('plotly.js');
      }
    }
    return { files: files.size, kb: bytes / KB, tfjs, plotly };
  };

  await timeToInteractive('?backend=wasm'); // warm the server and the disk cache
  const tti: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < 5; i++) {
    tti.push(await timeToInteractive('?backend=wasm'));
    base.push(await blank());
  }

  const screens = [];
  for (const [w, h] of [
    [1366, 768],
    [1920, 1080],
  ] as const)
    screens.push({ size: `${w}x${h}`, ...(await firstScreen(w, h)) });
  // Run all after loading a checkpoint: the heavy cells must not block the page.
  const runAll = async (on: Browser) => {
    const context = await on.newContext();
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as Probe;
      w.longTasks = [];
      w.clicks = [];
      w.frames = [];
      w.draws = [];
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => e.name.startsWith('chart: ') && w.draws.push({ ms: e.duration, what: e.name.slice(7) })),
      ).observe({ type: 'measure', buffered: true });
      // (No named helper functions in here: tsx would wrap them in a `__name` call the page lacks.)
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: 'longtask', buffered: true });
      new PerformanceObserver((list) =>
        list.getEntries().forEach((e) => {
          if (e.name !== 'click') return;
          const el = (e as PerformanceEventTiming).target;
          const on =
            el instanceof Element
              ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent ?? '').trim().slice(0, 24)}"`
              : 'no target';
          const t = e as PerformanceEventTiming;
          w.clicks.push({
            ms: t.duration,
            delayMs: t.processingStart - t.startTime,
            handlersMs: t.processingEnd - t.processingStart,
            paintMs: t.startTime + t.duration - t.processingEnd,
            on,
          });
        }),
      ).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
      // Long animation frames say which scripts ran in a long frame, and for how long: what
      // a long task alone cannot (Chromium 123+; absent elsewhere, and then nothing is listed).
      try {
        new PerformanceObserver((list) =>
          list.getEntries().forEach((e) => {
            const f = e as PerformanceEntry & { blockingDuration: number; styleAndLayoutStart: number; renderStart: number; scripts: LoafScript[] };
            if (f.blockingDuration <= 0) return;
            const end = f.startTime + f.duration;
            w.frames.push({
              ms: f.duration,
              blockingMs: f.blockingDuration,
              // Rendering: frame callbacks, then style and layout, up to the frame's end.
              renderMs: f.renderStart > 0 ? end - f.renderStart : 0,
              layoutMs: f.styleAndLayoutStart > 0 ? end - f.styleAndLayoutStart : 0,
              scripts: f.scripts.map((x) => ({
                ms: x.duration,
                what: `${x.invoker || x.invokerType} ${x.sourceFunctionName || ''} ${(x.sourceURL || '').split('/').pop()}`.trim(),
              })),
            });
          }),
        ).observe({ type: 'long-animation-frame', buffered: true });
      } catch {
        /* not supported: the long tasks above still count */
      }
    });
    await page.goto(app.url + '?backend=wasm&section=results');
    await page.locator('.model-picker button').first().waitFor();
    // Measure from here: the page has loaded; what follows is the lesson computing.
    await page.evaluate(() => {
      const w = window as unknown as Probe;
      w.longTasks.length = 0;
      w.clicks.length = 0;
      w.frames.length = 0;
      w.draws.length = 0;
    });
    // Real mouse clicks, aimed before the measurement starts or with one querySelector: a
    // locator's click runs Playwright's own queries and hit tests in the page first (a role
    // query over the whole lesson took 100 ms), and would be measured as the page's work.
    const centre = (selector: string) =>
      page.evaluate(async (s) => {
        const el = document.querySelector(s)!;
        el.scrollIntoView({ block: 'center' }); // as a locator's click would
        await new Promise(requestAnimationFrame);
        const r = el.getBoundingClientRect();
        return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
      }, selector);
    // The reference, in the same page and run: the same clicks on the title while nothing
    // computes, so what the machine itself adds to a click (software raster here) is known.
    const title = (await page.locator('h1').boundingBox())!;
    const clickTitle = () => page.mouse.click(title.x + 4, title.y + title.height / 2);
    for (let i = 0; i < 12; i++) {
      await clickTitle();
      await page.waitForTimeout(250);
    }
    const idleClicks = await page.evaluate(() => {
      const w = window as unknown as Probe;
      const slow = [...w.clicks];
      w.clicks.length = 0;
      w.longTasks.length = 0;
      w.frames.length = 0;
      return slow;
    });
    const runAllAt = await centre('#notebook-controls > button:nth-of-type(1)');
    if ((await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.textContent, runAllAt)) !== 'Run all')
      throw new Error('Run all is not where the bench aims');
    await page.mouse.click(runAllAt.x, runAllAt.y);
    // The accuracy curve's own picker: loading a model from it leaves the page where it is, with
    // two charts on screen, so Plotly loads and draws during the run, as it would for a learner.
    const pickAt = await centre('#results .cell[data-cell="accuracy-curve"] .model-picker button');
    await page.mouse.click(pickAt.x, pickAt.y);
    const started = Date.now();
    let clicks = 0;
    // A click on the lesson's title (sticky, and with nothing to do).
    const allDone = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('.cell')].every((c) => !['running', 'queued', 'idle'].includes(c.getAttribute('data-state') ?? '')),
      );
    while (!(await allDone())) {
      await clickTitle();
      clicks++;
      await page.waitForTimeout(250);
    }
    const seconds = (Date.now() - started) / 1000;
    const {
      longTasks,
      clicks: slow,
      frames,
      draws,
    } = await page.evaluate(() => {
      const w = window as unknown as Probe;
      return { longTasks: [...w.longTasks], clicks: [...w.clicks], frames: [...w.frames], draws: [...w.draws] };
    });
    await context.close();
    return { seconds, clicks, longTasks, slowClicks: slow, idleClicks, frames, draws };
  };
  // Twice: in the e2e tests' browser, which composites frames with SwiftShader's software
  // GL (its flags turn it on for WebGL and WebGPU), and with Chromium's software compositor
  // (--disable-gpu), which is how Chromium draws on a machine with no usable GPU. The lesson
  // on wasm needs no GL; the two differ in how long a frame takes to reach the screen.
  const glLoad = os.loadavg()[0];
  const gl = await runAll(browser);
  const plain = await launchBrowser(['--disable-gpu']);
  const softwareLoad = os.loadavg()[0];
  const software = await runAll(plain).finally(() => plain.close());

  const chunks = readdirSync(join(app.outDir, 'assets'))
    .filter((f) => f.endsWith('.js') || f.endsWith('.wasm'))
    .map((f) => ({ f, kb: gz(join('assets', f)) / KB }))
    .sort((a, b) => b.kb - a.kb);

  console.log(
    `initial JavaScript: ${(initialBytes / KB).toFixed(1)} KB gzip in ${initial.length} file(s); budget 350 KB (ratio ${(initialBytes / KB / 350).toFixed(2)})`,
  );
  console.log(
    `time to interactive: median ${median(tti).toFixed(0)} ms of ${tti.map((x) => x.toFixed(0)).join(', ')}; target 1500 ms (ratio ${(median(tti) / 1500).toFixed(2)})`,
  );
  console.log(`blank page on the same server: median ${median(base).toFixed(0)} ms (lesson / blank: ${(median(tti) / median(base)).toFixed(1)}x)`);
  for (const s of screens) {
    console.log(
      `first screen at ${s.size}: ${s.kb.toFixed(1)} KB in ${s.files} file(s); TensorFlow.js ${s.tfjs ? 'LOADED' : 'not loaded'}, Plotly ${s.plotly ? 'LOADED' : 'not loaded'}`,
    );
  }
  const report = (label: string, load: number, r: Awaited<ReturnType<typeof runAll>>) => {
    const longest = Math.max(0, ...r.longTasks);
    const slowest = Math.max(0, ...r.slowClicks.map((c) => c.ms));
    console.log(
      `Run all on wasm after loading a checkpoint, ${label}: ${r.seconds.toFixed(0)} s, ${r.clicks} clicks; machine load ${load.toFixed(1)} on ${os.cpus().length} cores`,
    );
    console.log(
      `  longest main-thread task: ${longest.toFixed(0)} ms (${r.longTasks.length} over 50 ms); target: none over 50 ms (ratio ${(longest / 50).toFixed(2)})`,
    );
    console.log(
      `  slowest click to paint: ${slowest.toFixed(0)} ms (${r.slowClicks.length} over 16 ms); target 100 ms (ratio ${(slowest / 100).toFixed(2)})`,
    );
    // Event Timing lists only clicks of 16 ms or more: none listed means all were faster.
    const idleSlowest = Math.max(16, ...r.idleClicks.map((c) => c.ms));
    console.log(
      `  the same clicks with nothing computing (reference, same page): slowest ${idleSlowest.toFixed(0)} ms (${r.idleClicks.length} of 12 over 16 ms); during Run all / idle: ${(slowest / idleSlowest).toFixed(2)}`,
    );
    for (const c of [...r.slowClicks].sort((a, b) => b.ms - a.ms).slice(0, 3))
      console.log(
        `    ${c.ms.toFixed(0)} ms: a click on ${c.on}; waiting ${c.delayMs.toFixed(0)} ms, handlers ${c.handlersMs.toFixed(0)} ms, to the screen ${c.paintMs.toFixed(0)} ms`,
      );
    const draws = [...r.draws].sort((a, b) => b.ms - a.ms);
    console.log(
      `  charts drawn during the run (those on screen draw; the rest wait until seen): ${draws.length}, slowest ${
        draws
          .slice(0, 4)
          .map((d) => `${d.what} ${d.ms.toFixed(0)} ms`)
          .join(', ') || 'none'
      }`,
    );
    // What ran in the longest frames: the scripts (by entry point and file) and the layout after them.
    for (const f of [...r.frames].sort((a, b) => b.ms - a.ms).slice(0, 4)) {
      const top = [...f.scripts].sort((a, b) => b.ms - a.ms).slice(0, 2);
      console.log(
        `    frame of ${f.ms.toFixed(0)} ms (blocking ${f.blockingMs.toFixed(0)}): rendering ${f.renderMs.toFixed(0)} ms, of it style and layout ${f.layoutMs.toFixed(0)} ms; scripts: ${top.map((x) => `${x.what} ${x.ms.toFixed(0)} ms`).join('; ') || 'no script'}`,
      );
    }
  };
  report('compositing through SwiftShader GL (the e2e browser)', glLoad, gl);
  report("Chromium's software compositor (--disable-gpu, as with no GPU)", softwareLoad, software);
  console.log('lazy chunks, gzip KB:');
  for (const c of chunks.slice(0, 12)) console.log(`  ${c.kb.toFixed(1).padStart(7)}  ${c.f}`);
} finally {
  await browser.close();
  await app.close();
}
