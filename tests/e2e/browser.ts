/** Real Chromium against the built app: Debian's /usr/bin/chromium driven by playwright-core. */
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { parseHeadersFile } from '../../src/build/csp.ts';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless, offline, software-rendered Chromium with every tfjs backend available. */
const FLAGS = [
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
];

/** `extraArgs`: more command-line flags (a test of a low-memory device passes a V8 heap limit). */
export async function launchBrowser(extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh, temporary user-data dir.
    args: [...FLAGS, ...extraArgs],
  });
  // Playwright's default of 30 s an action is a wall-clock budget: on a loaded
  // 2-core machine a page load, or a first step on software WebGPU, takes longer.
  // Every context (browser.newPage makes one too) waits as a hang guard instead.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => {
    const context = await newContext(options);
    context.setDefaultTimeout(ACTION_HANG_GUARD_MS);
    return context;
  };
  return browser;
}

/** How long any one page action may wait before the test calls it hung. */
const ACTION_HANG_GUARD_MS = 240_000;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.safetensors': 'application/octet-stream',
};

/**
 * Build the app into a temp folder and serve it from 127.0.0.1 under a sub-path
 * (/unmask/), as a plain static host would: no rewrites, no fallbacks, only the
 * headers the build's `_headers` file asks for (cross-origin isolation for the
 * wasm backend, and the Content-Security-Policy).
 */
export async function serveBuiltApp(): Promise<{ url: string; outDir: string; close: () => Promise<void> }> {
  const outDir = mkdtempSync(join(tmpdir(), 'unmask-dist-'));
  // Vitest sets NODE_ENV=test, which would give a development-flavoured bundle:
  // build exactly what `npm run build` ships.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ mode: 'production', logLevel: 'error', build: { outDir } });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  const headers = parseHeadersFile(readFileSync(join(outDir, '_headers'), 'utf8'));
  const prefix = '/unmask/';
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = path.startsWith(prefix) ? normalize(join(outDir, path.slice(prefix.length) || 'index.html')) : null;
    if (!file || !file.startsWith(outDir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...headers,
      'Cache-Control': 'no-cache',
      // As vite preview sends it: the service worker's cache must not trip over it offline.
      Vary: 'Origin',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('static server has no port');
  return {
    url: `http://127.0.0.1:${address.port}${prefix}`,
    outDir,
    // The build goes with the server: every e2e file and bench builds its own (about 20 MB),
    // and left behind they fill a developer's disk within days.
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(outDir, { recursive: true, force: true });
          r();
        });
      }),
  };
}

export interface BuiltApp {
  readonly browser: Browser;
  readonly app: Awaited<ReturnType<typeof serveBuiltApp>>;
}

/**
 * For a test file: build and serve the app and launch Chromium before its
 * tests, close both after. Read the fields inside tests, once beforeAll has run.
 */
export function useBuiltApp(): BuiltApp {
  const env = {} as { browser: Browser; app: Awaited<ReturnType<typeof serveBuiltApp>> };
  beforeAll(async () => {
    env.app = await serveBuiltApp();
    env.browser = await launchBrowser();
  });
  afterAll(async () => {
    await env.browser?.close();
    await env.app?.close();
  });
  return env;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations inside `selector`, one line each (empty when clean). */
export async function axe(page: Page, selector: string): Promise<string[]> {
  // Through DevTools, not a <script> tag: the lesson's policy refuses inline scripts, as it should.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async (sel) => {
    const run = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            opts: unknown,
          ) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }>;
        };
      }
    ).axe.run;
    const result = await run({ include: [sel] }, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map(
        (v) =>
          `${v.id} (${v.impact}): ${v.help} at ${v.nodes
            .map((n) => n.target.join(' '))
            .slice(0, 3)
            .join(', ')}`,
      );
  }, selector);
}
