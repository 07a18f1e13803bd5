import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { classBuild } from './src/build/class-build.ts';
import { contentSecurityPolicy, devHeaders, securityHeaders } from './src/build/csp.ts';
import { lessonIndex } from './src/build/lesson-index.ts';
import { lessonMarkdown } from './src/build/lesson-markdown.ts';
import { exerciseSandbox } from './src/build/sandbox-runtime.ts';
import { serviceWorker } from './src/build/service-worker.ts';

export default defineConfig({
  base: './',
  // Cross-origin isolation (COOP/COEP) and the Content-Security-Policy: see src/build/csp.ts and the README's "Security".
  plugins: [react(), lessonMarkdown(), lessonIndex(), classBuild(), exerciseSandbox(), contentSecurityPolicy(), serviceWorker()],
  server: { headers: devHeaders() },
  // Plotly's partial bundle is CommonJS reached through a lazy import: pre-bundle it so dev does not reload on first use.
  optimizeDeps: { include: ['plotly.js/lib/core', 'plotly.js/lib/bar', 'plotly.js/lib/heatmap'] },
  preview: { headers: securityHeaders() },
  test: {
    // Hang guards, not budgets: tests wait on states, and on a 2-core machine that is busy with
    // other work a cpu-backend training test can take minutes. A test that needs longer says so.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // On CI, also write a JSON report: .ci/run prints its "N passed, N failed" line.
    reporters: process.env.CI ? ['default', 'json'] : ['default'],
    outputFile: { json: 'node_modules/.cache/unmask/test-results.json' },
    // Two cores: one process per file, two at a time.
    pool: 'forks',
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', setupFiles: ['tests/setup.ts'] } },
      // React components in jsdom.
      { extends: true, test: { name: 'ui', include: ['tests/ui/**/*.test.tsx'], environment: 'jsdom', setupFiles: ['tests/ui/setup.ts'] } },
      // Real Chromium against the built app; needs /usr/bin/chromium (apt-get install -y chromium).
      // expect.poll waits on a state; its default 1 s limit is a wall-clock budget that a loaded
      // 2-core machine misses (the projector's notes once took longer to follow a slide).
      {
        extends: true,
        test: { name: 'e2e', include: ['tests/e2e/**/*.e2e.test.ts'], environment: 'node', expect: { poll: { timeout: 60_000, interval: 100 } } },
      },
    ],
  },
});
