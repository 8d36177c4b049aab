import { convert } from '../../shared/engine/engine.ts';
import { buildEpub } from '../fixtures/epub.ts';
import { buildZip } from '../fixtures/zip-writer.ts';

const chapters = [
  { file: 'ch1.xhtml', body: '<h1>Chapter One</h1><p>First chapter text.</p>', tocTitle: 'One' },
  {
    file: 'ch2.xhtml',
    body: '<h1>Chapter Two</h1><p>Second chapter text with <a id="p5"/>an anchor and <img src="images/fig%201.png" alt="A figure"/>.</p>',
    tocTitle: 'Two',
  },
  { file: 'ch3.xhtml', body: '<p>Untitled chapter body.</p>', tocTitle: 'The Third' },
];

describe('epub converter', () => {
  it('follows the spine order, not the order of files in the archive', async () => {
    const bytes = buildEpub({
      chapters,
      spineOrder: ['ch2.xhtml', 'ch1.xhtml', 'ch3.xhtml'],
      fileOrder: ['ch3.xhtml', 'ch1.xhtml', 'ch2.xhtml'],
    });
    const { markdown } = await convert(bytes, { fileName: 'book.epub' });
    const two = markdown.indexOf('Chapter Two');
    const one = markdown.indexOf('Chapter One');
    const three = markdown.indexOf('Untitled chapter body');
    expect(two).toBeGreaterThanOrEqual(0);
    expect(two).toBeLessThan(one);
    expect(one).toBeLessThan(three);
  });

  it('reads a chapter the spine lists many times once, with a warning (a tiny book must not amplify)', async () => {
    // Duplicate itemrefs are invalid (epubcheck OPF-034); read as listed, 2 KB of spine would convert one
    // chapter thousands of times, turning a few KB into minutes of work and megabytes of repeated Markdown.
    const bytes = buildEpub({
      chapters,
      spineOrder: Array.from({ length: 3000 }, () => ['ch1.xhtml', 'ch2.xhtml']).flat(),
    });
    const { markdown, warnings } = await convert(bytes, { fileName: 'book.epub' });
    expect(markdown.split('Chapter One').length - 1).toBe(1);
    expect(markdown.split('Chapter Two').length - 1).toBe(1);
    expect(markdown.indexOf('Chapter One')).toBeLessThan(markdown.indexOf('Chapter Two'));
    expect(warnings).toContainEqual({
      code: 'unsupported_content',
      message: expect.stringMatching(
        /EPUB spine lists a document it already lists 5998 more times; each was read once/,
      ),
    });
  });

  it('keeps chapter headings, names headingless chapters from the TOC, and skips the nav document', async () => {
    const { markdown } = await convert(buildEpub({ chapters }), { fileName: 'book.epub' });
    expect(markdown).toContain('# Chapter One');
    expect(markdown).toContain('# Chapter Two');
    expect(markdown).toContain('## The Third\n\nUntitled chapter body.');
    // The nav document's list of links is not content.
    expect(markdown).not.toMatch(/\[One\]\(ch1\.xhtml\)/);
  });

  it('reads XHTML shorthand correctly and writes images as file-name placeholders', async () => {
    const { markdown } = await convert(buildEpub({ chapters }), { fileName: 'book.epub' });
    // `<a id="p5"/>` must not turn the rest of the paragraph into a link.
    expect(markdown).toContain(
      'Second chapter text with an anchor and ![A figure](fig 1.png).'.replace('fig 1.png', '<fig 1.png>'),
    );
  });

  it('takes the title and authors from the OPF metadata', async () => {
    const result = await convert(
      buildEpub({
        title: 'The Book Title',
        creators: ['Ada Lovelace', 'Alan Turing'],
        description: 'About things.',
        chapters,
      }),
      { fileName: 'book.epub' },
    );
    expect(result.title).toBe('The Book Title');
    expect(result.markdown).toContain('Authors: Ada Lovelace, Alan Turing');
    expect(result.markdown).toContain('About things.');
  });

  it('warns about a missing chapter and converts the rest', async () => {
    const bytes = buildEpub({ chapters, fileOrder: ['ch1.xhtml', 'ch3.xhtml'] });
    const result = await convert(bytes, { fileName: 'book.epub' });
    expect(result.markdown).toContain('Chapter One');
    expect(result.warnings.some((w) => w.code === 'part_unreadable' && w.message.includes('ch2.xhtml'))).toBe(true);
  });

  it('refuses an EPUB without a container as corrupt', async () => {
    const bytes = buildZip([
      { name: 'mimetype', data: 'application/epub+zip', store: true },
      { name: 'x.xhtml', data: '<p>x</p>' },
    ]);
    await expect(convert(bytes, { fileName: 'book.epub' })).rejects.toMatchObject({
      code: expect.stringMatching(/corrupt|unsupported_format/),
    });
  });
});

describe('epub notes, figures and navigation', () => {
  const convertBook = (spec: Parameters<typeof buildEpub>[0]) => convert(buildEpub(spec), { fileName: 'book.epub' });

  it('turns EPUB 3 noterefs and footnote asides into Markdown footnotes', async () => {
    const { markdown } = await convertBook({
      chapters: [
        {
          file: 'ch1.xhtml',
          body:
            '<h1>One</h1><p>A claim<a epub:type="noteref" href="#n1">1</a> and another<a epub:type="noteref" href="#n2">2</a>.</p>' +
            '<aside epub:type="footnote" id="n1"><p>First note.</p></aside>' +
            '<aside epub:type="footnote" id="n2"><p>Second note, <em>emphasised</em>.</p></aside>' +
            '<p>Closing paragraph.</p>',
        },
      ],
    });
    expect(markdown).toContain('A claim[^1] and another[^2].');
    expect(markdown).toContain('[^1]: First note.');
    expect(markdown).toContain('[^2]: Second note, *emphasised*.');
    // The notes left the running text: the closing paragraph follows the claim directly.
    expect(markdown).toMatch(/another\[\^2\]\.\n\nClosing paragraph\./);
  });

  it('reads endnotes from another chapter, numbers them in reading order and drops the back links', async () => {
    const { markdown } = await convertBook({
      chapters: [
        {
          file: 'ch1.xhtml',
          body: '<h1>One</h1><p>Early<a epub:type="noteref" id="r2" href="notes.xhtml#en2">b</a>.</p>',
        },
        {
          file: 'ch2.xhtml',
          body: '<h1>Two</h1><p>Later<a epub:type="noteref" id="r1" href="notes.xhtml#en1">a</a> and again<a epub:type="noteref" href="notes.xhtml#en2">b</a>.</p>',
        },
        {
          file: 'notes.xhtml',
          body:
            '<section epub:type="endnotes"><h1>Notes</h1><ol>' +
            '<li epub:type="endnote" id="en1"><p>Note A. <a href="ch2.xhtml#r1">↩</a></p></li>' +
            '<li epub:type="endnote" id="en2"><p>Note B. <a href="ch1.xhtml#r2">Back</a></p></li>' +
            '</ol></section>',
        },
      ],
    });
    expect(markdown).toContain('Early[^1].');
    expect(markdown).toContain('Later[^2] and again[^1].');
    expect(markdown).toMatch(/\[\^1\]: Note B\.\n/);
    expect(markdown).toMatch(/\[\^2\]: Note A\.\n/);
    expect(markdown).not.toContain('↩');
    expect(markdown).not.toContain('ch1.xhtml');
  });

  it('recognises unmarked <a href="#fn1"> notes (Gutenberg style) and keeps multi-paragraph notes whole', async () => {
    const { markdown } = await convertBook({
      chapters: [
        {
          file: 'ch1.xhtml',
          body:
            '<h1>One</h1><p>Text<a id="FNanchor_1" href="#Footnote_1" class="fnanchor">[1]</a> goes on.</p>' +
            '<p>See <a href="#sec2">2</a> for more.</p><h2 id="sec2">Section Two</h2><p>Body.</p>' +
            '<div class="footnote"><p><a id="Footnote_1" href="#FNanchor_1"><span class="label">[1]</span></a> The note.</p>' +
            '<p>Its second paragraph.</p></div>',
        },
      ],
    });
    expect(markdown).toContain('Text[^1] goes on.');
    expect(markdown).toContain('[^1]: The note.\n\n    Its second paragraph.');
    // A marker-like link to an ordinary section stays a link.
    expect(markdown).toContain('See [2](#sec2) for more.');
  });

  it('keeps figures with their captions, and tables and code as in HTML', async () => {
    const { markdown } = await convertBook({
      chapters: [
        {
          file: 'ch1.xhtml',
          body:
            '<h1>One</h1><figure><img src="img/map.png" alt="Map"/><figcaption>Figure 1. The <b>old</b> town.</figcaption></figure>' +
            '<table><tr><th>Year</th><th>Event</th></tr><tr><td>1850</td><td>Founded</td></tr></table>' +
            '<pre><code class="language-python">print("hi")</code></pre>',
        },
      ],
    });
    expect(markdown).toContain('![Map](map.png)\n\n*Figure 1. The **old** town.*');
    expect(markdown).toContain('| Year | Event |\n| --- | --- |\n| 1850 | Founded |');
    expect(markdown).toContain('```python\nprint("hi")\n```');
  });

  it('names headingless chapters from an EPUB 2 NCX', async () => {
    const { markdown } = await convertBook({
      version: 2,
      chapters: [
        { file: 'ch1.xhtml', body: '<p>First body.</p>', tocTitle: 'The Beginning' },
        { file: 'ch2.xhtml', body: '<p>Second body.</p>', tocTitle: 'The Middle' },
      ],
    });
    expect(markdown).toContain('## The Beginning\n\nFirst body.');
    expect(markdown).toContain('## The Middle\n\nSecond body.');
  });

  it('puts headings where nav fragments point inside a headingless chapter', async () => {
    const { markdown } = await convertBook({
      chapters: [
        {
          file: 'ch1.xhtml',
          body: '<div id="top"><p>Opening.</p></div><div id="s1"><p>Section one text.</p></div><div id="s2"><p>Section two text.</p></div>',
        },
      ],
      toc: [
        {
          href: 'ch1.xhtml',
          title: 'Part One',
          children: [
            { href: 'ch1.xhtml#s1', title: 'First Section' },
            { href: 'ch1.xhtml#s2', title: 'Second Section' },
          ],
        },
      ],
    });
    expect(markdown).toContain(
      '## Part One\n\nOpening.\n\n### First Section\n\nSection one text.\n\n### Second Section',
    );
  });
});
