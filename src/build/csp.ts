/**
 * The lesson's security headers and Content-Security-Policy, in one place:
 *
 * - `securityHeaders()`: what a static host should send with every file (and
 *   what `vite preview` and the e2e server send): COOP/COEP, the policy, nosniff.
 * - the build puts the policy in a <meta> of index.html too, so it holds on a
 *   host that sends no headers;
 * - `dist/_headers` (Netlify / Cloudflare Pages format) with the headers.
 *
 * Scripts: only the lesson's own files, plus one inline script by hash: the
 * exercise sandbox frame's bootstrap, which a srcdoc frame runs under the
 * page's policy (it inherits it, and adds its own stricter one).
 * 'wasm-unsafe-eval' is there for tfjs' wasm backend on the page. Runs in Node
 * (Vite), never in the browser.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { FRAME_BOOTSTRAP } from '../exercises/sandbox/frame.ts';

const sha256 = (text: string) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

export const SANDBOX_BOOTSTRAP_HASH = sha256(FRAME_BOOTSTRAP);

/**
 * The lesson's policy, as a header or as a <meta>. They differ in two places:
 * - frame-ancestors exists only as a header;
 * - connect-src: the page (under both) may connect only to the lesson itself.
 *   The assistant's server, wherever the learner points it, is reached from
 *   the assistant's own worker (src/ui/assistant/transport.worker.ts). A worker
 *   started from a file of the lesson is under the headers of that file, not
 *   under the page's <meta>: the header allows http(s) so that it can.
 */
export function lessonPolicy(where: 'meta' | 'header'): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' '${SANDBOX_BOOTSTRAP_HASH}'`,
    // KaTeX and Plotly set inline styles.
    "style-src 'self' 'unsafe-inline'",
    // Plotly's image export and the download buttons use data: and blob: URLs.
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    // Training and reference workers are files of the lesson; the exercise sandbox's worker is a blob: made inside its frame.
    "worker-src 'self' blob:",
    where === 'header' ? "connect-src 'self' http: https:" : "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ];
  if (where === 'header') directives.push("frame-ancestors 'self'");
  return directives.join('; ');
}

/** Headers a static host should send with every file of the build. */
export function securityHeaders(): Record<string, string> {
  return {
    // Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer).
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Content-Security-Policy': lessonPolicy('header'),
    'X-Content-Type-Options': 'nosniff',
  };
}

/** `npm run dev`: the same, loosened for Vite's inline React-refresh preamble and its HMR socket. */
export function devHeaders(): Record<string, string> {
  const policy = lessonPolicy('header')
    .replace(/script-src [^;]*/, "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'")
    .replace(/connect-src [^;]*/, "connect-src 'self' ws: wss: http: https:");
  return { ...securityHeaders(), 'Content-Security-Policy': policy };
}

/** The headers as a Netlify / Cloudflare Pages `_headers` file. */
export function headersFile(): string {
  const lines = Object.entries(securityHeaders()).map(([k, v]) => `  ${k}: ${v}`);
  return `# Written by the build (src/build/csp.ts): the headers every file of the lesson should be sent with.\n/*\n${lines.join('\n')}\n`;
}

/** Parse a `_headers` file's rules for every path ("/*"): the e2e server sends exactly these. */
export function parseHeadersFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let inAll = false;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) inAll = line.trim() === '/*';
    else if (inAll && line.includes(':')) {
      const at = line.indexOf(':');
      out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
  }
  return out;
}

export function contentSecurityPolicy(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'unmask-content-security-policy',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    transformIndexHtml: {
      order: 'post',
      // Right after <meta charset> (which must stay in the first 1024 bytes), before anything that loads.
      handler: (html) => {
        const charset = /<meta charset="[^"]*"\s*\/?>/i;
        if (!charset.test(html)) throw new Error('index.html needs a <meta charset> for the policy to follow');
        return html.replace(charset, (m) => `${m}\n    <meta http-equiv="Content-Security-Policy" content="${lessonPolicy('meta')}" />`);
      },
    },
    closeBundle() {
      // After the service worker's file list is made: this file is for the host, not the lesson.
      writeFileSync(join(resolve(config.root, config.build.outDir), '_headers'), headersFile());
    },
  };
}
