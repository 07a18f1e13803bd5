/**
 * Turn a model's answer into safe HTML: Markdown with KaTeX math, but never
 * the model's own HTML. Loaded on demand (import('./markdown.ts')), so
 * marked and KaTeX stay out of the page's first download.
 *
 * An answer is untrusted text: a model can be talked into writing
 * <img onerror=…> or a javascript: link. So raw HTML is shown as text, links
 * must be http(s), images are never fetched (they could carry data out in
 * their URL), and a DOM pass afterwards removes anything active that slipped
 * through.
 */
import katex from 'katex';
import { Marked, type TokenizerAndRendererExtension, type Tokens } from 'marked';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESCAPES[c]);

/** The absolute http(s) URL, normalised, or null for anything else (javascript:, data:, relative…). */
export function safeUrl(href: string): string | null {
  try {
    const url = new URL(href.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

function tex(source: string, display: boolean): string {
  // trust: false refuses \href, \url and \html*; maxSize and maxExpand keep a hostile formula small and finite.
  const html = katex.renderToString(source, {
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxSize: 20,
    maxExpand: 500,
    output: 'htmlAndMathml',
  });
  return display ? `<div class="math-display">${html}</div>` : html;
}

interface MathToken extends Tokens.Generic {
  readonly text: string;
  readonly display: boolean;
}

const blockMath: TokenizerAndRendererExtension = {
  name: 'blockMath',
  level: 'block',
  start: (src) => src.match(/\$\$|\\\[/)?.index,
  tokenizer(src) {
    const m = /^(?:\$\$([\s\S]+?)\$\$|\\\[([\s\S]+?)\\\])[^\S\n]*(?:\n+|$)/.exec(src);
    return m ? { type: 'blockMath', raw: m[0], text: (m[1] ?? m[2]).trim(), display: true } : undefined;
  },
  renderer: (token) => tex((token as MathToken).text, true),
};

/** $x$ (no space just inside the dollars, no digit after: "$5 and $10" is money), \(x\), and $$x$$ or \[x\] inside a paragraph. */
const inlineMath: TokenizerAndRendererExtension = {
  name: 'inlineMath',
  level: 'inline',
  start: (src) => src.match(/\$|\\[([]/)?.index,
  tokenizer(src) {
    const display = /^\$\$([\s\S]+?)\$\$/.exec(src) ?? /^\\\[([\s\S]+?)\\\]/.exec(src);
    if (display) return { type: 'inlineMath', raw: display[0], text: display[1].trim(), display: true };
    const inline = /^\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)/.exec(src) ?? /^\\\(([\s\S]+?)\\\)/.exec(src);
    return inline ? { type: 'inlineMath', raw: inline[0], text: inline[1], display: false } : undefined;
  },
  renderer: (token) => tex((token as MathToken).text, (token as MathToken).display),
};

const marked = new Marked({
  gfm: true,
  breaks: false,
  extensions: [blockMath, inlineMath],
  renderer: {
    // The model's HTML, block or inline, is shown as the text it is.
    html: ({ text, block }) => (block ? `<p>${escapeHtml(text)}</p>\n` : escapeHtml(text)),
    link({ href, title, tokens }) {
      const text = this.parser.parseInline(tokens);
      const url = safeUrl(href);
      if (!url) return text;
      const t = title ? ` title="${escapeHtml(title)}"` : '';
      return `<a href="${escapeHtml(url)}"${t} target="_blank" rel="noopener noreferrer nofollow">${text}</a>`;
    },
    image({ href, text }) {
      const label = `[image: ${escapeHtml(text || 'no description')}]`;
      const url = safeUrl(href);
      return url ? `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer nofollow">${label}</a>` : label;
    },
  },
});

/** Elements an answer never needs; anything else active is dropped with them. */
const DROP = new Set([
  'script',
  'style',
  'iframe',
  'frame',
  'object',
  'embed',
  'link',
  'meta',
  'base',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'img',
  'picture',
  'video',
  'audio',
  'source',
  'track',
  'foreignobject',
  'use',
  'image',
  'animate',
  'set',
]);
const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'srcset', 'poster', 'background']);

/** Belt and braces after the renderer: strip active elements, event handlers and non-http(s) URLs. */
export function sanitize(html: string): string {
  const template = document.createElement('template');
  template.innerHTML = html; // a template's content is inert: nothing runs or loads while we look
  for (const el of Array.from(template.content.querySelectorAll('*'))) {
    if (DROP.has(el.localName.toLowerCase())) {
      el.remove();
      continue;
    }
    for (const { name, value } of Array.from(el.attributes)) {
      const n = name.toLowerCase();
      const allowedLink = el.localName === 'a' && n === 'href' && safeUrl(value) !== null;
      if (n.startsWith('on') || n === 'srcdoc' || (URL_ATTRS.has(n) && !allowedLink)) el.removeAttribute(name);
    }
  }
  return template.innerHTML;
}

/** The answer as HTML that is safe to insert. */
export function renderAnswer(markdown: string): string {
  return sanitize(marked.parse(markdown, { async: false }));
}
