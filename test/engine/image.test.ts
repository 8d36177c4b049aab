import { createCanvas } from '@napi-rs/canvas';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';
import type { Ocr, OcrLine, OcrPage } from '../../shared/service/ports.ts';
import { pngHeader } from '../fixtures/image-headers.ts';

/** A white page with black text lines, drawn in a large plain font. */
async function renderText(lines: string[], format: 'png' | 'webp' = 'png'): Promise<Uint8Array> {
  const canvas = createCanvas(1400, 120 + lines.length * 110);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000000';
  ctx.font = '64px sans-serif';
  lines.forEach((line, i) => ctx.fillText(line, 60, 120 + i * 110));
  return new Uint8Array(format === 'png' ? await canvas.encode('png') : await canvas.encode('webp', 100));
}

/** A fake OCR line whose words share out its width by their length (a space is one character wide). */
const line = (text: string, y0: number, height = 20, x0 = 50, x1 = 550, confidence = 95): OcrLine => {
  const parts = text.split(' ');
  const unit = (x1 - x0) / text.length;
  let x = x0;
  const words = parts.map((w) => {
    const word = { text: w, confidence, bbox: { x0: x, y0, x1: x + w.length * unit, y1: y0 + height } };
    x += (w.length + 1) * unit;
    return word;
  });
  return { text, confidence, bbox: { x0, y0, x1, y1: y0 + height }, words };
};

const fakeOcr = (lines: OcrLine[], confidence = 95): Ocr => ({
  async recognize(): Promise<OcrPage> {
    return { text: lines.map((l) => l.text).join('\n'), lines, confidence, width: 600, height: 800 };
  },
});

// A PNG down to its header (600×800, no pixel data): its size is known, it does not decode, OCR reads it as is.
const png = pngHeader(600, 800);

describe('image converter with the real tesseract adapter', () => {
  const ocr = createTesseractOcr();
  afterAll(async () => {
    await ocr.close?.();
  });

  it('reads the words of a rendered PNG back', async () => {
    const image = await renderText(['Quarterly revenue grew', 'across every region']);
    const result = await convert(image, {}, { ocr });
    expect(result.format).toBe('image');
    expect(result.ocrPages).toEqual([1]);
    const words = result.markdown.toLowerCase();
    for (const w of ['quarterly', 'revenue', 'grew', 'across', 'every', 'region']) expect(words).toContain(w);
  });

  it('reads WebP too (re-encoded before OCR)', async () => {
    const result = await convert(await renderText(['Hello from WebP'], 'webp'), {}, { ocr });
    expect(result.mediaType).toBe('image/webp');
    expect(result.markdown.toLowerCase()).toContain('webp');
  });
});

describe('image converter paragraph building (fake OCR)', () => {
  it('breaks paragraphs at large vertical gaps and joins hyphenated line ends', async () => {
    const lines = [
      line('The quick brown fox jumps over the', 100),
      line('lazy dog and keeps on run-', 128),
      line('ning through the field.', 156),
      line('A second paragraph starts here.', 230),
    ];
    const result = await convert(png, {}, { ocr: fakeOcr(lines) });
    expect(result.markdown).toBe(
      'The quick brown fox jumps over the lazy dog and keeps on running through the field.\n\nA second paragraph starts here.\n',
    );
    expect(result.warnings).toEqual([]);
  });

  // The paragraph builder of the image converter is now the PDF layout engine (ocr-runs.ts → pageBlocks): a
  // line clearly larger than the body is a heading rather than only a paragraph of its own.
  it('makes a clearly larger line a heading', async () => {
    const lines = [
      line('Big Heading', 40, 40, 50, 330),
      line('Body text of the page runs on here and', 110),
      line('continues on a second line of body text.', 138),
    ];
    const result = await convert(png, {}, { ocr: fakeOcr(lines) });
    expect(result.markdown).toBe(
      '# Big Heading\n\nBody text of the page runs on here and continues on a second line of body text.\n',
    );
  });

  it('keeps real hyphens (before capitals or numbers) when joining lines', async () => {
    const result = await convert(
      png,
      {},
      {
        ocr: fakeOcr([
          line('the rule was in force before pre-', 100),
          line('COVID times and for pages 10-', 128),
          line('12 of the report.', 156, 20, 50, 260),
        ]),
      },
    );
    // The hyphens stay (how the engine spaces a compound broken at its own hyphen is the layout's choice).
    expect(result.markdown).toMatch(
      /^the rule was in force before pre- ?COVID times and for pages 10- ?12 of the report\.\n$/,
    );
  });

  it('warns garbled_text when the kept words are unsure, and drops words under the confidence floor', async () => {
    // Kept (50 ≥ the floor of 40) but doubtful (under 60).
    const unsure = await convert(
      png,
      {},
      { ocr: fakeOcr([line('Tbe qnick hrown fcx jumqs', 100, 20, 50, 550, 50)], 50) },
    );
    expect(unsure.markdown).toBe('Tbe qnick hrown fcx jumqs\n');
    expect(unsure.warnings.map((w) => w.code)).toContain('garbled_text');
    // Under the floor: dropped, and the loss is reported rather than silent.
    const lost = await convert(
      png,
      {},
      { ocr: fakeOcr([line('Tbe qnick hrown fcx jumqs ovcr', 100, 20, 50, 550, 30)], 30) },
    );
    expect(lost.markdown).toBe('');
    expect(lost.warnings.map((w) => w.code)).toContain('garbled_text');
  });

  it('keeps a confident line whole and drops only its noise words', async () => {
    const good = line('Invoice number 4711 is due', 100);
    const noise = { text: '~%', confidence: 8, bbox: { x0: 560, y0: 100, x1: 580, y1: 120 } };
    const unsureWord = { ...good.words[1], confidence: 30 }; // a badly printed word inside a well-read line
    const mixed = { ...good, words: [good.words[0], unsureWord, ...good.words.slice(2), noise] };
    const result = await convert(png, {}, { ocr: fakeOcr([mixed]) });
    expect(result.markdown).toBe('Invoice number 4711 is due\n');
    expect(result.warnings).toEqual([]);
  });

  it("passes the caller's OCR languages to the engine", async () => {
    const seen: (string[] | undefined)[] = [];
    const ocr: Ocr = {
      async recognize(_image, options) {
        seen.push(options?.languages);
        return { text: 'Guten Tag', lines: [line('Guten Tag', 100)], confidence: 95, width: 600, height: 800 };
      },
    };
    await convert(png, { ocrLanguages: ['deu', 'eng'] }, { ocr });
    await convert(png, {}, { ocr });
    expect(seen).toEqual([['deu', 'eng'], undefined]);
  });

  it('returns an empty document with needs_ocr when no OCR engine is available', async () => {
    const result = await convert(png, {});
    expect(result.markdown).toBe('');
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'needs_ocr' })]);
    const off = await convert(png, { ocr: false }, { ocr: fakeOcr([line('hidden', 10)]) });
    expect(off.markdown).toBe('');
    expect(off.warnings.map((w) => w.code)).toEqual(['needs_ocr']);
  });

  it('reports ocr_failed when the engine throws', async () => {
    const broken: Ocr = {
      recognize: async () => {
        throw new Error('engine crashed');
      },
    };
    const result = await convert(png, {}, { ocr: broken });
    expect(result.markdown).toBe('');
    expect(result.warnings.map((w) => w.code)).toEqual(['ocr_failed']);
  });
});

describe('OCR that is only temporarily unavailable', () => {
  it('fails the conversion as retryable instead of returning an empty success', async () => {
    const { convert } = await import('../../shared/engine/engine.ts');
    const outage = Object.assign(new Error('quota exhausted'), { transient: true });
    const failing = {
      recognize: async () => {
        throw outage;
      },
    };
    await expect(convert(png, {}, { ocr: failing })).rejects.toMatchObject({ code: 'internal', transient: true });
    const broken = {
      recognize: async () => {
        throw new Error('cannot decode image');
      },
    };
    const result = await convert(png, {}, { ocr: broken });
    expect(result.warnings.map((w) => w.code)).toContain('ocr_failed');
  });
});
