/**
 * A class build, `VITE_SOLUTIONS=off npm run build`: not one reference
 * solution anywhere in dist/ (a normal build, built beside it, holds every
 * one, so the search can find them), and the page says why it offers none.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXERCISE_IDS, EXERCISES } from '../../src/exercises/exercises.ts';
import { SOLUTIONS } from '../../src/exercises/solutions.ts';
import { serveBuiltApp, useBuiltApp } from './browser.ts';
import { editorOf } from './exercise-model.ts';

const env = useBuiltApp();
let classApp: Awaited<ReturnType<typeof serveBuiltApp>>;

beforeAll(async () => {
  process.env.VITE_SOLUTIONS = 'off';
  try {
    classApp = await serveBuiltApp();
  } finally {
    delete process.env.VITE_SOLUTIONS;
  }
});
afterAll(async () => {
  await classApp?.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));
}

/** Every file of a build, as text (a minifier keeps a line of code inside a string as it is, quotes aside). */
const textOf = (dir: string) =>
  filesUnder(dir)
    .map((f) => readFileSync(f, 'latin1'))
    .join('\n');

/**
 * Lines of each solution found nowhere in the starters or hints (so their
 * presence means the solution is there), and free of quotes and backslashes
 * (which a minifier may escape).
 */
const telling = Object.fromEntries(
  EXERCISE_IDS.map((id) => {
    const given = EXERCISE_IDS.map((e) => [EXERCISES[e].starter, ...EXERCISES[e].hints].join('\n')).join('\n');
    const lines = SOLUTIONS![id]
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length >= 24 && !/['"`\\]/.test(l) && !given.includes(l));
    return [id, lines];
  }),
);

describe('a class build', () => {
  it('leaves every solution out of dist/, where a normal build has them all', () => {
    const normal = textOf(env.app.outDir);
    const inClass = textOf(classApp.outDir);
    for (const id of EXERCISE_IDS) {
      expect(telling[id].length, id).toBeGreaterThanOrEqual(2);
      for (const line of telling[id]) {
        expect(normal.includes(line), `${id} in a normal build: ${line}`).toBe(true);
        expect(inClass.includes(line), `${id} in the class build: ${line}`).toBe(false);
      }
    }
  });

  it('offers no solution to reveal, and says it is a class build', async () => {
    const page = await env.browser.newPage();
    await page.goto(`${classApp.url}?backend=wasm&section=exercises`);
    await editorOf(page, 'todo-3');
    expect(await page.getByRole('button', { name: 'Reveal the solution' }).count()).toBe(0);
    expect(await page.getByText('This is a class build of the lesson: it has no solutions to reveal.').count()).toBe(3);
    await page.close();
  });
});
