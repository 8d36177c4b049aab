/**
 * OCR words that re-read another line's ink (a "p" tail read again as a word "P" of the next line) are dropped;
 * and an OCR'd ruled table goes through the same table model as a PDF's: a group row over a column header that
 * repeats its labels is read into the one header row. Images are rendered here with @napi-rs/canvas.
 */
import { createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';
import { withoutDoubleReads } from '../../shared/engine/formats/image/double-reads.ts';
import type { OcrLine, OcrPage, OcrWord } from '../../shared/service/ports.ts';
import { lineOf as ocrLine, word } from '../fixtures/ocr.ts';

const lineOf = (words: OcrWord[]) => ocrLine(words, 90);
const pageOf = (lines: OcrLine[]): OcrPage => ({
  text: lines.map((l) => l.text).join('\n'),
  lines,
  confidence: 90,
  width: 1400,
  height: 640,
});

describe('withoutDoubleReads', () => {
  it('drops a short word lying mostly inside a longer word of another line, and nothing else', () => {
    const page = pageOf([
      lineOf([word('Disability', 69, 196, 88, 117), word('Participants', 283, 446, 109, 131)]),
      // "P": 73% of its box inside "Participants"; a second "P" 54% inside "Incomplete/" (taller box).
      lineOf([
        word('Category', 68, 190, 131, 158),
        word('P', 371, 385, 115, 137, 74),
        word('Completed', 483, 632, 123, 160),
        word('P', 756, 785, 115, 154, 39),
      ]),
      lineOf([word('Incomplete/', 684, 853, 107, 136, 91)]),
      // Ascenders of this line meet descenders of the one above at the edge only: a real word, kept.
      lineOf([word('at', 70, 95, 150, 170), word('by', 200, 230, 152, 176)]),
    ]);
    const { page: kept, dropped } = withoutDoubleReads(page);
    expect(dropped.map((w) => [w.text, w.bbox.x0])).toEqual([
      ['P', 371],
      ['P', 756],
    ]);
    expect(kept.lines.map((l) => l.text)).toEqual([
      'Disability Participants',
      'Category Completed',
      'Incomplete/',
      'at by',
    ]);
    expect(kept.lines[1].bbox).toEqual({ x0: 68, y0: 123, x1: 632, y1: 160 });
    // The input is not changed.
    expect(page.lines[1].words).toHaveLength(4);
  });

  it('keeps a short word read more confidently than the long word around it, and words of its own line', () => {
    const page = pageOf([
      lineOf([word('Participants', 283, 446, 109, 131, 60)]),
      lineOf([word('No', 371, 400, 112, 134, 95)]),
      lineOf([word('Total', 500, 570, 200, 224), word('7', 560, 572, 200, 224)]),
    ]);
    expect(withoutDoubleReads(page).dropped).toEqual([]);
    expect(withoutDoubleReads(page).page).toBe(page);
  });
});

async function render(width: number, height: number, draw: (ctx: SKRSContext2D) => void): Promise<Uint8Array> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  draw(ctx);
  return new Uint8Array(await canvas.encode('png'));
}

function rule(ctx: SKRSContext2D, x0: number, y0: number, x1: number, y1: number): void {
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.lineTo(x1, y1);
  ctx.stroke();
}

describe('with the real tesseract adapter', () => {
  const tesseract = createTesseractOcr({ workers: 1 });
  afterAll(async () => {
    await tesseract.close?.();
  });

  it('a glyph tesseract reads twice (a "p" tail again as a word "P" of the next line) leaves no stray letter', async () => {
    // A ruled table with a shaded header: a one-line label in a tall cell beside two-line ones. Tesseract reads
    // the header as two text lines and gives the tail of the "p" in "Participants" to the second one as well,
    // as a word "P" whose box lies inside that of "Participants" (as on the bug-hunt table).
    const xs = [50, 265, 465, 665, 890, 1330];
    const image = await render(1400, 420, (ctx) => {
      ctx.fillStyle = '#8db3e2';
      ctx.fillRect(50, 37, 1280, 199);
      ctx.strokeStyle = '#000000';
      ctx.lineWidth = 2;
      for (const y of [37, 236, 308, 380]) rule(ctx, 50, y, 1330, y);
      for (const x of xs) rule(ctx, x, 37, x, 380);
      ctx.fillStyle = '#000000';
      ctx.font = 'bold 26px sans-serif';
      ctx.fillText('Disability', 68, 110);
      ctx.fillText('Category', 68, 150);
      ctx.fillText('Participants', 282, 130);
      ctx.fillText('Ballots', 482, 110);
      ctx.fillText('Completed', 482, 150);
      ctx.fillText('Score', 910, 130);
      ctx.font = '30px sans-serif';
      [
        ['Blind', '5', '1', '34.5%'],
        ['Mobility', '3', '3', '95.4%'],
      ].forEach((row, r) => row.forEach((t, c) => ctx.fillText(t, xs[c === 3 ? 4 : c] + 20, [270, 342][r])));
    });
    const { markdown } = await convert(image, {}, { ocr: tesseract });
    const cells = markdown
      .split('\n')
      .filter((l) => l.startsWith('|') && !l.startsWith('| ---'))
      .map((l) =>
        l
          .slice(1, -1)
          .split('|')
          .map((c) => c.trim()),
      );
    expect(cells[0][1]).toBe('Participants');
    expect(markdown).not.toMatch(/\bP\b/);
    expect(cells).toContainEqual(['Blind', '5', '1', '34.5%']);
  }, 120_000);

  it('an OCR’d ruled table with a group row over repeated sub-labels gets one header row', async () => {
    const xs = [50, 400, 600, 800, 1000, 1200];
    const ys = [40, 110, 180, 250, 320, 390];
    const image = await render(1260, 440, (ctx) => {
      ctx.strokeStyle = '#000000';
      ctx.lineWidth = 2;
      for (const y of ys) rule(ctx, y === 110 ? 400 : 50, y, 1200, y);
      // The rules inside each group start under the group row; the stub spans both header rows.
      for (const x of xs) rule(ctx, x, [600, 1000].includes(x) ? 110 : 40, x, 390);
      ctx.fillStyle = '#000000';
      ctx.font = 'bold 34px sans-serif';
      ctx.fillText('Survey A', 440, 88);
      ctx.fillText('Survey B', 840, 88);
      ctx.fillText('Indicators', 70, 158);
      ['TOTAL', 'RURAL', 'TOTAL', 'RURAL'].forEach((t, i) => ctx.fillText(t, xs[i + 1] + 30, 158));
      ctx.font = '34px sans-serif';
      [
        ['Injury', '1.9', '2.1', '2.4', '2.0'],
        ['Fever', '4.5', '5.6', '4.0', '4.9'],
        ['Asthma', '5.1', '4.1', '6.2', '5.5'],
      ].forEach((row, r) => row.forEach((t, c) => ctx.fillText(t, xs[c] + 30, ys[r + 2] + 48)));
    });
    const { markdown } = await convert(image, {}, { ocr: tesseract });
    expect(markdown).toBe(
      [
        '| Indicators | Survey A: TOTAL | Survey A: RURAL | Survey B: TOTAL | Survey B: RURAL |',
        '| --- | --- | --- | --- | --- |',
        '| Injury | 1.9 | 2.1 | 2.4 | 2.0 |',
        '| Fever | 4.5 | 5.6 | 4.0 | 4.9 |',
        '| Asthma | 5.1 | 4.1 | 6.2 | 5.5 |',
        '',
      ].join('\n'),
    );
  }, 120_000);
});
