/**
 * OCR output through the PDF layout engine: the OCR-words → runs adapter on fake OCR, and rendered pages
 * (a table, two columns, a sideways page) read back with the real tesseract adapter.
 */
import { createCanvas } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';
import { isJunkWord, mergeSizes, ocrRuns, ocrRunsOnPage } from '../../shared/engine/formats/image/ocr-runs.ts';
import type { OcrPage, OcrWord } from '../../shared/service/ports.ts';
import { lineOf, word } from '../fixtures/ocr.ts';

describe('OCR words → runs', () => {
  it('keeps image x, puts all words of a line on one baseline, and estimates the em size from the ink', () => {
    // Caps/ascenders reach 0.72 em above the baseline, descenders 0.21 em below: at em 20 a word with both
    // spans 18.6 px, one with ascenders only 14.4 px, an x-height word 10 px.
    const baseline = 200;
    const page = {
      lines: [
        lineOf([
          word('Typing', 100, 160, baseline - 14.4, baseline + 4.2),
          word('Hello', 170, 215, baseline - 14.4, baseline),
          word('owner', 225, 280, baseline - 10, baseline),
        ]),
      ],
    };
    const runs = ocrRuns(page);
    expect(runs.map((r) => r.text)).toEqual(['Typing', 'Hello', 'owner']);
    expect(runs.map((r) => [r.x0, r.x1])).toEqual([
      [100, 160],
      [170, 215],
      [225, 280],
    ]);
    for (const r of runs) {
      expect(r.y).toBeCloseTo(baseline, 5); // y grows downward, as in the PDF viewport space
      expect(r.size).toBeCloseTo(20, 5);
      expect(r.bold).toBe(false);
    }
    // Gaps of half an em are word spaces.
    expect(runs.slice(1).every((r) => r.spaceBefore)).toBe(true);
  });

  it('scales pixels to page units and keeps a wide gap (a gutter the OCR read across) from being a space', () => {
    const words: OcrWord[] = [];
    // Six words with 8 px spaces, then a 60 px gap (3 em at em 20).
    let x = 0;
    for (const t of ['one', 'arm', 'saw', 'cow', 'run', 'man']) {
      words.push(word(t, x, x + 30, 90, 100));
      x += 38;
    }
    words.push(word('are', x + 52, x + 82, 90, 100));
    const runs = ocrRuns({ lines: [lineOf(words)] }, 0.5);
    expect(runs[1].spaceBefore).toBe(true);
    expect(runs[6].spaceBefore).toBe(false);
    expect(runs[0].x1).toBe(15);
    expect(runs[0].size).toBeCloseTo(10, 5); // x-height words 10 px tall → em 20 px → 10 units
    expect(runs[0].y).toBeCloseTo(50, 5);
  });

  it('merges nearly equal line sizes (OCR noise) but keeps a clearly larger heading size apart', () => {
    const sizes = mergeSizes([
      { size: 20, weight: 50 },
      { size: 21, weight: 50 },
      { size: 19.5, weight: 10 },
      { size: 30, weight: 8 },
    ]);
    expect(sizes[0]).toBe(sizes[1]);
    expect(sizes[1]).toBe(sizes[2]);
    expect(sizes[3]).toBe(30);
  });

  it('drops only unconfident words that do not look like words', () => {
    expect(isJunkWord(word('TTTTITTrrrrsrrrr', 0, 1, 0, 1, 0))).toBe(true);
    expect(isJunkWord(word('.', 0, 1, 0, 1, 3))).toBe(true);
    expect(isJunkWord(word('Americom', 0, 1, 0, 1, 8))).toBe(false);
    expect(isJunkWord(word('.', 0, 1, 0, 1, 90))).toBe(false);
  });

  it('fits a sideways-read page to the page size: the scale survives the quarter turn', () => {
    const page: OcrPage = {
      text: 'Hi',
      confidence: 90,
      width: 1000,
      height: 500,
      lines: [lineOf([word('Hi', 100, 140, 80, 100)])],
    };
    const { runs, height } = ocrRunsOnPage(page, { width: 250, height: 500 }); // portrait page, landscape image
    expect(height).toBeCloseTo(250, 5);
    expect(runs[0].x0).toBeCloseTo(50, 5);
  });
});

/** A white page with black text drawn at the given positions in a large plain font. */
async function renderPage(
  width: number,
  height: number,
  texts: { text: string; x: number; y: number }[],
  font = 40,
): Promise<Uint8Array> {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  ctx.font = `${font}px sans-serif`;
  for (const t of texts) ctx.fillText(t.text, t.x, t.y);
  return new Uint8Array(await canvas.encode('png'));
}

describe('rendered pages through the real tesseract adapter', () => {
  const ocr = createTesseractOcr();
  afterAll(async () => {
    await ocr.close?.();
  });

  it('reads a table drawn as aligned text as a GFM table with its cells', async () => {
    const rows = [
      ['Fruit', 'Colour', 'Price'],
      ['Apple', 'Red', '120'],
      ['Banana', 'Yellow', '45'],
      ['Plum', 'Purple', '310'],
    ];
    const columns = [80, 480, 880];
    const texts = rows.flatMap((row, r) => row.map((text, c) => ({ text, x: columns[c], y: 120 + r * 80 })));
    const result = await convert(await renderPage(1200, 480, texts), {}, { ocr });
    expect(result.markdown).toBe(
      [
        '| Fruit | Colour | Price |',
        '| --- | --- | --- |',
        '| Apple | Red | 120 |',
        '| Banana | Yellow | 45 |',
        '| Plum | Purple | 310 |',
        '',
      ].join('\n'),
    );
  }, 60_000);

  it('reads a two-column page column by column', async () => {
    const left = ['The left column starts', 'here and its words run', 'down this side of the', 'page to the very end.'];
    const right = [
      'Then the right column',
      'takes over the story and',
      'finishes it on its own',
      'side of the gutter.',
    ];
    const texts = [
      ...left.map((text, i) => ({ text, x: 60, y: 120 + i * 60 })),
      ...right.map((text, i) => ({ text, x: 760, y: 120 + i * 60 })),
    ];
    const result = await convert(await renderPage(1400, 420, texts, 36), {}, { ocr });
    const out = result.markdown.replace(/\s+/g, ' ');
    expect(out).toContain(left.join(' '));
    expect(out).toContain(right.join(' '));
    expect(out.indexOf('The left column')).toBeLessThan(out.indexOf('Then the right'));
  }, 60_000);

  it('reads a page scanned sideways (turned a quarter) by trying the other orientations', async () => {
    const upright = createCanvas(1000, 400);
    const u = upright.getContext('2d');
    u.fillStyle = '#ffffff';
    u.fillRect(0, 0, 1000, 400);
    u.fillStyle = '#000000';
    u.font = '48px sans-serif';
    u.fillText('Sideways scans happen', 60, 150);
    u.fillText('in every office archive', 60, 260);
    const turned = createCanvas(400, 1000);
    const t = turned.getContext('2d');
    t.translate(400, 0);
    t.rotate(Math.PI / 2);
    t.drawImage(upright, 0, 0);
    const result = await convert(new Uint8Array(await turned.encode('png')), {}, { ocr });
    expect(result.markdown.toLowerCase()).toContain('sideways scans happen');
    expect(result.markdown.toLowerCase()).toContain('office archive');
  }, 120_000);
});
