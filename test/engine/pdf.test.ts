/** PDF converter foundation: text layer, pages, limits, passwords, damage, OCR fallback. Fixtures are built by code. */
import { convert } from '../../shared/engine/engine.ts';
import { ConversionError } from '../../shared/engine/errors.ts';
import type { Ocr, OcrPage } from '../../shared/service/ports.ts';
import {
  buildPdf,
  buildPdfWithLines,
  encryptedPdf,
  millionPagePdf,
  paragraphLines,
  plainTwoParagraphs,
} from '../fixtures/pdf.ts';

async function failure(p: Promise<unknown>): Promise<ConversionError> {
  try {
    await p;
  } catch (error) {
    expect(error).toBeInstanceOf(ConversionError);
    return error as ConversionError;
  }
  throw new Error('expected the conversion to fail');
}

function fakeOcr(text: string) {
  const seen: Uint8Array[] = [];
  const ocr: Ocr = {
    async recognize(image: Uint8Array): Promise<OcrPage> {
      seen.push(image);
      return { text, lines: [], confidence: 90, width: 0, height: 0 };
    },
  };
  return { ocr, seen };
}

describe('pdf converter', () => {
  test('two paragraphs on one page become two paragraphs', async () => {
    const result = await convert(await plainTwoParagraphs());
    expect(result.format).toBe('pdf');
    expect(result.pageCount).toBe(1);
    expect(result.markdown).toContain(
      'The first paragraph starts here and it runs across two lines of ordinary body text.',
    );
    expect(result.markdown).toContain('A second paragraph follows after a blank gap and ends the page.');
    const paragraphs = result.markdown.trim().split(/\n\s*\n/);
    expect(paragraphs).toHaveLength(2);
  });

  test('spaces are restored between separately drawn words', async () => {
    const pdf = await buildPdf([
      [
        { text: 'Separate', x: 72, y: 100 },
        { text: 'words', x: 72 + 50, y: 100 },
        { text: 'here', x: 72 + 85, y: 100 },
      ],
    ]);
    const result = await convert(pdf);
    expect(result.markdown.trim()).toBe('Separate words here');
  });

  test('every page is marked, and page separators follow the pages', async () => {
    const pdf = await buildPdf([
      [{ text: 'Alpha page text', x: 72, y: 100 }],
      [{ text: 'Beta page text', x: 72, y: 100 }],
      [{ text: 'Gamma page text', x: 72, y: 100 }],
    ]);
    const result = await convert(pdf, { pageSeparators: true });
    expect(result.pageCount).toBe(3);
    expect(result.pages?.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(result.pages?.[1].markdown).toContain('Beta page text');
    const md = result.markdown;
    expect(md.indexOf('Alpha')).toBeLessThan(md.indexOf('Beta'));
    expect(md.indexOf('Beta')).toBeLessThan(md.indexOf('Gamma'));
  });

  test('a page range converts only the pages asked for', async () => {
    const pdf = await buildPdf([1, 2, 3, 4].map((n) => [{ text: `Content of page number ${n}`, x: 72, y: 100 }]));
    const result = await convert(pdf, { pages: { first: 2, last: 3 } });
    expect(result.markdown).toContain('page number 2');
    expect(result.markdown).toContain('page number 3');
    expect(result.markdown).not.toContain('page number 1');
    expect(result.markdown).not.toContain('page number 4');
    expect(result.pageCount).toBe(4);
    expect((await failure(convert(pdf, { pages: { first: 7, last: 9 } }))).code).toBe('empty');
  });

  test('an encrypted PDF needs its password', async () => {
    const pdf = encryptedPdf('s3cret', 'Classified words');
    expect((await failure(convert(pdf))).code).toBe('encrypted');
    expect((await failure(convert(pdf, { password: 'wrong' }))).code).toBe('encrypted');
    const result = await convert(pdf, { password: 's3cret' });
    expect(result.markdown).toContain('Classified words');
  });

  test('a truncated PDF is corrupt', async () => {
    const pdf = await plainTwoParagraphs();
    const error = await failure(convert(pdf.slice(0, 400), { fileName: 'x.pdf' }));
    expect(error.code).toBe('corrupt');
  });

  test('a page tree claiming a million pages fails fast as too_large', async () => {
    const started = performance.now();
    const error = await failure(convert(millionPagePdf()));
    expect(error.code).toBe('too_large');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  test('the page cap comes from the limits', async () => {
    const pdf = await buildPdf([1, 2, 3].map((n) => [{ text: `Page ${n}`, x: 72, y: 100 }]));
    expect((await failure(convert(pdf, {}, { limits: { maxPages: 2 } }))).code).toBe('too_large');
  });

  test('a blank page warns needs_ocr with its page number', async () => {
    const pdf = await buildPdf([[{ text: 'Some real text on page one', x: 72, y: 100 }], []]);
    const result = await convert(pdf);
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'needs_ocr', page: 2 }));
    expect(result.warnings.some((w) => w.code === 'needs_ocr' && w.page === 1)).toBe(false);
    expect(result.ocrPages).toBeUndefined();
  });

  test('with an OCR engine a page without a text layer is rendered to PNG and recognized', async () => {
    // Page 2 has marks (drawn lines) but no text layer: a scan stands in for it.
    const marks = Array.from({ length: 12 }, (_, i) => ({
      x0: 72,
      y0: 100 + i * 20,
      x1: 72 + 30 * (i + 1),
      y1: 100 + i * 20,
    }));
    const pdf = await buildPdfWithLines([
      { text: [{ text: 'Typed text on the first page', x: 72, y: 100 }], lines: [] },
      { text: [], lines: marks },
    ]);
    const { ocr, seen } = fakeOcr('Recognized line one\ncontinues here\n\nSecond recognized paragraph');
    const result = await convert(pdf, {}, { ocr });
    expect(seen).toHaveLength(1);
    expect(Array.from(seen[0].slice(1, 4))).toEqual([0x50, 0x4e, 0x47]); // "PNG"
    expect(result.ocrPages).toEqual([2]);
    expect(result.markdown).toContain('Recognized line one continues here');
    expect(result.markdown).toContain('Second recognized paragraph');
    expect(result.markdown.indexOf('Typed text')).toBeLessThan(result.markdown.indexOf('Recognized'));
    // OCR ran on page 2: it is not reported as needing OCR.
    expect(result.warnings.map((w) => w.code)).not.toContain('needs_ocr');
  });

  test('with an OCR engine a blank page yields nothing: no OCR call, no text, no warning', async () => {
    const pdf = await buildPdf([[{ text: 'Typed text on the first page', x: 72, y: 100 }], []]);
    const { ocr, seen } = fakeOcr('text an OCR engine made up');
    const result = await convert(pdf, {}, { ocr });
    expect(seen).toHaveLength(0);
    expect(result.markdown).toBe('Typed text on the first page\n');
    expect(result.warnings).toEqual([]);
    expect(result.ocrPages).toBeUndefined();
  });

  test('hyphenated line ends are joined', async () => {
    const pdf = await buildPdf([
      paragraphLines(['The conversion keeps every hyphen-', 'ated word whole in the output.'], 72, 100),
    ]);
    const result = await convert(pdf);
    expect(result.markdown).toContain('every hyphenated word whole');
  });
});
