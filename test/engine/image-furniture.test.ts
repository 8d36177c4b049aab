/**
 * Furniture on an OCR'd single page, where the OCR gives no reliable font size (line sizes within about 12%
 * are merged): a provenance stamp ("Downloaded from <site> on <date>") over the body goes, alone or in one
 * block with the journal's running head and page number; a court's name, a claim number, an invoice's
 * letterhead with its web address, number and dates at the top of the page stay, and so does a sentence that
 * only mentions where its figures were downloaded from when it belongs to the body. Fake OCR words pin the
 * geometry; two rendered pages go through real tesseract.
 */
import { createCanvas } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';
import { isProvenanceStamp } from '../../shared/engine/formats/pdf/furniture.ts';
import type { Ocr, OcrLine, OcrPage, OcrWord } from '../../shared/service/ports.ts';
import { pngHeader } from '../fixtures/image-headers.ts';

/**
 * Words of a text laid out from x0 at `unit` px per character (a space is one character), on the baseline `y`
 * at an em of `em` px: each box holds the word's ink, as an OCR engine reports it (capitals and ascenders
 * 0.72 em above the baseline, x-height letters 0.5 em, descenders 0.21 em below).
 */
function words(text: string, x0: number, y: number, unit = 8.4, em = 20): OcrWord[] {
  let x = x0;
  return text.split(' ').map((w) => {
    const up = /[\p{Lu}\p{N}bdfhiklt/]/u.test(w) ? 0.72 : 0.5;
    const down = /[gjpqy,]/.test(w) ? 0.21 : 0;
    const bbox = { x0: x, y0: y - up * em, x1: x + w.length * unit, y1: y + down * em };
    x += (w.length + 1) * unit;
    return { text: w, confidence: 95, bbox };
  });
}

function lineOf(ws: OcrWord[]): OcrLine {
  return {
    text: ws.map((w) => w.text).join(' '),
    confidence: 95,
    words: ws,
    bbox: {
      x0: Math.min(...ws.map((w) => w.bbox.x0)),
      y0: Math.min(...ws.map((w) => w.bbox.y0)),
      x1: Math.max(...ws.map((w) => w.bbox.x1)),
      y1: Math.max(...ws.map((w) => w.bbox.y1)),
    },
  };
}

const at = (text: string, x0: number, y: number, unit?: number) => lineOf(words(text, x0, y, unit));
/** The stamp is set in a slightly narrower face than the body, as publishers do (its OCR height is the same). */
const stamp = (y: number) => at(STAMP, 70, y, 5);

/** Fourteen lines of body text from the baseline `y0`, 28 px apart: a page of a document (portrait, 600 × 800 px). */
function body(y0: number): OcrLine[] {
  const sentence = [
    'Corporate reporting has grown over the past three decades',
    'and the pressure from groups outside the companies has grown',
    'with it, so that most large firms now publish a yearly report',
  ];
  return Array.from({ length: 14 }, (_, i) => at(`${sentence[i % 3]} ${i + 1}`, 50, y0 + i * 28));
}

const fakeOcr = (lines: OcrLine[]): Ocr => ({
  async recognize(): Promise<OcrPage> {
    return { text: lines.map((l) => l.text).join('\n'), lines, confidence: 95, width: 600, height: 800 };
  },
});

/** A PNG header of the fake OCR's page size (no pixels): the fake OCR never looks at them. */
const png = pngHeader(600, 800);

const convertOcr = async (lines: OcrLine[]) => (await convert(png, {}, { ocr: fakeOcr(lines) })).markdown;

const STAMP = 'Downloaded from http://journal.example.org/ on July 12, 2017 - Published by group.example.com';

describe('provenance stamps on an OCR page', () => {
  it('drops a body-sized download stamp in one block with the running head and its page number', async () => {
    const head = lineOf([...words('Advocacy in Action', 50, 46), ...words('447', 525, 46)]);
    const md = await convertOcr([stamp(24), head, ...body(114)]);
    expect(md).not.toContain('Downloaded from');
    expect(md).not.toContain('447');
    expect(md).toMatch(/^Corporate reporting has grown/);
    expect(md).toContain('has grown 14');
  });

  it('drops a download stamp standing alone above the body', async () => {
    const md = await convertOcr([stamp(24), ...body(104)]);
    expect(md).not.toContain('Downloaded from');
    expect(md).toMatch(/^Corporate reporting has grown/);
  });

  it('drops the stamp when the running head under it is a block of its own', async () => {
    const head = lineOf([...words('Advocacy in Action', 50, 58), ...words('447', 525, 58)]);
    const md = await convertOcr([stamp(20), head, ...body(124)]);
    expect(md).not.toContain('Downloaded from');
    expect(md).toMatch(/^Corporate reporting has grown/);
  });
});

describe('content at the top of an OCR page stays', () => {
  it("keeps a court's name and claim number set apart above the body", async () => {
    const md = await convertOcr([
      at('HIGH COURT OF JUSTICE', 200, 24),
      at('Claim No. HC-2023-000412', 200, 48),
      ...body(114),
    ]);
    expect(md).toContain('HIGH COURT OF JUSTICE');
    expect(md).toContain('Claim No. HC-2023-000412');
  });

  it("keeps an invoice's letterhead with its web address, its number and its dates", async () => {
    const md = await convertOcr([
      at('Northwind Trading Ltd www.northwind.example.com', 50, 24),
      at('Invoice No. INV-2024-0173 Issued 12 March 2024', 50, 48),
      ...body(114),
    ]);
    expect(md).toContain('www.northwind.example.com');
    expect(md).toContain('INV-2024-0173');
    expect(md).toContain('Issued 12 March 2024');
  });

  it('keeps a first line that says where its figures were downloaded from when it is close to the body', async () => {
    const md = await convertOcr([
      at('The figures were downloaded from www.ons.gov.uk on 3 May 2024.', 50, 34),
      ...body(74),
    ]);
    expect(md).toContain('The figures were downloaded from www.ons.gov.uk on 3 May 2024.');
  });
});

describe('provenance stamp text', () => {
  it('needs both the provenance phrase and a locator', () => {
    expect(isProvenanceStamp(STAMP)).toBe(true);
    expect(isProvenanceStamp('Retrieved from https://archive.example.net/item/12 on 4 March 2020')).toBe(true);
    expect(isProvenanceStamp('Downloaded from the registry')).toBe(false);
    expect(isProvenanceStamp('Northwind Trading Ltd www.northwind.example.com')).toBe(false);
    expect(isProvenanceStamp('HIGH COURT OF JUSTICE')).toBe(false);
  });
});

describe('rendered pages through the real tesseract adapter', () => {
  const ocr = createTesseractOcr({ workers: 1 });
  afterAll(async () => {
    await ocr.close?.();
  });

  /** A letter page at 150 dpi: `top` lines (text, x, baseline, px size), then 24 lines of 20 px body text. */
  async function renderPage(top: { text: string; x: number; y: number; size: number }[]): Promise<Uint8Array> {
    const canvas = createCanvas(1275, 1650);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, 1275, 1650);
    ctx.fillStyle = '#000000';
    const sentences = [
      'Corporate reporting has grown over the past three decades and',
      'the pressure from groups outside the companies has grown with',
      'it, so that most large firms now publish a report every year.',
    ];
    for (const t of top) {
      ctx.font = `${t.size}px serif`;
      ctx.fillText(t.text, t.x, t.y);
    }
    ctx.font = '20px serif';
    for (let i = 0; i < 24; i++) ctx.fillText(sentences[i % 3], 140, 160 + i * 28);
    return new Uint8Array(await canvas.encode('png'));
  }

  it('drops a download stamp set a little smaller than the body (19 px on 20: OCR merges the sizes), with the running head under it', async () => {
    const image = await renderPage([
      { text: STAMP, x: 200, y: 30, size: 19 },
      { text: 'Advocacy in Action', x: 140, y: 56, size: 20 },
      { text: '447', x: 1090, y: 56, size: 20 },
    ]);
    const md = (await convert(image, {}, { ocr })).markdown;
    expect(md).not.toMatch(/Downloaded|Published by/);
    expect(md).toMatch(/^Corporate reporting has grown/);
  }, 180_000);

  it("keeps a court's name and claim number at the top", async () => {
    const image = await renderPage([
      { text: 'HIGH COURT OF JUSTICE', x: 480, y: 34, size: 20 },
      { text: 'Claim No. HC-2023-000412', x: 480, y: 62, size: 20 },
    ]);
    const md = (await convert(image, {}, { ocr })).markdown;
    expect(md).toContain('HIGH COURT OF JUSTICE');
    expect(md).toContain('HC-2023-000412');
  }, 180_000);
});
