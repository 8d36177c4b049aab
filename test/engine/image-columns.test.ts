/**
 * OCR'd multi-column pages: a scanned page printed in two columns with a narrow gutter (a journal page) is read
 * column by column, each column's sentences whole and in order. Pages are rendered here and read with the real
 * tesseract adapter.
 */
import { type Canvas, createCanvas, type SKRSContext2D } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';
import { grayFromRgba } from '../../shared/engine/formats/image/bitmap.ts';
import { findColumns } from '../../shared/engine/formats/image/columns.ts';

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
  /** Indent of each paragraph's first line, in pixels. */
  indent?: number;
}

/** A white page with each column's paragraphs wrapped to its width, a blank line between paragraphs. */
/** Lines drawn where they are given (a running head, a page number), in 22px serif. */
type Mark = { text: string; x: number; y: number };

async function renderColumns(
  width: number,
  height: number,
  columns: Column[],
  marks: Mark[] = [],
): Promise<Uint8Array> {
  return new Uint8Array(await drawColumns(width, height, columns, marks).encode('png'));
}

function drawColumns(width: number, height: number, columns: Column[], marks: Mark[] = []): Canvas {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000000';
  for (const c of columns) {
    ctx.font = c.font;
    let y = c.top;
    for (const p of c.paragraphs) {
      for (const [i, line] of wrap(ctx, p, c.width - (c.indent ?? 0)).entries()) {
        ctx.fillText(line, c.x + (i === 0 ? (c.indent ?? 0) : 0), y);
        y += c.leading;
      }
      y += c.leading * 0.6;
    }
  }
  ctx.font = '22px serif';
  for (const m of marks) ctx.fillText(m.text, m.x, m.y);
  return canvas;
}

/** The luminance bitmap of a drawn page, as the image reader analyses it. */
function grayOf(canvas: Canvas) {
  const { data, width, height } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  return grayFromRgba(data, width, height);
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

const COLUMNS: Column[] = [
  { x: 90, width: 530, top: 110, font: '22px serif', leading: 28, paragraphs: LEFT },
  { x: 645, width: 530, top: 110, font: '22px serif', leading: 28, paragraphs: RIGHT },
];
/** A running head and a page number that cross the gutter. */
const MARKS: Mark[] = [
  { text: 'Studies in Regional Geography and Rural Life', x: 400, y: 50 },
  { text: 'Page 447', x: 590, y: 670 },
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

  it('reads two same-size columns under a running head and over a centred page number, head first', async () => {
    const image = await renderColumns(1275, 700, COLUMNS, MARKS);
    const result = await convert(image, {}, { ocr });
    const out = flat(result.markdown);
    for (const s of [...LEFT, ...RIGHT]) expect(out).toContain(s);
    expect(out).toContain('Studies in Regional Geography and Rural Life');
    expect(out.indexOf('Regional Geography')).toBeLessThan(out.indexOf(LEFT[0]));
    expect(out.indexOf(LEFT[2])).toBeLessThan(out.indexOf(RIGHT[0]));
    expect(out.trim().endsWith('Page 447')).toBe(true);
  }, 120_000);
});

describe('findColumns (the gutter found in the ink)', () => {
  it('finds the gutter between two prose columns and splits halfway into it', () => {
    const gray = grayOf(
      drawColumns(1275, 700, [
        { x: 90, width: 530, top: 110, font: '22px serif', leading: 28, paragraphs: LEFT },
        { x: 645, width: 530, top: 110, font: '22px serif', leading: 28, paragraphs: RIGHT },
      ]),
    );
    const spans = findColumns(gray, 128);
    expect(spans).toHaveLength(2);
    expect(spans[0].x0).toBe(0);
    expect(spans[0].x1).toBeGreaterThan(600);
    expect(spans[0].x1).toBeLessThan(650);
    expect(spans[1]).toEqual({ x0: spans[0].x1, x1: 1275, y0: 0, y1: 700 });
  });

  it('sets a running head and a centred page number crossing the gutter apart as head and foot strips', () => {
    const regions = findColumns(grayOf(drawColumns(1275, 700, COLUMNS, MARKS)), 128);
    expect(regions).toHaveLength(4);
    expect(regions[0]).toMatchObject({ x0: 0, x1: 1275, y0: 0 });
    expect(regions[0].y1).toBeGreaterThan(55);
    expect(regions[0].y1).toBeLessThan(90);
    expect(regions[1].y0).toBe(regions[0].y1);
    expect(regions[2].x0).toBe(regions[1].x1);
    expect(regions[3]).toMatchObject({ x0: 0, x1: 1275, y0: regions[1].y1, y1: 700 });
    expect(regions[3].y0).toBeLessThan(650);
  });

  it('leaves a single column whose paragraphs start with short indented lines whole', () => {
    const gray = grayOf(
      drawColumns(1275, 700, [
        { x: 90, width: 1100, top: 110, font: '22px serif', leading: 28, paragraphs: [...LEFT, ...RIGHT], indent: 60 },
      ]),
    );
    expect(findColumns(gray, 128)).toEqual([]);
  });

  it('leaves a table of short cells whole, though blank bands run between its columns', () => {
    const canvas = createCanvas(1275, 700);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 1275, 700);
    ctx.fillStyle = '#000000';
    ctx.font = '22px sans-serif';
    const rows = [
      ['Region', 'Main crop', 'Yield per hectare'],
      ['North coast', 'Barley', '4.1 tonnes'],
      ['Upper valley', 'Grapes for wine', '7.9 tonnes'],
      ['East plain', 'Wheat', '6.3 tonnes'],
      ['South hills', 'Olives', '2.2 tonnes'],
      ['West marsh', 'Rice', '5.0 tonnes'],
      ['Islands', 'Citrus fruit', '3.4 tonnes'],
      ['Capital district', 'Vegetables', '9.8 tonnes'],
    ];
    rows.forEach((row, r) => row.forEach((cell, c) => ctx.fillText(cell, 90 + c * 400, 110 + r * 40)));
    expect(findColumns(grayOf(canvas), 128)).toEqual([]);
  });
});

describe('a table through the real tesseract adapter', () => {
  const ocr = createTesseractOcr();
  afterAll(async () => {
    await ocr.close?.();
  });

  it('keeps a table of wide cells a table: its column gaps are not gutters', async () => {
    const canvas = createCanvas(1275, 520);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 1275, 520);
    ctx.fillStyle = '#000000';
    ctx.font = '26px sans-serif';
    const rows = [
      ['Region', 'Main crop', 'Yield'],
      ['North coast', 'Barley', '4.1'],
      ['Upper valley', 'Grapes', '7.9'],
      ['East plain', 'Wheat', '6.3'],
      ['South hills', 'Olives', '2.2'],
      ['West marsh', 'Rice', '5.0'],
      ['Islands', 'Citrus', '3.4'],
    ];
    rows.forEach((row, r) => row.forEach((cell, c) => ctx.fillText(cell, 90 + c * 420, 80 + r * 60)));
    const result = await convert(new Uint8Array(await canvas.encode('png')), {}, { ocr });
    expect(result.markdown).toContain('| Region | Main crop | Yield |');
    expect(result.markdown).toContain('| Upper valley | Grapes | 7.9 |');
    expect(result.markdown).toContain('| Islands | Citrus | 3.4 |');
  }, 120_000);
});
