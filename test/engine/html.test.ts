import { convert } from '../../shared/engine/engine.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import { htmlConverter, MAX_HTML_BYTES } from '../../shared/engine/formats/html/index.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const page = (body: string, head = '<meta charset="utf-8"><title>Test page</title>') =>
  `<!DOCTYPE html><html><head>${head}</head><body>${body}</body></html>`;
const md = async (html: string) => (await convert(enc(html), { fileName: 'x.html' })).markdown;

const PROSE =
  'This paragraph is the actual article text that a reader came for, long enough to count as prose. '.repeat(4);

describe('html converter: main content', () => {
  it('keeps <main> and drops navigation, page header/footer, sidebars and cookie banners', async () => {
    const out = await md(
      page(`
      <header><a href="/">Home</a> <a href="/about">About</a></header>
      <nav><ul><li><a href="/a">Menu item A</a></li></ul></nav>
      <div id="cookie-banner">We use cookies. Accept?</div>
      <main><h1>Article title</h1><p>${PROSE}</p></main>
      <aside>Sidebar promo</aside>
      <footer>Copyright footer</footer>`),
    );
    expect(out).toContain('# Article title');
    expect(out).toContain('actual article text');
    for (const noise of ['Menu item A', 'Sidebar promo', 'Copyright footer', 'We use cookies', 'About'])
      expect(out).not.toContain(noise);
  });

  it('keeps everything on a simple page with no main region, even a menu-like list', async () => {
    const out = await md(page('<ul role="menu"><li><a href="/x">Only link</a></li></ul><p>Short text.</p>'));
    expect(out).toContain('[Only link](/x)');
    expect(out).toContain('Short text.');
  });

  it('drops scripts, styles, templates, svg, form controls and hidden elements', async () => {
    const out = await md(
      page(`<p>Visible</p><script>var secret = 1;</script><style>p{}</style>
      <template><p>Template text</p></template><svg><text>Svg text</text></svg>
      <p hidden>Hidden attr</p><p aria-hidden="true">Aria hidden</p><p style="display: none">Display none</p>
      <button>Click me</button><select><option>Option text</option></select>`),
    );
    expect(out.trim()).toBe('Visible');
  });

  it('uses <title> as the document title', async () => {
    const result = await convert(enc(page('<p>Body</p>', '<title> My  Page </title>')), { fileName: 'x.html' });
    expect(result.title).toBe('My Page');
  });
});

describe('html converter: tables', () => {
  it('uses the first row as the header when there is no <thead> or <th>', async () => {
    const out = await md(page('<table><tr><td>Name</td><td>Age</td></tr><tr><td>Ann</td><td>31</td></tr></table>'));
    expect(out.trim().split('\n')).toEqual(['| Name | Age |', '| --- | --- |', '| Ann | 31 |']);
  });

  it('keeps paragraphs, breaks and lists inside a cell on one row', async () => {
    const out = await md(
      page(
        '<table><tr><th>A</th><th>B</th></tr><tr><td><p>one</p><p>two</p></td><td>x<br>y<ul><li>i1</li><li>i2</li></ul></td></tr></table>',
      ),
    );
    const rows = out.trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[2]).toBe('| one<br>two | x<br>y<br>• i1<br>• i2 |');
  });

  it('expands colspan and rowspan into the grid', async () => {
    const out = await md(
      page(`<table>
      <tr><th>H1</th><th colspan="2">H23</th></tr>
      <tr><td rowspan="2">R</td><td>a</td><td>b</td></tr>
      <tr><td>c</td><td>d</td></tr></table>`),
    );
    expect(out.trim().split('\n')).toEqual([
      '| H1 | H23 | H23 |',
      '| --- | --- | --- |',
      '| R | a | b |',
      '| R | c | d |',
    ]);
  });

  it('flattens a nested table into its cell', async () => {
    const out = await md(
      page(
        '<table><tr><th>Outer</th><th>B</th></tr><tr><td><table><tr><td>n1</td><td>n2</td></tr><tr><td>n3</td><td>n4</td></tr></table></td><td>z</td></tr></table>',
      ),
    );
    expect(out).toContain('| n1 n2<br>n3 n4 | z |');
  });
});

describe('html converter: blocks and inline', () => {
  it('writes <pre><code class="language-x"> as a fenced block with the language, dedented', async () => {
    const out = await md(page('<pre><code class="language-python">\n    def f():\n        return 1\n</code></pre>'));
    expect(out).toContain('```python\ndef f():\n    return 1\n```');
  });

  it('keeps nested lists and block content inside list items', async () => {
    const out = await md(
      page(
        '<ul><li>Top<ul><li>Inner one</li><li>Inner two</li></ul></li><li>Last</li></ul><ol><li><p>Para item</p><blockquote>Quoted</blockquote></li></ol>',
      ),
    );
    expect(out).toMatch(/^- Top\n {2}- Inner one\n {2}- Inner two\n- Last$/m);
    expect(out).toContain('> Quoted');
  });

  it('keeps relative links as written and drops javascript: links to their text', async () => {
    const out = await md(
      page(
        '<p><a href="../docs/a.html#s">Rel</a> and <a href="javascript:alert(1)">Bad</a> and <a href="https://x.org/">Abs</a></p>',
      ),
    );
    expect(out.trim()).toBe('[Rel](../docs/a.html#s) and Bad and [Abs](https://x.org/)');
  });

  it('reads role="heading" with aria-level as a heading, and definition lists as lists', async () => {
    const out = await md(
      page('<div role="heading" aria-level="3">Role heading</div><dl><dt>Term</dt><dd>Definition</dd></dl>'),
    );
    expect(out).toContain('### Role heading');
    expect(out).toMatch(/- Term/);
    expect(out).toContain('Definition');
  });

  it('keeps image alt text, sup/sub as text, entities and collapses whitespace', async () => {
    const out = await md(
      page('<p>H<sub>2</sub>O   and   x<sup>2</sup> &amp; caf&eacute;\n\n  <img src="pic.png" alt="A  duck"></p>'),
    );
    expect(out.trim()).toBe('H2O and x2 & café ![A duck](pic.png)');
  });

  it('does not break a word around a bold run that starts with a space', async () => {
    const out = await md(page('<p>Microsoft is<strong> an American company</strong> in Redmond</p>'));
    expect(out.trim()).toBe('Microsoft is **an American company** in Redmond');
  });
});

describe('html converter: decoding and limits', () => {
  it('honours <meta charset> for legacy encodings', async () => {
    const bytes = new Uint8Array([
      ...enc('<html><head><meta charset="windows-1252"></head><body><p>caf'),
      0xe9,
      ...enc('</p></body></html>'),
    ]);
    expect(await md(new TextDecoder('latin1').decode(bytes))).toBeDefined();
    const result = await convert(bytes, { fileName: 'x.html' });
    expect(result.markdown.trim()).toBe('café');
  });

  it('refuses documents over the size cap with too_large', async () => {
    const big = new Uint8Array(MAX_HTML_BYTES + 1).fill(0x20);
    const ctx = { options: {}, limits: DEFAULT_LIMITS, warn: () => {} };
    await expect(
      htmlConverter.convert({ bytes: big, detected: { format: 'html', mediaType: 'text/html' } }, ctx),
    ).rejects.toMatchObject({ code: 'too_large' });
    await expect(
      htmlConverter.convert({ bytes: big, detected: { format: 'html', mediaType: 'text/html' } }, ctx),
    ).rejects.toBeInstanceOf(ConversionError);
  });

  it('stays fast on pathological markup (deeply unclosed tags, huge attribute runs)', async () => {
    const hostile = '<div>'.repeat(3000) + '<p a="' + 'x'.repeat(200_000) + '">' + 'text '.repeat(20_000);
    const started = performance.now();
    await convert(enc(hostile), { fileName: 'x.html' }).catch(() => undefined);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});

describe('html notes and figures', () => {
  const toMarkdown = async (html: string) =>
    (
      await convert(new TextEncoder().encode(`<!doctype html><html><body>${html}</body></html>`), {
        fileName: 'a.html',
      })
    ).markdown;

  it('turns pandoc-style footnotes into Markdown footnotes and drops the notes section and back links', async () => {
    const markdown = await toMarkdown(
      '<p>Claim<a href="#fn1" class="footnote-ref" id="fnref1" role="doc-noteref"><sup>1</sup></a> here.</p>' +
        '<section class="footnotes" role="doc-endnotes"><hr /><ol>' +
        '<li id="fn1"><p>The source. <a href="#fnref1" class="footnote-back" role="doc-backlink">↩︎</a></p></li>' +
        '</ol></section>',
    );
    expect(markdown).toBe('Claim[^1] here.\n\n[^1]: The source.\n');
  });

  it('reads markdown-it and kramdown footnote markup', async () => {
    const markdownIt = await toMarkdown(
      '<p>One<sup class="footnote-ref"><a href="#fn1" id="fnref1">[1]</a></sup>.</p>' +
        '<hr class="footnotes-sep"><section class="footnotes"><ol class="footnotes-list">' +
        '<li id="fn1" class="footnote-item"><p>Note one. <a href="#fnref1" class="footnote-backref">↩︎</a></p></li></ol></section>',
    );
    expect(markdownIt).toContain('One[^1].');
    expect(markdownIt).toContain('[^1]: Note one.');
    const kramdown = await toMarkdown(
      '<p>Two<sup id="fnref:a"><a href="#fn:a" class="footnote">1</a></sup>.</p>' +
        '<div class="footnotes"><ol><li id="fn:a"><p>Note two. <a href="#fnref:a" class="reversefootnote">&#8617;</a></p></li></ol></div>',
    );
    expect(kramdown).toBe('Two[^1].\n\n[^1]: Note two.\n');
  });

  it('leaves Wikipedia-style citation links and unreferenced asides as they are', async () => {
    const markdown = await toMarkdown(
      '<p>Fact.<sup class="reference"><a href="#cite_note-1">[1]</a></sup></p>' +
        '<ol class="references"><li id="cite_note-1"><span class="reference-text">A book.</span></li></ol>' +
        '<aside epub:type="footnote" id="lonely"><p>Nobody points here.</p></aside>',
    );
    expect(markdown).toContain('Fact.[\\[1\\]](#cite_note-1)');
    expect(markdown).toContain('A book.');
    expect(markdown).not.toContain('[^');
  });

  it('does not take unmarked marker links for notes on web pages', async () => {
    const markdown = await toMarkdown('<p>See<sup><a href="#fn1">1</a></sup>.</p><p id="fn1">Plain paragraph.</p>');
    expect(markdown).not.toContain('[^');
    expect(markdown).toContain('Plain paragraph.');
  });

  it('keeps a figure caption next to its image, in order, as an emphasised paragraph', async () => {
    const markdown = await toMarkdown(
      '<p>Before.</p><figure><img src="a.png" alt="Chart"><figcaption><p>Sales by <em>year</em>.</p></figcaption></figure>' +
        '<figure><figcaption>Listing 1</figcaption><pre><code>x = 1</code></pre></figure><p>After.</p>',
    );
    expect(markdown).toBe(
      'Before.\n\n![Chart](a.png)\n\n*Sales by *year*.*\n\n*Listing 1*\n\n```\nx = 1\n```\n\nAfter.\n',
    );
  });

  it('references one note twice with one number', async () => {
    const markdown = await toMarkdown(
      '<p>A<a role="doc-noteref" href="#n">*</a> B<a role="doc-noteref" href="#n">*</a></p><aside role="doc-footnote" id="n">Shared.</aside>',
    );
    expect(markdown).toBe('A[^1] B[^1]\n\n[^1]: Shared.\n');
  });
});

describe('html converter: over-deep nesting and text outside the main container', () => {
  const nested = (depth: number, inner: string) => '<div>'.repeat(depth) + inner + '</div>'.repeat(depth);

  it.each([600, 2000, 3000])('keeps the text of %i nested <div>s, flattened with a counted warning', async (depth) => {
    const result = await convert(enc(page(nested(depth, '<p>deep one</p><p>deep two</p>') + '<p>tail</p>')), {
      fileName: 'x.html',
    });
    const out = result.markdown;
    expect(out).toContain('deep one');
    expect(out).toContain('deep two');
    expect(out.indexOf('deep one')).toBeLessThan(out.indexOf('deep two'));
    expect(out.indexOf('deep two')).toBeLessThan(out.indexOf('tail'));
    const warning = result.warnings.find((w) => w.code === 'unsupported_content');
    expect(warning?.message).toMatch(/^\d+ HTML elements nested deeper than 512 levels were flattened/);
    // Everything below level 512 (html and body count) is flattened: the divs and the two paragraphs.
    expect(Number(warning!.message.split(' ')[0])).toBe(depth + 2 + 2 - 512);
  });

  it('flattens in time linear in the depth: 20,000 nested elements cost about ten times 2,000', async () => {
    const timed = async (depth: number) => {
      const started = performance.now();
      const result = await convert(enc(page(nested(depth, '<p>deep</p>'))), { fileName: 'x.html' });
      expect(result.markdown).toContain('deep');
      return performance.now() - started;
    };
    await timed(2000); // warm-up
    const small = await timed(2000);
    const large = await timed(20_000);
    // Quadratic (one line break per removed element: a minifier look-ahead over every run) took 100x; linear ~10x.
    expect(large).toBeLessThan(small * 30 + 1000);
  });

  it.each([
    ['a table', '<table><tr><td>'],
    ['a list', '<ul><li>'],
    ['a definition list', '<dl><dd>'],
  ])('keeps text flattened into %s (which holds text only in its cells or items)', async (_name, container) => {
    // Whatever wraps the page, one of these depths puts the container exactly at level 512, where it is
    // flattened: its leaves must go into a cell or item to be kept.
    for (let divs = 500; divs <= 515; divs++) {
      const html = '<div>'.repeat(divs) + container + '<div>'.repeat(20) + '<p>kept words</p>';
      const { markdown, warnings } = await convert(enc(page(html)), { fileName: 'x.html' });
      expect([divs, markdown.includes('kept words')]).toEqual([divs, true]);
      expect(warnings.map((w) => w.code)).toContain('unsupported_content');
    }
  });

  it('leaves ordinary nesting alone, without a warning', async () => {
    const result = await convert(enc(page(nested(100, '<p>deep <b>bold</b></p>'))), { fileName: 'x.html' });
    expect(result.markdown).toContain('deep **bold**');
    expect(result.warnings).toEqual([]);
  });

  it.each([1, 1000, 3000])(
    'does not drop prose outside one huge paragraph as page chrome (nesting %i)',
    async (depth) => {
      const html = nested(depth, 'deep') + '<p>' + 'x '.repeat(500_000) + '</p>';
      const out = (await convert(enc(html), { fileName: 'x.html' })).markdown;
      expect(out).toContain('deep');
      expect(out.length).toBeGreaterThan(1_000_000);
    },
  );

  it('still drops link-only chrome around a dense container', async () => {
    const links = Array.from({ length: 8 }, (_, i) => `<a href="/p${i}">Menu entry ${i}</a>`).join(' ');
    const out = await md(page(`<div>${links}</div><div class="content"><p>${PROSE}</p><p>${PROSE}</p></div>`));
    expect(out).toContain('actual article text');
    expect(out).not.toContain('Menu entry');
  });
});
