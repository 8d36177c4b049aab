/**
 * Scanned PDF pages through OCR do not turn into pages of noise: a scan of a blank sheet (off-white paper, a
 * few specks) is not sent to OCR and yields nothing; a photo on a scanned page becomes an image placeholder
 * while the words an OCR engine "reads" in it (unsure, not word-like) are dropped and the caption under it is
 * kept. The OCR engine is a fake that answers in the rendered page's pixels: the page is rendered at its scan's
 * own resolution (`ocr-resolution.ts`), so the scan's pixels are the rendered pixels.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { PDFDocument } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import type { Ocr, OcrLine, OcrPage, OcrWord } from '../../shared/engine/ocr.ts';

/** A one-page PDF of `w` × `h` points showing a 2.5 px-per-point scan (180 dpi) drawn by `draw`. */
async function scannedPage(w: number, h: number, draw: (ctx: SKRSContext2D) => void, jpeg = false) {
  const canvas = createCanvas(w * 2.5, h * 2.5);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  draw(ctx);
  const doc = await PDFDocument.create();
  const page = doc.addPage([w, h]);
  const image = jpeg
    ? await doc.embedJpg(await canvas.encode('jpeg', 90))
    : await doc.embedPng(await canvas.encode('png'));
  page.drawImage(image, { x: 0, y: 0, width: w, height: h });
  return doc.save();
}

/** A photo stand-in: a gradient with seeded noise and soft shapes, no text. */
function drawPhoto(ctx: SKRSContext2D, x: number, y: number, w: number, h: number): void {
  const gradient = ctx.createLinearGradient(x, y, x + w, y + h);
  gradient.addColorStop(0, '#1d4e89');
  gradient.addColorStop(0.5, '#7fb069');
  gradient.addColorStop(1, '#e6aa68');
  ctx.fillStyle = gradient;
  ctx.fillRect(x, y, w, h);
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let i = 0; i < 4000; i++) {
    const v = Math.floor(random() * 255);
    ctx.fillStyle = `rgba(${v},${v},${v},0.5)`;
    ctx.fillRect(x + random() * w, y + random() * h, 2 + random() * 6, 2 + random() * 6);
  }
}

const word = (text: string, x0: number, y0: number, x1: number, y1: number, confidence: number): OcrWord => ({
  text,
  confidence,
  bbox: { x0, y0, x1, y1 },
});
const lineOf = (words: OcrWord[]): OcrLine => ({
  text: words.map((w) => w.text).join(' '),
  confidence: Math.min(...words.map((w) => w.confidence)),
  words,
  bbox: {
    x0: Math.min(...words.map((w) => w.bbox.x0)),
    y0: Math.min(...words.map((w) => w.bbox.y0)),
    x1: Math.max(...words.map((w) => w.bbox.x1)),
    y1: Math.max(...words.map((w) => w.bbox.y1)),
  },
});

/** Answers with `lines` on an image of the size it was handed, and counts its calls. */
function fakeOcr(lines: OcrLine[]) {
  const seen: [number, number][] = [];
  const ocr: Ocr = {
    async recognize(image: Uint8Array): Promise<OcrPage> {
      const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
      const size: [number, number] = [view.getUint32(16), view.getUint32(20)];
      seen.push(size);
      const text = lines.map((l) => l.text).join('\n');
      return { text, lines, confidence: 90, width: size[0], height: size[1] };
    },
  };
  return { ocr, seen };
}

describe('scanned PDF pages that hold no text', () => {
  test('a scan of a blank sheet is not sent to OCR and yields nothing, without a page warning', async () => {
    const pdf = await scannedPage(
      400,
      500,
      (ctx) => {
        ctx.fillStyle = '#f3efe6'; // off-white paper
        ctx.fillRect(0, 0, 1000, 1250);
        ctx.fillStyle = '#444444';
        ctx.fillRect(300, 400, 3, 2); // dust
        ctx.fillRect(700, 900, 2, 3);
      },
      true,
    );
    const { ocr, seen } = fakeOcr([lineOf([word('made', 100, 100, 180, 130, 90), word('up', 190, 100, 230, 130, 90)])]);
    const result = await convert(pdf, {}, { ocr });
    expect(seen).toHaveLength(0);
    expect(result.markdown).toBe('');
    expect(result.ocrPages).toBeUndefined();
    // Nothing was lost and OCR was there: no page warning (the document as a whole says it has no text).
    expect(result.warnings.filter((w) => w.page !== undefined)).toEqual([]);
  }, 60_000);

  test('a photo on a scanned page is an image placeholder, its noise words dropped, its caption kept', async () => {
    const pdf = await scannedPage(400, 300, (ctx) => {
      drawPhoto(ctx, 100, 60, 800, 440);
      ctx.fillStyle = '#000000';
      ctx.font = '40px sans-serif';
      ctx.fillText('Figure 1. The harbour at dawn', 100, 600);
    });
    // What OCR engines make of a photo: unsure strings of symbols and stray letters, scattered over it.
    const noise = [
      lineOf([
        word('~%', 150, 100, 190, 130, 12),
        word('Il|', 230, 100, 260, 130, 18),
        word('=ee', 300, 100, 350, 130, 9),
      ]),
      lineOf([word('ai', 420, 260, 450, 290, 22), word('";', 500, 260, 520, 290, 8)]),
      lineOf([word('Wi~', 600, 400, 660, 430, 15), word('ot', 700, 400, 730, 430, 25)]),
    ];
    const caption = lineOf(
      ['Figure', '1.', 'The', 'harbour', 'at', 'dawn'].map((t, i, all) => {
        const x0 = 100 + all.slice(0, i).reduce((n, s) => n + (s.length + 1) * 20, 0);
        return word(t, x0, 570, x0 + t.length * 20, 610, 94);
      }),
    );
    const { ocr, seen } = fakeOcr([...noise, caption]);
    const result = await convert(pdf, {}, { ocr });
    expect(seen[0]).toEqual([1000, 750]); // 400 × 300 pt at the scan's 180 dpi
    expect(result.ocrPages).toEqual([1]);
    expect(result.markdown).toBe('![image]()\n\nFigure 1. The harbour at dawn\n');
    expect(result.warnings.map((w) => w.code)).not.toContain('needs_ocr');
  }, 60_000);
});
