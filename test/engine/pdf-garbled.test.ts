/**
 * Fonts with no usable Unicode mapping: the garbage they yield is told from text (quality.ts rules G1–G3),
 * kept out of the Markdown and reported per page, or the page is OCR'd when an OCR engine is there. Pages whose
 * text is drawn as vector outlines (no text layer) go to OCR too, or warn `needs_ocr`.
 */
import { PDFDocument } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import { assessText, garbledFonts } from '../../shared/engine/formats/pdf/quality.ts';
import type { Ocr, OcrPage } from '../../shared/engine/ocr.ts';
import { glyphIdFontPdf } from '../fixtures/pdf.ts';

function fakeOcr(text: string) {
  const seen: Uint8Array[] = [];
  const ocr: Ocr = {
    async recognize(image: Uint8Array): Promise<OcrPage> {
      seen.push(image);
      return { text, lines: [], confidence: 90, width: 0, height: 0 };
    },
  };
  return { ocr, seen };
}

const GARBLED_LINE = { text: 'Quarterly statement of cash held in bank accounts', x: 72, y: 100 };
const PLAIN_LINE = { text: 'This line is set in an ordinary font and reads well.', x: 72, y: 140 };

describe('garbled text detection', () => {
  test('glyph ids read as characters are garbled (G2 vowelless words, G3 control characters)', () => {
    // "Quarterly statement of cash held in bank accounts" through the Macintosh glyph order.
    expect(assessText('4XDUWHUO\\ VWDWHPHQW RI FDVK KHOG LQ EDQN DFFRXQWV')).toBe('garbled');
    expect(assessText('4XDUWHUO\\\x03VWDWHPHQW\x03RI\x03FDVK')).toBe('garbled');
    // Czech "Peněžní prostředky na účtech" the same way.
    expect(assessText('3HQČåQt\x03SURVWĜHGN\\\x03QD\x03~þWHFK')).toBe('garbled');
  });

  test('real text in several languages, acronyms and codes is not', () => {
    expect(assessText('Ordinary words, 42.')).toBe('ok');
    expect(assessText('Peněžní prostředky na účtech a čtvrtletní zprávy')).toBe('ok');
    expect(assessText('Die Straßenbahn fährt stündlich über die Brücke nach Zürich.')).toBe('ok');
    expect(assessText('NATO, UNESCO, HTML and HTTPS: see www.example.com, ref. XKR-2291 and SKU 44172.')).toBe('ok');
    expect(assessText('Pójdźże, kiń tę chmurność w głąb flaszy!')).toBe('ok');
    expect(assessText('Съешь же ещё этих мягких французских булок')).toBe('ok');
    expect(assessText('東京都の天気は晴れです')).toBe('ok');
  });

  test('the verdict is per font', () => {
    const fonts = garbledFonts([
      { str: '4XDUWHUO\\\x03VWDWHPHQW\x03RI\x03FDVK', fontName: 'f1' },
      { str: 'Quarterly statement of cash', fontName: 'f2' },
    ]);
    expect([...fonts]).toEqual(['f1']);
  });
});

describe('pdf fonts without a Unicode mapping', () => {
  test('a page only in such a font: no garbage, a garbled_text warning naming the page', async () => {
    const result = await convert(glyphIdFontPdf([GARBLED_LINE]));
    expect(result.markdown.trim()).toBe('');
    expect(result.warnings).toEqual([
      expect.objectContaining({ code: 'garbled_text', page: 1, message: expect.stringContaining('49 glyphs') }),
    ]);
  });

  test('a page mixing it with a readable font keeps the readable text and reports the rest', async () => {
    const result = await convert(glyphIdFontPdf([GARBLED_LINE], [PLAIN_LINE]));
    expect(result.markdown.trim()).toBe(PLAIN_LINE.text);
    expect(result.markdown).not.toMatch(/VWDWHPHQW|FDVK/);
    expect(result.warnings).toEqual([expect.objectContaining({ code: 'garbled_text', page: 1 })]);
  });

  test('with an OCR engine the page is rendered and recognized instead', async () => {
    const { ocr, seen } = fakeOcr('Quarterly statement of cash held in bank accounts\n\nThis line reads well.');
    const result = await convert(glyphIdFontPdf([GARBLED_LINE], [PLAIN_LINE]), {}, { ocr });
    expect(seen).toHaveLength(1);
    expect(result.ocrPages).toEqual([1]);
    expect(result.markdown).toContain('Quarterly statement of cash held in bank accounts');
    expect(result.markdown).not.toMatch(/VWDWHPHQW/);
    expect(result.warnings.filter((w) => w.code === 'garbled_text')).toEqual([]);
  });

  test('an OCR engine that reads nothing from the page: a garbled_text warning, never a silent empty page', async () => {
    const { ocr, seen } = fakeOcr('');
    const result = await convert(glyphIdFontPdf([GARBLED_LINE]), {}, { ocr });
    expect(seen).toHaveLength(1);
    expect(result.markdown.trim()).toBe('');
    expect(result.markdown).not.toMatch(/VWDWHPHQW|FDVK/);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: 'garbled_text', page: 1, message: expect.stringContaining('OCR read no text') }),
    );
    // With a readable font beside it, that font's text is kept.
    const mixed = await convert(glyphIdFontPdf([GARBLED_LINE], [PLAIN_LINE]), {}, { ocr: fakeOcr('').ocr });
    expect(mixed.markdown.trim()).toBe(PLAIN_LINE.text);
    expect(mixed.warnings).toContainEqual(expect.objectContaining({ code: 'garbled_text', page: 1 }));
  });

  test('a failing OCR engine falls back to the readable text with both warnings', async () => {
    const ocr: Ocr = {
      recognize: () => Promise.reject(new Error('engine broke')),
    };
    const result = await convert(glyphIdFontPdf([GARBLED_LINE], [PLAIN_LINE]), {}, { ocr });
    expect(result.markdown.trim()).toBe(PLAIN_LINE.text);
    expect(result.warnings.map((w) => [w.code, w.page]).sort()).toEqual([
      ['garbled_text', 1],
      ['ocr_failed', 1],
    ]);
  });
});

describe('pdf text drawn as vector outlines', () => {
  /** Block letters "HI" drawn as filled paths: something is on the page, but no text layer. */
  async function outlinedText(): Promise<Uint8Array> {
    const doc = await PDFDocument.create();
    const page = doc.addPage([612, 792]);
    const H = 'M 0 0 L 8 0 L 8 16 L 24 16 L 24 0 L 32 0 L 32 40 L 24 40 L 24 24 L 8 24 L 8 40 L 0 40 Z';
    const I = 'M 40 0 L 48 0 L 48 40 L 40 40 Z';
    page.drawSvgPath(`${H} ${I}`, { x: 72, y: 700 });
    return doc.save();
  }

  test('without OCR the page warns needs_ocr', async () => {
    const result = await convert(await outlinedText());
    expect(result.warnings).toContainEqual(expect.objectContaining({ code: 'needs_ocr', page: 1 }));
  });

  test('with OCR the page is recognized', async () => {
    const { ocr, seen } = fakeOcr('HI');
    const result = await convert(await outlinedText(), {}, { ocr });
    expect(seen).toHaveLength(1);
    expect(result.ocrPages).toEqual([1]);
    expect(result.markdown.trim()).toBe('HI');
  });
});
