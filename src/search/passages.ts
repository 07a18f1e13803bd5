/**
 * The lesson cut into passages a learner can read in a few seconds: the
 * units the offline "Ask" ranks and shows. Three sources, each with its own
 * natural unit:
 * - the sections' prose: paragraphs under a subheading, joined until a
 *   passage says something whole (a formula or a list stays with the
 *   sentence that introduces it);
 * - the glossary: one entry, one passage;
 * - the narration scripts: a few consecutive sentences.
 *
 * Plain TypeScript: the build runs it in Node; nothing here renders.
 */

export type PassageKind = 'section' | 'glossary' | 'narration';

/** A passage before rendering: where it comes from, its label, its source text. */
export interface PassageSource {
  readonly kind: PassageKind;
  /** The section it belongs to (or, for a glossary entry, the one that explains it). */
  readonly section: string;
  /** The subheading, glossary term or narration clip title the passage sits under. */
  readonly heading: string;
  /** Markdown with TeX for prose; plain sentences otherwise. */
  readonly body: string;
  /** Words that describe the passage better than its body does (a heading, a term and its aliases): counted twice. */
  readonly keywords: string;
  /** A glossary entry's term and aliases: a question that names one is asking for this definition. */
  readonly names?: readonly string[];
}

/** Roughly a paragraph or two: long enough to answer, short enough to skim in the panel. */
const TARGET_WORDS = 40;
const NARRATION_SENTENCES = 4;

const CELL_LINE = /^\{\{cell [a-z0-9-]+\}\}\s*$/;
const wordCount = (text: string): number =>
  text
    .replace(/\$\$[\s\S]*?\$\$|\$[^$\n]*\$/g, ' x ')
    .split(/\s+/)
    .filter(Boolean).length;

/** "03-math.md" -> "math": the content files are named NN-<section id>.md, NN being the section's place. */
export function sectionIdOfFile(file: string): string {
  const match = /^(\d{2})-([a-z0-9-]+)\.md$/.exec(file);
  if (!match) throw new Error(`${file}: lesson content files are named NN-<section id>.md`);
  return match[2];
}

/** Blocks of a Markdown body: paragraphs, lists, display math; blank lines separate them, $$…$$ may not be split. */
function blocks(lines: readonly string[]): string[] {
  const out: string[] = [];
  let current: string[] = [];
  let inMath = false;
  for (const line of lines) {
    if (!inMath && line.trim() === '') {
      if (current.length) out.push(current.join('\n'));
      current = [];
      continue;
    }
    current.push(line);
    // An odd number of "$$" on a line opens or closes a display formula.
    if ((line.match(/\$\$/g) ?? []).length % 2 === 1) inMath = !inMath;
  }
  if (current.length) out.push(current.join('\n'));
  return out;
}

const isDisplayMath = (block: string): boolean => block.trimStart().startsWith('$$');
const isList = (block: string): boolean => /^\s*([-*+]|\d+\.)\s/.test(block);
const isTable = (block: string): boolean => block.trimStart().startsWith('|');

/** A section's prose as passages, each under its nearest "## " subheading (or the section title before the first). */
export function sectionPassages(file: string, source: string): PassageSource[] {
  const section = sectionIdOfFile(file);
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  const titleLine = lines.find((l) => l.startsWith('# '));
  if (!titleLine) throw new Error(`${file}: the first heading must be "# Title"`);
  const title = titleLine.slice(2).trim();

  // Group lines under subheadings; cell placeholders are not prose.
  const groups: { heading: string; lines: string[] }[] = [{ heading: title, lines: [] }];
  for (const line of lines) {
    if (line === titleLine || CELL_LINE.test(line)) continue;
    const sub = /^#{2,6}\s+(.*)$/.exec(line);
    if (sub) groups.push({ heading: sub[1].trim(), lines: [] });
    else groups[groups.length - 1].lines.push(line);
  }

  const passages: PassageSource[] = [];
  for (const { heading, lines: body } of groups) {
    let open: string[] = [];
    const close = () => {
      if (open.length) passages.push({ kind: 'section', section, heading, body: open.join('\n\n'), keywords: heading });
      open = [];
    };
    for (const block of blocks(body)) {
      const previous = open[open.length - 1];
      // A formula, list or table belongs to the sentence before it, and a sentence ending in ":" to what follows.
      const attached = isDisplayMath(block) || isList(block) || isTable(block) || (previous !== undefined && /:\s*$/.test(previous));
      if (!attached && wordCount(open.join(' ')) >= TARGET_WORDS) close();
      open.push(block);
    }
    close();
  }
  return passages;
}

export interface GlossaryLike {
  readonly term: string;
  readonly aliases?: readonly string[];
  readonly section: string;
  readonly definition: string;
}

export function glossaryPassages(entries: readonly GlossaryLike[]): PassageSource[] {
  return entries.map((e) => ({
    kind: 'glossary',
    section: e.section,
    heading: e.term,
    body: e.definition,
    keywords: [e.term, ...(e.aliases ?? [])].join(' '),
    names: [e.term, ...(e.aliases ?? [])],
  }));
}

export interface SegmentLike {
  readonly id: string;
  readonly section: string;
  readonly title: string;
}

/** A narration script (one sentence a line) as passages of a few sentences. */
export function narrationPassages(segment: SegmentLike, script: string): PassageSource[] {
  const sentences = script
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  const passages: PassageSource[] = [];
  for (let i = 0; i < sentences.length; i += NARRATION_SENTENCES) {
    passages.push({
      kind: 'narration',
      section: segment.section,
      heading: segment.title,
      body: sentences.slice(i, i + NARRATION_SENTENCES).join(' '),
      keywords: '',
    });
  }
  return passages;
}
