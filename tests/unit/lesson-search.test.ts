/**
 * The offline "Ask": Porter's stemmer against the examples of Porter's paper,
 * the tokenizer, BM25 against the formula computed here independently, the
 * passage cutting, and the ranking over the real lesson (index built exactly
 * as the Vite plugin builds it).
 */
import { describe, expect, it } from 'vitest';
import { buildLessonIndex } from '../../src/build/lesson-index.ts';
import { SUGGESTED_QUESTIONS } from '../../src/lesson/questions.ts';
import { SECTIONS } from '../../src/lesson/sections.ts';
import { buildPostings, rank } from '../../src/search/bm25.ts';
import { searchLesson, type Found } from '../../src/search/lesson-search.ts';
import { narrationPassages, sectionIdOfFile, sectionPassages } from '../../src/search/passages.ts';
import { stem } from '../../src/search/stem.ts';
import { phraseWords, tokenize } from '../../src/search/tokenize.ts';
import { readdirSync } from 'node:fs';

describe('stem (Porter 1980)', () => {
  // Word pairs from the examples in Porter's paper, step by step.
  const PAIRS: [string, string][] = [
    ['caresses', 'caress'],
    ['ponies', 'poni'],
    ['caress', 'caress'],
    ['cats', 'cat'],
    ['feed', 'feed'],
    ['agreed', 'agre'],
    ['plastered', 'plaster'],
    ['bled', 'bled'],
    ['motoring', 'motor'],
    ['sing', 'sing'],
    ['conflated', 'conflat'],
    ['troubled', 'troubl'],
    ['sized', 'size'],
    ['hopping', 'hop'],
    ['tanned', 'tan'],
    ['falling', 'fall'],
    ['hissing', 'hiss'],
    ['fizzed', 'fizz'],
    ['failing', 'fail'],
    ['filing', 'file'],
    ['happy', 'happi'],
    ['sky', 'sky'],
    ['relational', 'relat'],
    ['conditional', 'condit'],
    ['rational', 'ration'],
    ['digitizer', 'digit'],
    ['radically', 'radic'],
    ['differently', 'differ'],
    ['analogously', 'analog'],
    ['vietnamization', 'vietnam'],
    ['predication', 'predic'],
    ['operator', 'oper'],
    ['feudalism', 'feudal'],
    ['decisiveness', 'decis'],
    ['hopefulness', 'hope'],
    ['callousness', 'callous'],
    ['formality', 'formal'],
    ['sensitivity', 'sensit'],
    ['sensibility', 'sensibl'],
    ['triplicate', 'triplic'],
    ['formative', 'form'],
    ['formalize', 'formal'],
    ['electricity', 'electr'],
    ['electrical', 'electr'],
    ['hopeful', 'hope'],
    ['goodness', 'good'],
    ['revival', 'reviv'],
    ['allowance', 'allow'],
    ['inference', 'infer'],
    ['airliner', 'airlin'],
    ['gyroscopic', 'gyroscop'],
    ['adjustable', 'adjust'],
    ['defensible', 'defens'],
    ['irritant', 'irrit'],
    ['replacement', 'replac'],
    ['adjustment', 'adjust'],
    ['dependent', 'depend'],
    ['adoption', 'adopt'],
    ['communism', 'commun'],
    ['activate', 'activ'],
    ['angularity', 'angular'],
    ['homologous', 'homolog'],
    ['effective', 'effect'],
    ['bowdlerize', 'bowdler'],
    ['probate', 'probat'],
    ['rate', 'rate'],
    ['cease', 'ceas'],
    ['controlling', 'control'],
    ['roll', 'roll'],
  ];
  it.each(PAIRS)('%s -> %s', (word, expected) => {
    expect(stem(word)).toBe(expected);
  });

  it("brings the lesson's word families together", () => {
    expect(new Set(['mask', 'masks', 'masked', 'masking'].map(stem)).size).toBe(1);
    expect(new Set(['train', 'trained', 'training', 'trains'].map(stem)).size).toBe(1);
    expect(stem('generation')).toBe(stem('generate'));
  });
});

describe('tokenize', () => {
  it('keeps content words, stemmed, and drops function words, question words and single letters', () => {
    expect(tokenize('Why does the ELBO weight each masked token by 1/t?')).toEqual(['elbo', 'weight', 'mask', 'token', '1']);
  });

  it('reads TeX for its words, not its commands', () => {
    expect(tokenize('$\\frac{\\text{ELBO}}{L} = \\int_0^1 \\ell(t)\\,dt$')).toEqual(['elbo', '0', '1', 'dt']);
  });

  it('keeps decimals whole and drops HTML tags', () => {
    expect(tokenize('<details><summary>Show</summary>never 0.528 nats</details>')).toEqual(['show', 'never', '0.528', 'nat']);
  });

  it('reads comparisons as words, so "u < t" meets "strictly less than"', () => {
    expect(tokenize('u < t')).toEqual(['less']);
    expect(tokenize('u <= t, $u \\le t$, u ≤ t')).toEqual(['less', 'equal', 'less', 'equal', 'less', 'equal']);
    expect(tokenize('strictly less than')).toEqual(['strictli', 'less']);
  });

  it('folds plurals, and only plurals, for spotting a named term', () => {
    expect(phraseWords('Causal masks and entropies')).toEqual(['causal', 'mask', 'and', 'entropy']);
    expect(phraseWords('masked loss')).toEqual(['masked', 'loss']);
  });
});

describe('BM25', () => {
  const docs = [['mask', 'token', 'mask'], ['token', 'ratio', 'ratio', 'ratio', 'model', 'model'], ['elbo'], ['ratio', 'mask']];
  /** The formula, written out again from its definition. */
  function expected(query: string[], d: number, k1 = 1.2, b = 0.75): number {
    const avg = docs.reduce((s, x) => s + x.length, 0) / docs.length;
    let score = 0;
    for (const q of new Set(query)) {
      const n = docs.filter((x) => x.includes(q)).length;
      const f = docs[d].filter((w) => w === q).length;
      if (!f) continue;
      const idf = Math.log(1 + (docs.length - n + 0.5) / (n + 0.5));
      score += (idf * f * (k1 + 1)) / (f + k1 * (1 - b + (b * docs[d].length) / avg));
    }
    return score;
  }

  it('scores every passage as the formula does, and ranks by it', () => {
    const postings = buildPostings(docs);
    const query = ['mask', 'ratio', 'ratio', 'unknown'];
    const ranked = rank(postings, query, 10);
    expect(ranked.map((r) => r.doc)).toEqual([3, 0, 1]); // doc 2 shares no term and is left out
    for (const r of ranked) expect(r.score).toBeCloseTo(expected(query, r.doc), 3);
  });

  it('rewards a rare term over a common one, and does not reward repetition without bound', () => {
    const postings = buildPostings(docs);
    expect(rank(postings, ['elbo'], 1)[0].score).toBeGreaterThan(rank(postings, ['token'], 1)[0].score);
    const three = expected(['ratio'], 1);
    expect(three).toBeLessThan(2.2 * Math.log(1 + (4 - 2 + 0.5) / 2.5)); // below the (k1 + 1)·idf ceiling
  });

  it('finds nothing for nothing, and is not fooled by object keys', () => {
    const postings = buildPostings(docs);
    expect(rank(postings, [], 3)).toEqual([]);
    expect(rank(postings, ['constructor', '__proto__', 'hasOwnProperty'], 3)).toEqual([]);
    expect(buildPostings([])).toEqual({});
  });
});

describe('passages', () => {
  it('cuts prose at subheadings, keeps a formula and a list with the sentence before them, and drops cells', () => {
    const source = [
      '# The math',
      '',
      'Intro words here.',
      '',
      '## First idea',
      '',
      'It reads:',
      '',
      '$$',
      'a = b',
      '',
      'c',
      '$$',
      '',
      '{{cell some-cell}}',
      '',
      '- one point',
      '- another point',
      '',
      '## Second idea',
      '',
      'More prose.',
    ].join('\n');
    const passages = sectionPassages('03-math.md', source);
    expect(passages.map((p) => [p.section, p.heading])).toEqual([
      ['math', 'The math'],
      ['math', 'First idea'],
      ['math', 'Second idea'],
    ]);
    expect(passages[1].body).toBe('It reads:\n\n$$\na = b\n\nc\n$$\n\n- one point\n- another point');
    expect(passages.some((p) => p.body.includes('{{cell'))).toBe(false);
  });

  it('names sections after their files, and every section of the lesson has its NN-id.md file in place NN', () => {
    expect(sectionIdOfFile('03-math.md')).toBe('math');
    expect(() => sectionIdOfFile('math.md')).toThrow(/NN-<section id>\.md/);
    const files = readdirSync('src/lesson/content')
      .filter((f) => f.endsWith('.md'))
      .sort();
    expect(files).toEqual(SECTIONS.map((s) => `${String(s.index).padStart(2, '0')}-${s.id}.md`));
  });

  it('groups narration four sentences at a time', () => {
    const script = ['One.', 'Two.', 'Three.', 'Four.', 'Five.', ''].join('\n');
    const passages = narrationPassages({ id: 'x', section: 'math', title: 'The math' }, script);
    expect(passages.map((p) => p.body)).toEqual(['One. Two. Three. Four.', 'Five.']);
  });
});

describe('the lesson index', () => {
  const index = buildLessonIndex(process.cwd());
  const ask = (q: string): Found[] => searchLesson(index, q);
  const label = (p: Found) => `${p.kind}:${p.section}:${p.heading}`;

  it('covers the prose of every section, the whole glossary and every narration clip, each linked to a real section', () => {
    const ids = new Set(SECTIONS.map((s) => s.id));
    for (const p of index.passages) expect(ids.has(p.section), p.heading).toBe(true);
    // Quoted measurements are filled in, as on the page: no {{value …}} template reaches a learner.
    for (const p of index.passages) expect(p.html, p.heading).not.toMatch(/\{\{(value|cell) /);
    for (const s of SECTIONS)
      expect(
        index.passages.some((p) => p.kind === 'section' && p.section === s.id),
        s.id,
      ).toBe(true);
    expect(index.passages.filter((p) => p.kind === 'glossary').length).toBeGreaterThan(50);
    expect(new Set(index.passages.filter((p) => p.kind === 'narration').map((p) => p.heading)).size).toBe(14);
  });

  it('renders math at build time and escapes plain text', () => {
    const elbo = index.passages.find((p) => p.kind === 'section' && p.html.includes('None of these is the'))!;
    expect(elbo.html).toContain('class="katex"');
    for (const p of index.passages.filter((x) => x.kind !== 'section')) expect(p.html).not.toMatch(/<(?!\/?p>)/);
  });

  it("answers a question about the ELBO with section 3's ELBO passage and the glossary entry", () => {
    const found = ask('What is the ELBO?');
    expect(found.length).toBeGreaterThanOrEqual(2);
    expect(found.length).toBeLessThanOrEqual(3);
    expect(found.map(label)).toContain('glossary:math:ELBO');
    const prose = found.find((p) => p.kind === 'section' && p.section === 'math');
    expect(prose?.heading).toBe('Sum or average? And why neither is the ELBO');
    expect(prose?.html).toContain('None of these is the');
  });

  it.each([
    ["Why can't we add Gaussian noise to token ids?", 'glossary:why:Gaussian noise'],
    ["How is masked diffusion different from BERT's 15% masking?", 'glossary:intuition:BERT'],
    ['How can a model be nearly always right when most tokens are hidden?', 'section:data:Why this data is good for teaching'],
    ['What do gradient clipping and warm-up each protect against?', 'glossary:training:Gradient clipping'],
    ['Why is a token revealed with probability (t − s)/t in the ancestral sampler?', 'glossary:beyond:Ancestral sampler'],
    ['Over which axis should the softmax run in TODO 2?', 'section:exercises:TODO 2: predict the masked tokens'],
    ['Why does the notebook recipe get stuck near 38% accuracy?', 'section:training:A puzzle: the plateau'],
    ['what does the time embedding do', 'glossary:transformer:Time embedding'],
    ['Why is the gap to the ceiling largest between t = 0.7 and 0.85?', 'section:reflection:3. Which masking ratios make the task hardest?'],
  ])('"%s" is answered first by %s', (question, expected) => {
    expect(label(ask(question)[0])).toBe(expected);
  });

  it('finds a passage of the section for each question it suggests', () => {
    for (const [section, questions] of Object.entries(SUGGESTED_QUESTIONS)) {
      for (const q of questions)
        expect(
          ask(q).map((p) => p.section),
          q,
        ).toContain(section);
    }
  });

  it('shows one passage per subheading, each at least near the best, and nothing for words the lesson never uses', () => {
    for (const q of ['What is the ELBO?', 'Why does training mask tokens?', 'How is the model trained?']) {
      const found = ask(q);
      expect(new Set(found.map(label)).size).toBe(found.length);
      const best = Math.max(...found.map((p) => p.score));
      for (const p of found) expect(p.score).toBeGreaterThanOrEqual(best * 0.45);
    }
    expect(ask('zebra quokka')).toEqual([]);
    expect(ask('   ')).toEqual([]);
    expect(ask('the and of')).toEqual([]);
  });

  it('puts a named definition first only when it also ranks near the best', () => {
    // "mask" names the [MASK] entry, but this question is about training, not the token.
    expect(label(ask('Why does training mask tokens?')[0])).not.toBe('glossary:why:[MASK]');
    expect(label(ask('What is the [MASK] token?')[0])).toBe('glossary:why:[MASK]');
  });
});
