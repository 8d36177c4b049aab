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
