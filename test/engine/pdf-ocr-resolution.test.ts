/**
 * The resolution PDF pages are rendered at for OCR: from the text's sizes on a page whose fonts have no usable
 * Unicode mapping, from the scan's own resolution on a scanned page, between 150 and 300 dpi and within the
 * pixel budget. The engine tests read the size of the image the OCR engine is handed.
 */
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import {
  MAX_RENDER_PIXELS,
  dpiForText,
  renderScale,
  scanDpi,
  type ImageOpCodes,
} from '../../shared/engine/formats/pdf/ocr-resolution.ts';
import type { Ocr, OcrPage } from '../../shared/engine/ocr.ts';
import { glyphIdFontPdf } from '../fixtures/pdf.ts';

/** An OCR engine that records the pixel size of each image it is handed (from the PNG's IHDR chunk). */
function sizeRecordingOcr() {
  const sizes: [number, number][] = [];
  const ocr: Ocr = {
    async recognize(image: Uint8Array): Promise<OcrPage> {
      const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
      sizes.push([view.getUint32(16), view.getUint32(20)]);
      return { text: 'Scanned words', lines: [], confidence: 90, width: 0, height: 0 };
    },
  };
  return { ocr, sizes };
}

const chars = (n: number) => 'x'.repeat(n);

describe('dpi from the text sizes', () => {
  test('small text gets a 20 px x-height (x-height = half the em), within 150 to 300 dpi', () => {
    expect(dpiForText([{ size: 10, text: chars(100) }])).toBeCloseTo(288, 5);
    expect(dpiForText([{ size: 12, text: chars(100) }])).toBeCloseTo(240, 5);
    expect(dpiForText([{ size: 20, text: chars(100) }])).toBe(150);
    expect(dpiForText([{ size: 6, text: chars(100) }])).toBe(300);
  });

  test('the size 90% of the characters reach decides: a few tiny characters do not, many do', () => {
    expect(
      dpiForText([
        { size: 12, text: chars(95) },
        { size: 6, text: chars(5) },
      ]),
    ).toBeCloseTo(240, 5);
    expect(
      dpiForText([
        { size: 12, text: chars(80) },
        { size: 6, text: chars(20) },
      ]),
    ).toBe(300);
  });

  test('no text, no verdict', () => {
    expect(dpiForText([])).toBeUndefined();
    expect(dpiForText([{ size: 12, text: '   ' }])).toBeUndefined();
  });
});

describe('dpi from the scan', () => {
  const codes: ImageOpCodes = {
    save: 1,
    restore: 2,
    transform: 3,
    paintFormXObjectBegin: 4,
    paintFormXObjectEnd: 5,
    paintImageXObject: 6,
    paintInlineImageXObject: 7,
    paintImageMaskXObject: 8,
  };
  const identity = [1, 0, 0, 1, 0, 0];

  test('the largest image, as drawn, gives the pixels per inch', () => {
    const ops = {
      fnArray: [1, 3, 6, 2, 1, 3, 6, 2],
      argsArray: [
        null,
        [48, 0, 0, 48, 10, 10],
        ['logo', 600, 600], // a small logo at 900 dpi
        null,
        null,
        [240, 0, 0, 320, 0, 0],
        ['page', 800, 1066], // the scan: 800 px over 240 pt = 240 dpi
        null,
      ],
    };
    expect(scanDpi(ops, codes, identity)).toBeCloseTo(240, 0);
  });

  test('inline images and form transforms count; the result is clamped', () => {
    const ops = {
      fnArray: [4, 3, 7, 5],
      argsArray: [[[2, 0, 0, 2, 0, 0]], [300, 0, 0, 300, 0, 0], [{ width: 500, height: 500 }], null],
    };
    // 500 px over 600 pt (the form doubles the size): 60 dpi, raised to the 150 dpi floor.
    expect(scanDpi(ops, codes, identity)).toBe(150);
    expect(
      scanDpi(
        {
          fnArray: [3, 6],
          argsArray: [
            [72, 0, 0, 72, 0, 0],
            ['x', 1200, 1200],
          ],
        },
        codes,
        identity,
      ),
    ).toBe(300);
    expect(scanDpi({ fnArray: [], argsArray: [] }, codes, identity)).toBeUndefined();
  });
});

describe('render scale', () => {
  test('dpi / 72 pixels per point, shrunk to the pixel budget on a huge page', () => {
    expect(renderScale(612, 792, 300)).toBeCloseTo(300 / 72, 10);
    const s = renderScale(3000, 3000, 300);
    expect(3000 * s * 3000 * s).toBeLessThanOrEqual(MAX_RENDER_PIXELS * 1.0001);
    expect(3000 * s * 3000 * s).toBeGreaterThan(MAX_RENDER_PIXELS * 0.99);
  });
});

describe('pages rendered for OCR', () => {
  test('a page in a font without a Unicode mapping is rendered for its 12 pt text at 240 dpi', async () => {
    const { ocr, sizes } = sizeRecordingOcr();
    await convert(
      glyphIdFontPdf([{ text: 'Quarterly statement of cash held in bank accounts', x: 72, y: 100 }]),
      {},
      { ocr },
    );
    expect(sizes).toEqual([[2040, 2640]]); // 612 × 792 pt at 240/72
  }, 60_000);

  /** A one-page PDF of `pt` × `pt` points showing a `px` × `px` scan of some text over the whole page. */
  async function scanPdf(px: number, pt: number): Promise<Uint8Array> {
    const canvas = createCanvas(px, px);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, px, px);
    ctx.fillStyle = '#000000';
    ctx.font = `${Math.round(px / 12)}px sans-serif`;
    ctx.fillText('Scanned words', px / 10, px / 2);
    const doc = await PDFDocument.create();
    const page = doc.addPage([pt, pt]);
    const png = await doc.embedPng(await canvas.encode('png'));
    page.drawImage(png, { x: 0, y: 0, width: pt, height: pt });
    return doc.save();
  }

  test('a scanned page is rendered at its scan resolution, within 150 to 300 dpi', async () => {
    const at200 = sizeRecordingOcr();
    const md = (await convert(await scanPdf(500, 180), {}, { ocr: at200.ocr })).markdown; // 200 dpi
    expect(md).toContain('Scanned words');
    expect(at200.sizes).toEqual([[500, 500]]);
    const at400 = sizeRecordingOcr();
    await convert(await scanPdf(1000, 180), {}, { ocr: at400.ocr }); // 400 dpi → 300
    expect(at400.sizes).toEqual([[750, 750]]);
    const at100 = sizeRecordingOcr();
    await convert(await scanPdf(250, 180), {}, { ocr: at100.ocr }); // 100 dpi → 150
    expect(at100.sizes).toEqual([[375, 375]]);
  }, 60_000);
});
