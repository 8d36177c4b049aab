/**
 * The per-page completeness check on images (issue 11): every image page carries its figures (OCR text as the
 * source), furniture removed from OCR'd pages is listed, a multi-page TIFF is read and reported page by page,
 * and a page whose OCR text does not all reach the Markdown gets `content_dropped` naming it. Images are
 * rendered here with @napi-rs/canvas and read by the real tesseract; fake OCR pins geometry a real engine
 * cannot be made to produce on purpose (two readings of one line at one place).
 */
import { createCanvas } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';
import { grayFromRgba } from '../../shared/engine/formats/image/bitmap.ts';
import { tiffPages } from '../../shared/engine/formats/image/tiff-pages.ts';
import type { Ocr, OcrLine, OcrPage } from '../../shared/service/ports.ts';
import { buildTiff, type GrayPage } from '../fixtures/tiff.ts';
import { pngHeader } from '../fixtures/image-headers.ts';

const letters = (s: string) => s.replace(/[^\p{L}\p{N}]/gu, '').length;

/** An OCR line of words 8.4 px per character, 14 px of ink above the baseline `y`. */
function line(text: string, x0: number, y: number): OcrLine {
  let x = x0;
  const words = text.split(' ').map((w) => {
    const bbox = { x0: x, y0: y - 14, x1: x + w.length * 8.4, y1: y };
    x += (w.length + 1) * 8.4;
    return { text: w, confidence: 95, bbox };
  });
  return { text, confidence: 95, words, bbox: { x0, y0: y - 14, x1: x - 8.4, y1: y } };
}

/** Answers the n-th call with the n-th page of lines (pages are read in order), on a 600 × 800 px page. */
function pagedOcr(pages: OcrLine[][]): Ocr & { calls: number } {
  const ocr = {
    calls: 0,
    async recognize(): Promise<OcrPage> {
      const lines = pages[ocr.calls++] ?? [];
      return { text: lines.map((l) => l.text).join('\n'), lines, confidence: 95, width: 600, height: 800 };
    },
  };
  return ocr;
}

const BODY = [
  'The committee met on the fourth of March to review the budget',
  'for the coming year and approved the plan for new equipment.',
  'It asked for a report on staffing by May and agreed that the',
  'library will open on Saturdays from the first of June onwards.',
];

/** Fourteen body lines from the baseline y0, 28 px apart, each ending in `tag` so pages differ. */
const body = (y0: number, tag: string) =>
  Array.from({ length: 14 }, (_, i) => line(`${BODY[i % 4]} ${tag}${i + 1}`, 50, y0 + i * 28));

/** A tiny blank TIFF page: the fake OCR never looks at the pixels. */
const blankPage = (): GrayPage => ({ width: 4, height: 4, data: new Uint8Array(16).fill(255) });

describe('TIFF pages', () => {
  it.each([true, false])('splits a three-page TIFF into single-page TIFFs (little endian: %s)', (little) => {
    const pages = [1, 2, 3].map((v) => ({ width: 2, height: 1, data: new Uint8Array([v, v]) }));
    const tiff = buildTiff(pages, little);
    const split = tiffPages(tiff);
    expect(split).toHaveLength(3);
    split.forEach((bytes, i) => {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const ifd = view.getUint32(4, little);
      const entries = view.getUint16(ifd, little);
      expect(view.getUint32(ifd + 2 + entries * 12, little)).toBe(0); // the chain ends at this page
      // StripOffsets (the sixth entry) still points at this page's own pixels.
      const strip = view.getUint32(ifd + 2 + 5 * 12 + 8, little);
      expect([...bytes.slice(strip, strip + 2)]).toEqual([i + 1, i + 1]);
    });
  });

  it('leaves a one-page TIFF, a non-TIFF and a looping chain as one page', () => {
    const one = buildTiff([blankPage()]);
    expect(tiffPages(one)).toEqual([one]);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(tiffPages(png)).toEqual([png]);
    const loop = buildTiff([blankPage()]);
    new DataView(loop.buffer).setUint32(8 + 2 + 9 * 12, 8, true); // the first IFD names itself as next
    expect(tiffPages(loop)).toEqual([loop]);
  });

  it('stops at the page limit plus one, so the caller can refuse the file', async () => {
    const tiff = buildTiff([blankPage(), blankPage(), blankPage()]);
    expect(tiffPages(tiff, 1)).toHaveLength(2);
    await expect(convert(tiff, {}, { ocr: pagedOcr([]), limits: { maxPages: 2 } })).rejects.toMatchObject({
      code: 'too_large',
    });
  });
});

describe('completeness figures of OCR pages (fake OCR)', () => {
  it('a multi-page TIFF is reported per page, its running head and page numbers listed as furniture', async () => {
    const pages = [1, 2, 3].map((n) => [
      line('Annual Report of the Library Committee', 50, 30),
      ...body(120, `p${n}x`),
      line(`Page ${n}`, 280, 780),
    ]);
    const tiff = buildTiff([blankPage(), blankPage(), blankPage()]);
    const result = await convert(tiff, {}, { ocr: pagedOcr(pages) });
    expect(result.pageCount).toBe(3);
    expect(result.ocrPages).toEqual([1, 2, 3]);
    expect(result.pages?.map((p) => p.page)).toEqual([1, 2, 3]);
    expect(result.markdown).not.toContain('Annual Report');
    for (const p of result.pages!) {
      expect(p.markdown).toContain(`p${p.page}x14`);
      const source = pages[p.page - 1].map((l) => l.text).join(' ');
      expect(p.completeness).toEqual({
        textLayerChars: letters(source),
        outputChars: letters(p.markdown),
        furnitureChars: letters(`Annual Report of the Library Committee Page ${p.page}`),
        furnitureLines: expect.arrayContaining(['Annual Report of the Library Committee', `Page ${p.page}`]),
        missingChars: 0,
        repeatedShare: 0,
      });
    }
    expect(result.warnings.filter((w) => w.code.startsWith('content_'))).toEqual([]);
  });

  it('a page whose OCR text does not all reach the Markdown gets content_dropped naming it', async () => {
    // Two readings of the same lines at the same place: the layout keeps one copy (as for overprinted text),
    // so the second copy's characters are missing from page 2's Markdown and the loss is reported, not silent.
    const twice = [...body(120, 'b'), ...body(120, 'b')];
    const tiff = buildTiff([blankPage(), blankPage()]);
    const result = await convert(tiff, {}, { ocr: pagedOcr([body(120, 'a'), twice]) });
    const second = result.pages![1].completeness!;
    expect(second.textLayerChars).toBe(
      2 *
        letters(
          body(120, 'b')
            .map((l) => l.text)
            .join(' '),
        ),
    );
    expect(second.missingChars).toBe(second.textLayerChars / 2);
    expect(result.pages![0].completeness!.missingChars).toBe(0);
    const dropped = result.warnings.filter((w) => w.code === 'content_dropped');
    expect(dropped).toEqual([expect.objectContaining({ page: 2 })]);
  });

  it('a photo-like image (not page-shaped) keeps the lines at its edges: nothing listed as furniture', async () => {
    const png = pngHeader(800, 300);
    const lines = [line('Welcome to the museum', 50, 30), line('Open daily from nine to five', 50, 60)];
    const ocr: Ocr = {
      recognize: async () => ({ text: '', lines, confidence: 95, width: 800, height: 300 }),
    };
    const result = await convert(png, {}, { ocr });
    expect(result.pages).toHaveLength(1);
    expect(result.pages![0].completeness).toMatchObject({ furnitureLines: [], missingChars: 0 });
    expect(result.pages![0].completeness!.textLayerChars).toBe(letters(lines.map((l) => l.text).join(' ')));
  });
});

describe('rendered images through the real tesseract adapter', () => {
  const ocr = createTesseractOcr({ workers: 1 });
  afterAll(async () => {
    await ocr.close?.();
  });

  /** Lines of 40 px sans-serif text on a white 1200 px wide canvas; RGBA, for PNG encoding or grey TIFF pages. */
  function render(text: string[]) {
    const canvas = createCanvas(1200, 120 + text.length * 80);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000000';
    ctx.font = '40px sans-serif';
    text.forEach((t, i) => ctx.fillText(t, 60, 100 + i * 80));
    return canvas;
  }

  const gray = (text: string[]): GrayPage => {
    const canvas = render(text);
    const rgba = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const g = grayFromRgba(rgba, canvas.width, canvas.height);
    return { width: g.width, height: g.height, data: g.data };
  };

  const PAGE_ONE = ['Quarterly sales rose by twelve percent', 'while costs stayed level in every region'];
  const PAGE_TWO = ['The board will meet again in October', 'to decide on the new warehouse lease'];

  it('a PNG carries its one page with the OCR text as the source, all of it in the Markdown', async () => {
    const png = new Uint8Array(await render(PAGE_ONE).encode('png'));
    const result = await convert(png, {}, { ocr });
    expect(result.markdown).toContain('Quarterly sales rose');
    expect(result.pages).toEqual([{ page: 1, markdown: result.markdown, completeness: expect.any(Object) }]);
    const figures = result.pages![0].completeness!;
    // The source is what OCR read: about the rendered text's letters (a misread letter is still a letter).
    expect(Math.abs(figures.textLayerChars - letters(PAGE_ONE.join(' ')))).toBeLessThanOrEqual(3);
    expect(figures).toMatchObject({ outputChars: figures.textLayerChars, missingChars: 0, repeatedShare: 0 });
    expect(result.warnings.filter((w) => w.code.startsWith('content_'))).toEqual([]);
  }, 180_000);

  it('a two-page TIFF is read page by page, each page with its own text and figures', async () => {
    const tiff = buildTiff([gray(PAGE_ONE), gray(PAGE_TWO)]);
    const result = await convert(tiff, {}, { ocr });
    expect(result.pageCount).toBe(2);
    expect(result.ocrPages).toEqual([1, 2]);
    expect(result.pages?.map((p) => p.page)).toEqual([1, 2]);
    expect(result.pages![0].markdown).toContain('Quarterly sales');
    expect(result.pages![0].markdown).not.toContain('warehouse');
    expect(result.pages![1].markdown).toContain('warehouse lease');
    for (const p of result.pages!) {
      expect(p.completeness!.textLayerChars).toBeGreaterThan(50);
      expect(p.completeness!.missingChars).toBe(0);
    }
  }, 180_000);
});
