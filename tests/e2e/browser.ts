/** Real Chromium against the built app: Debian's /usr/bin/chromium driven by playwright-core. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Flags for a headless, offline, software-rendered Chromium with every tfjs backend available. */
const FLAGS = [
  '--no-sandbox', '--no-first-run', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--disable-quic',
  '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
  '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-vulkan=swiftshader', '--use-webgpu-adapter=swiftshader',
];

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Playwright gives every launch a fresh, temporary user-data dir.
    args: FLAGS,
  });
}

/** Build the app into a temp folder and serve it on 127.0.0.1, under a sub-path as a static host would. */
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
  const server: PreviewServer = await preview({ logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port: 0 } });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return { url: `http://127.0.0.1:${address.port}/`, outDir, close: () => new Promise((r) => server.httpServer.close(() => r())) };
}
