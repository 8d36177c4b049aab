/**
 * OCR'd multi-column pages: a scanned page printed in two columns with a narrow gutter (a journal page) is read
 * column by column, each column's sentences whole and in order. Pages are rendered here and read with the real
 * tesseract adapter.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';

/** Words wrapped into lines no wider than `width` pixels in the context's current font. */
function wrap(ctx: SKRSContext2D, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

interface Column {
  x: number;
  width: number;
  top: number;
  font: string;
  leading: number;
  paragraphs: string[];
}

/** A white page with each column's paragraphs wrapped to its width, a blank line between paragraphs. */
async function renderColumns(width: number, height: number, columns: Column[]): Promise<Uint8Array> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  for (const c of columns) {
    ctx.font = c.font;
    let y = c.top;
    for (const p of c.paragraphs) {
      for (const line of wrap(ctx, p, c.width)) {
        ctx.fillText(line, c.x, y);
        y += c.leading;
      }
      y += c.leading * 0.6;
    }
  }
  return new Uint8Array(await canvas.encode('png'));
}

const flat = (s: string) => s.replace(/\s+/g, ' ');

const LEFT = [
  'Coastal towns have always depended on the sea for their food and their trade with distant ports.',
  'When the harbour silted up in the last century the fishing fleet moved north to deeper water.',
  'Many families followed the boats and the old quarter near the quay slowly emptied of its people.',
];
const RIGHT = [
  'Mountain villages tell a different story about how work and weather shape a place over time.',
  'Terraced fields climb the slopes where farmers once grew barley and kept goats through winter.',
  'Today most of those terraces are planted with vines that ripen late in the cool autumn air.',
];

describe('multi-column scanned pages through the real tesseract adapter', () => {
  const ocr = createTesseractOcr();
  afterAll(async () => {
    await ocr.close?.();
  });

  it('reads two columns of different type sizes across a narrow gutter column by column', async () => {
    const image = await renderColumns(1275, 900, [
      { x: 90, width: 600, top: 120, font: '30px sans-serif', leading: 38, paragraphs: LEFT },
      { x: 715, width: 470, top: 110, font: '22px serif', leading: 28, paragraphs: RIGHT },
    ]);
    const result = await convert(image, {}, { ocr });
    const out = flat(result.markdown);
    for (const s of [...LEFT, ...RIGHT]) expect(out).toContain(s);
    expect(out.indexOf(LEFT[0])).toBeLessThan(out.indexOf(LEFT[2]));
    expect(out.indexOf(LEFT[2])).toBeLessThan(out.indexOf(RIGHT[0]));
    expect(out.indexOf(RIGHT[0])).toBeLessThan(out.indexOf(RIGHT[2]));
  }, 120_000);

  it('reads two same-size columns across a narrow gutter column by column', async () => {
    const image = await renderColumns(1275, 700, [
      { x: 90, width: 530, top: 110, font: '22px serif', leading: 28, paragraphs: LEFT },
      { x: 645, width: 530, top: 110, font: '22px serif', leading: 28, paragraphs: RIGHT },
    ]);
    const result = await convert(image, {}, { ocr });
    const out = flat(result.markdown);
    for (const s of [...LEFT, ...RIGHT]) expect(out).toContain(s);
    expect(out.indexOf(LEFT[2])).toBeLessThan(out.indexOf(RIGHT[0]));
  }, 120_000);
});
