/**
 * OCR is retried at another rotation only when the page's ink shows a turn (`image/orientation.ts`), never
 * blindly at the other three: a page that reads poorly upright and stands upright is read once; a page that
 * stands turned is read twice (upright, then at the detected turn), not four times. The OCR engine here is a
 * stand-in that counts its calls, records each image's size and answers with a poor reading.
 */
import { createCanvas } from '@napi-rs/canvas';
import { readImage } from '../../shared/engine/formats/image/read-image.ts';
import type { Ocr, OcrPage } from '../../shared/engine/ocr.ts';

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** An engine whose every reading is poor (low confidence, symbol soup), as sideways text or noise reads. */
function poorReader(): Ocr & { images: { width: number; height: number }[] } {
  const images: { width: number; height: number }[] = [];
  return {
    images,
    async recognize(image: Uint8Array): Promise<OcrPage> {
      const { width, height } = pngSize(image);
      images.push({ width, height });
      const bbox = { x0: 40, y0: 40, x1: 400, y1: 80 };
      const words = ['~|', ";'", '=_-', 'llI'].map((text, i) => ({
        text,
        confidence: 22,
        bbox: { x0: 40 + i * 90, y0: 40, x1: 120 + i * 90, y1: 80 },
      }));
      return {
        text: "~| ;' =_- llI",
        confidence: 22,
        width,
        height,
        lines: [{ text: "~| ;' =_- llI", confidence: 22, bbox, words }],
      };
    },
  };
}

/** A page of printed text lines, optionally turned a quarter clockwise. */
async function textPage(turned: boolean): Promise<Uint8Array> {
  const upright = createCanvas(1200, 700);
  const u = upright.getContext('2d');
  u.fillStyle = '#ffffff';
  u.fillRect(0, 0, 1200, 700);
  u.fillStyle = '#000000';
  u.font = '44px sans-serif';
  [
    'Orientation comes from the ink of the page,',
    'with ascenders above the x-height band',
    'and descenders such as g, p and y below.',
    'Every line of this page helps the estimate.',
    'A blind retry would read it four times.',
  ].forEach((line, i) => u.fillText(line, 60, 110 + i * 110));
  if (!turned) return new Uint8Array(await upright.encode('png'));
  const canvas = createCanvas(700, 1200);
  const t = canvas.getContext('2d');
  t.translate(700, 0);
  t.rotate(Math.PI / 2);
  t.drawImage(upright, 0, 0);
  return new Uint8Array(await canvas.encode('png'));
}

describe('OCR rotation retries', () => {
  it('an upright page that reads poorly is read once, not retried at other rotations', async () => {
    const ocr = poorReader();
    const reading = await readImage(await textPage(false), ocr);
    expect(ocr.images).toEqual([{ width: 1200, height: 700 }]);
    expect(reading.turned).toBe(0);
  });

  it('a page turned a quarter is read twice: upright, then once at the detected turn', async () => {
    const ocr = poorReader();
    await readImage(await textPage(true), ocr);
    expect(ocr.images).toEqual([
      { width: 700, height: 1200 },
      { width: 1200, height: 700 },
    ]);
  });

  it('a page without text lines (a photo-like texture) is read once', async () => {
    const canvas = createCanvas(900, 900);
    const ctx = canvas.getContext('2d');
    let seed = 11;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 900, 900);
    for (let i = 0; i < 4000; i++) {
      const v = Math.floor(random() * 200);
      ctx.fillStyle = `rgb(${v},${v},${v})`;
      ctx.fillRect(random() * 900, random() * 900, 3 + random() * 12, 3 + random() * 12);
    }
    const ocr = poorReader();
    await readImage(new Uint8Array(await canvas.encode('png')), ocr);
    expect(ocr.images).toHaveLength(1);
  });
});
