/**
 * The code's layout is part of its documentation: the README's Layout section
 * names every folder of src/ and every file of the engine, and the folders
 * depend on each other in one direction only.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');

function layoutBlock(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Layout'));
  return section.slice(section.indexOf('```') + 3, section.indexOf('```', section.indexOf('```') + 3));
}

const dirsIn = (dir: string) => readdirSync(dir).filter((f) => statSync(join(dir, f)).isDirectory());

describe("the README's Layout", () => {
  const block = layoutBlock();

  it('names every folder of src/', () => {
    const named = [...block.matchAll(/^src\/([\w-]+)\//gm)].map((m) => m[1]);
    expect(named.sort()).toEqual(dirsIn(SRC).sort());
  });

  it('lists every file of src/core, and no file that is not there', () => {
    const coreBlock = block.slice(block.indexOf('src/core/'), block.search(/^src\/(?!core)/m));
    const listed = [...coreBlock.matchAll(/^ {2}([\w.-]+\/?)\s/gm)].map((m) => m[1]);
    const present = readdirSync(join(SRC, 'core')).map((f) => (statSync(join(SRC, 'core', f)).isDirectory() ? `${f}/` : f));
    expect(listed.sort()).toEqual(present.sort());
  });

  it('names every folder of src/ui', () => {
    const uiBlock = block.slice(block.indexOf('src/ui/'), block.indexOf('\nnarration/'));
    for (const folder of dirsIn(join(SRC, 'ui'))) expect(uiBlock, `src/ui/${folder}/ is not in the Layout`).toMatch(new RegExp(`\\b${folder}/`));
  });
});

/** The folder a source file belongs to: src/<top>, or src/ui/<part> inside the UI. */
function folderOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  if (parts[0] === '..') return 'outside src';
  return parts[0] === 'ui' && parts.length > 2 ? `ui/${parts[1]}` : parts[0];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(f) && !f.endsWith('.d.ts') ? [p] : [];
  });
}

/** Folder -> the folders its files import at run time (type-only imports are erased and do not count). */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const code = readFileSync(file, 'utf8');
    for (const m of code.matchAll(/^(import|export)(?!\s+type\b)[^;]*?from\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/gm)) {
      const target = resolve(dirname(file), (m[2] ?? m[3]).replace(/\?\w+$/, ''));
      const [a, b] = [folderOf(file), folderOf(target)];
      if (a === b || b === 'outside src') continue;
      if (!graph.has(a)) graph.set(a, new Map());
      graph.get(a)!.set(b, `${relative(ROOT, file)} imports ${relative(ROOT, target)}`);
    }
  }
  return graph;
}

/** One cycle, as the imports that make it, or null. */
function findCycle(graph: Map<string, Map<string, string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      if (state.get(next) === 'open') {
        const loop = [...path.slice(path.indexOf(next)), next];
        return loop.slice(1).map((to, i) => graph.get(loop[i])!.get(to)!);
      }
      if (!state.has(next)) {
        const found = visit(next);
        if (found) return found;
      }
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    if (state.has(node)) continue;
    const found = visit(node);
    if (found) return found;
  }
  return null;
}

describe('folders', () => {
  it('import each other in one direction only: no cycle between the folders of src/ or of src/ui', () => {
    const graph = folderGraph();
    expect(graph.get('ui/cells')?.has('ui/notebook'), 'the graph is read (cells use the notebook shell only through section/)').toBeFalsy();
    expect(graph.get('ui/notebook')?.has('ui/section')).toBe(true);
    expect(findCycle(graph)).toBeNull();
  });

  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a', new Map([['b', 'a.ts imports b.ts']])],
      ['b', new Map([['c', 'b.ts imports c.ts']])],
      ['c', new Map([['a', 'c.ts imports a.ts']])],
    ]);
    expect(findCycle(graph)).toEqual(['a.ts imports b.ts', 'b.ts imports c.ts', 'c.ts imports a.ts']);
  });
});
