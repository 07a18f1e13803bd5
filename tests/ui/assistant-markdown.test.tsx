/** Answers render as Markdown with math, and the model's own HTML never becomes markup. */
import { describe, expect, it, vi } from 'vitest';
import { renderAnswer, safeUrl, sanitize } from '../../src/ui/assistant/markdown.ts';
import { loadMathFonts } from '../../src/ui/assistant/math-fonts.ts';

/** Parse the output the way the page will, and report what it contains. */
function dom(html: string): HTMLElement {
  const div = document.createElement('div');
  div.innerHTML = html;
  return div;
}

function activeBits(root: HTMLElement): string[] {
  const found: string[] = [];
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (['script', 'img', 'iframe', 'style', 'object', 'embed', 'form', 'input', 'svg'].includes(el.localName) && !el.closest('.katex'))
      found.push(el.localName);
    for (const a of Array.from(el.attributes)) {
      if (a.name.startsWith('on')) found.push(`${el.localName}[${a.name}]`);
      if ((a.name === 'href' || a.name === 'src') && !/^https?:/.test(a.value)) found.push(`${el.localName}[${a.name}=${a.value}]`);
    }
  }
  return found;
}

describe('renderAnswer', () => {
  it('renders Markdown: emphasis, lists, code', () => {
    const root = dom(renderAnswer('The **ratio** $t$:\n\n- one\n- two\n\n```js\nconst x = 1 < 2;\n```'));
    expect(root.querySelector('strong')?.textContent).toBe('ratio');
    expect(root.querySelectorAll('li')).toHaveLength(2);
    expect(root.querySelector('pre code')?.textContent).toBe('const x = 1 < 2;\n');
  });

  it('renders inline and display math with KaTeX, in both $ and \\( \\) forms', () => {
    const root = dom(renderAnswer('Mask with $q(x_t \\mid x_0)$ or \\(t\\).\n\n$$\n\\frac{1}{t}\n$$\n\n\\[ \\mathbb{E}[N] = Lt \\]'));
    expect(root.querySelectorAll('.katex').length).toBe(4);
    expect(root.querySelectorAll('.math-display').length).toBe(2);
    expect(root.querySelector('annotation')?.textContent).toContain('q(x_t \\mid x_0)');
  });

  it('leaves prices alone: "$5 and $10" is not math', () => {
    const root = dom(renderAnswer('It costs $5 and $10.'));
    expect(root.querySelector('.katex')).toBeNull();
    expect(root.textContent).toContain('$5 and $10');
  });

  it('shows raw HTML from the model as text, never as elements', () => {
    const attack =
      'Look: <img src=x onerror="window.pwned=1"> and <script>window.pwned=2</script>\n\n<div onclick="x()">block</div>\n\n<iframe src="https://evil.example"></iframe>';
    const html = renderAnswer(attack);
    const root = dom(html);
    expect(activeBits(root)).toEqual([]);
    expect(root.querySelector('img, script, iframe, div')).toBeNull();
    // The learner sees what the model wrote.
    expect(root.textContent).toContain('<img src=x onerror="window.pwned=1">');
    expect(root.textContent).toContain('<script>window.pwned=2</script>');
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('keeps http(s) links, opening in a new tab, and drops every other scheme', () => {
    const root = dom(
      renderAnswer(
        '[paper](https://arxiv.org/abs/2406.07524) [bad](javascript:alert(1)) [data](data:text/html,hi) [rel](/etc) <https://example.org/x>',
      ),
    );
    const links = Array.from(root.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://arxiv.org/abs/2406.07524', 'https://example.org/x']);
    for (const a of links) expect(a.getAttribute('rel')).toBe('noopener noreferrer nofollow');
    expect(root.textContent).toContain('bad'); // the text stays, without the link
    expect(activeBits(root)).toEqual([]);
  });

  it('never loads an image: it becomes a link labelled with its description', () => {
    const root = dom(renderAnswer('![a chart](https://tracker.example/p.png?q=secret) ![x](javascript:alert(1))'));
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('a')?.textContent).toBe('[image: a chart]');
    expect(root.textContent).toContain('[image: x]');
    expect(activeBits(root)).toEqual([]);
  });

  it('refuses KaTeX commands that could make links or HTML', () => {
    const root = dom(renderAnswer('$\\href{javascript:alert(1)}{click}$ and $\\htmlId{x}{y}$'));
    expect(root.querySelector('a')).toBeNull();
    expect(root.querySelector('#x')).toBeNull();
    expect(activeBits(root)).toEqual([]);
  });
});

describe('the sanitizer behind the renderer', () => {
  it('strips active elements, event handlers and non-http(s) URLs from any HTML', () => {
    const root = dom(
      sanitize(
        '<p onclick="x()">p</p><img src=x onerror=alert(1)><a href="javascript:x()">a</a><a href="https://ok.example/">ok</a><svg><foreignObject><b>x</b></foreignObject></svg><math><a xlink:href="javascript:x">m</a></math><style>*{}</style>',
      ),
    );
    expect(root.querySelector('p')?.getAttribute('onclick')).toBeNull();
    expect(root.querySelector('img, style, foreignObject')).toBeNull();
    expect(Array.from(root.querySelectorAll('a[href]')).map((a) => a.getAttribute('href'))).toEqual(['https://ok.example/']);
    expect(activeBits(root).filter((b) => b !== 'svg')).toEqual([]);
  });
});

describe('safeUrl', () => {
  it('accepts absolute http(s) only', () => {
    expect(safeUrl('https://a.example/b?c=d')).toBe('https://a.example/b?c=d');
    expect(safeUrl(' http://a.example ')).toBe('http://a.example/');
    for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,x', 'vbscript:x', '/relative', '//evil.example', 'mailto:a@b'])
      expect(safeUrl(bad), bad).toBeNull();
  });
});

describe('loadMathFonts', () => {
  it('starts loading every KaTeX face not loaded yet, and only those; a failed load is left to the fallback', async () => {
    const face = (family: string, status: FontFaceLoadStatus, fails = false) => {
      const f = { family, status, load: vi.fn(() => (fails ? Promise.reject(new Error('offline')) : Promise.resolve(f))) };
      return f;
    };
    const faces = [
      face('KaTeX_AMS', 'unloaded'),
      face('"KaTeX_Size2"', 'unloaded', true),
      face('KaTeX_Main', 'loaded'),
      face('system-ui', 'unloaded'),
    ];
    loadMathFonts({ forEach: (cb: (f: FontFace) => void) => faces.forEach((f) => cb(f as unknown as FontFace)) } as unknown as FontFaceSet);
    await Promise.resolve();
    expect(faces.map((f) => f.load.mock.calls.length)).toEqual([1, 1, 0, 0]);
    expect(() => loadMathFonts(undefined)).not.toThrow();
  });
});
