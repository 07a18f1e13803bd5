/**
 * Build-time compiler for the lesson's prose. Each section is a Markdown file
 * with KaTeX math ($…$, $$…$$), `{{cell id}}` lines marking where live cells
 * go, and `{{value KEY FORMAT}}` where it quotes a measured number (filled in
 * here from the data file src/lesson/measured.ts names, so it cannot go stale). Instructors edit the Markdown; the browser receives ready HTML, so
 * neither a Markdown parser nor KaTeX's JavaScript is shipped to the page.
 *
 * Runs in Node (Vite plugin), never in the browser.
 */
import katex from 'katex';
import { Marked } from 'marked';
import type { Plugin } from 'vite';
import { expandValues, filesQuoted } from '../lesson/measured.ts';
import { readRepoJson, repoPath } from './repo-json.ts';
import { errorMessage } from '../core/error-message.ts';

export type LessonPart = { readonly html: string } | { readonly cell: string };

export interface CompiledSection {
  readonly title: string;
  readonly parts: readonly LessonPart[];
  /** The prose as plain sentences, for speaker notes and the assistant. */
  readonly text: string;
}

const CELL_LINE = /^\{\{cell ([a-z0-9-]+)\}\}\s*$/;
const marked = new Marked({
  gfm: true,
  renderer: {
    // The section title is the page's h2, so the prose's "## Subheading" must be an h3.
    heading({ tokens, depth }) {
      const level = Math.min(6, depth + 1);
      return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
    },
  },
});

/** Swap math for placeholders Markdown cannot mangle, render it, swap back. */
export function renderProse(source: string, where: string): string {
  const math: string[] = [];
  const hold = (tex: string, display: boolean): string => {
    try {
      math.push(katex.renderToString(tex.trim(), { displayMode: display, throwOnError: true, output: 'htmlAndMathml' }));
    } catch (e) {
      throw new Error(`${where}: bad math ${JSON.stringify(tex.trim())}: ${errorMessage(e)}`);
    }
    return display ? `\n\nMATHBLOCK${math.length - 1}X\n\n` : `MATHINLINE${math.length - 1}X`;
  };
  const held = source
    .replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => hold(tex, true))
    .replace(/(^|[^\\$])\$([^$\n]+?)\$/g, (_, before: string, tex: string) => before + hold(tex, false))
    .replace(/\\\$/g, '$');
  const html = marked.parse(held, { async: false });
  return html
    .replace(/<p>MATHBLOCK(\d+)X<\/p>/g, (_, i: string) => `<div class="math-display">${math[Number(i)]}</div>`)
    .replace(/MATHINLINE(\d+)X/g, (_, i: string) => math[Number(i)]);
}

/** Plain text of the prose: math kept as its TeX source, HTML tags dropped. */
function plainText(source: string): string {
  return source
    .split('\n')
    .filter((line) => !CELL_LINE.test(line) && !line.startsWith('# '))
    .join('\n')
    .replace(/<[^>]+>/g, '')
    .replace(/^#+\s*/gm, '')
    .replace(/[*`]/g, '') // underscores stay: they are TeX subscripts as often as emphasis
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function compileSection(source: string, where = 'section'): CompiledSection {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const titleAt = lines.findIndex((l) => l.startsWith('# '));
  if (titleAt < 0) throw new Error(`${where}: the first heading must be "# Title"`);
  const title = lines[titleAt].slice(2).trim();
  const body = lines.slice(titleAt + 1);

  const parts: LessonPart[] = [];
  const seen = new Set<string>();
  let prose: string[] = [];
  const flush = () => {
    const text = prose.join('\n').trim();
    if (text) parts.push({ html: renderProse(text, where) });
    prose = [];
  };
  for (const line of body) {
    const cell = CELL_LINE.exec(line);
    if (!cell) {
      prose.push(line);
      continue;
    }
    if (seen.has(cell[1])) throw new Error(`${where}: cell "${cell[1]}" is placed twice`);
    seen.add(cell[1]);
    flush();
    parts.push({ cell: cell[1] });
  }
  flush();
  return { title, parts, text: plainText(body.join('\n')) };
}

/** Vite plugin: `import section from './content/02-intuition.md'` gives a CompiledSection. */
export function lessonMarkdown(): Plugin {
  return {
    name: 'unmask-lesson-markdown',
    transform(code, id) {
      if (!id.endsWith('.md') || !id.includes('/src/lesson/content/')) return null;
      const file = id.slice(id.lastIndexOf('/') + 1);
      // A changed data file re-renders the prose that quotes it.
      for (const data of filesQuoted(code)) this.addWatchFile(repoPath(data));
      const section = compileSection(expandValues(code, readRepoJson, file), file);
      return { code: `export default ${JSON.stringify(section)};`, map: null };
    },
  };
}
