/**
 * Build-time search index for the offline "Ask about this lesson": the
 * sections' prose, the glossary and the narration scripts cut into passages
 * (src/search/passages.ts), each rendered to HTML once, and BM25 postings
 * over all of them. The page imports the result as a ready module
 * (`virtual:lesson-index`), loaded only when Ask opens, and does no indexing.
 *
 * Runs in Node (Vite plugin, unit tests), never in the browser.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';
import { SEGMENTS } from '../../narration/segments.ts';
import { GLOSSARY } from '../lesson/glossary.ts';
import { buildPostings } from '../search/bm25.ts';
import type { LessonIndex, Passage } from '../search/lesson-search.ts';
import { glossaryPassages, narrationPassages, sectionPassages, type PassageSource } from '../search/passages.ts';
import { phraseWords, tokenize } from '../search/tokenize.ts';
import { expandValues } from '../lesson/measured.ts';
import { renderProse } from './lesson-markdown.ts';
import { readRepoJson } from './repo-json.ts';

const CONTENT = 'src/lesson/content';
const SCRIPTS = 'narration/scripts';

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Every passage of the lesson, in reading order within each source. */
export function lessonPassages(root: string): PassageSource[] {
  const files = readdirSync(join(root, CONTENT))
    .filter((f) => f.endsWith('.md'))
    .sort();
  // Quoted measurements are filled in first, as the page and the narration show them.
  const read = (dir: string, file: string) => expandValues(readFileSync(join(root, dir, file), 'utf8'), readRepoJson, `${dir}/${file}`);
  const prose = files.flatMap((f) => sectionPassages(f, read(CONTENT, f)));
  const narration = SEGMENTS.flatMap((s) => narrationPassages(s, read(SCRIPTS, `${s.id}.txt`)));
  return [...prose, ...glossaryPassages(GLOSSARY), ...narration];
}

/**
 * The panel is narrower than the lesson's column, so a wide formula scrolls
 * sideways there: it must take focus for a keyboard to scroll it.
 */
const scrollableMath = (html: string): string => html.replace(/<div class="math-display">/g, '<div class="math-display" tabindex="0">');

function render(p: PassageSource): Passage {
  const html = p.kind === 'section' ? scrollableMath(renderProse(p.body, `${p.section}: ${p.heading}`)) : `<p>${escapeHtml(p.body)}</p>`;
  return { kind: p.kind, section: p.section, heading: p.heading, html };
}

export function buildLessonIndex(root: string): LessonIndex {
  const sources = lessonPassages(root);
  // The heading or term is counted twice: it says what the passage is about in the fewest words.
  const terms = sources.map((p) => [...tokenize(p.keywords), ...tokenize(p.keywords), ...tokenize(p.body)]);
  const glossaryNames = sources.flatMap((p, doc) =>
    (p.names ?? []).map((name) => [phraseWords(name), doc] as const).filter(([words]) => words.some((w) => /[a-z]{2}/.test(w))),
  );
  return { passages: sources.map(render), postings: buildPostings(terms), glossaryNames };
}

const VIRTUAL_ID = 'virtual:lesson-index';
const RESOLVED_ID = '\0' + VIRTUAL_ID;

/** Vite plugin: `import index from 'virtual:lesson-index'` gives a LessonIndex. */
export function lessonIndex(): Plugin {
  let root = process.cwd();
  return {
    name: 'unmask-lesson-index',
    configResolved(config) {
      root = config.root;
    },
    resolveId: (id) => (id === VIRTUAL_ID ? RESOLVED_ID : null),
    load(id) {
      if (id !== RESOLVED_ID) return null;
      // In dev, editing the prose or a script rebuilds the index (the glossary is imported above: restart for it).
      for (const dir of [CONTENT, SCRIPTS]) {
        for (const f of readdirSync(join(root, dir))) this.addWatchFile(join(root, dir, f));
      }
      // JSON.parse of a string literal is faster for engines to load than the same object as code.
      return `export default JSON.parse(${JSON.stringify(JSON.stringify(buildLessonIndex(root)))});`;
    },
  };
}
