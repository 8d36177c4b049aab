/**
 * Type0 Identity-H fonts without a ToUnicode map, recovered through the embedded font program: its `cmap`
 * (inverted: glyph id → Unicode) or, without one, its `post` glyph names; with neither, the page goes to OCR or
 * warns `garbled_text`. Fixtures embed DejaVu Sans (fonts-dejavu-core) and draw Czech text by glyph id.
 */
import { convert } from '../../shared/engine/engine.ts';
import type { Ocr, OcrPage } from '../../shared/engine/ocr.ts';
import { sfntUnicode } from '../../shared/engine/formats/pdf/sfnt-unicode.ts';
import { glyphNameToUnicode, MAC_STANDARD_NAMES } from '../../shared/engine/formats/pdf/glyph-names.ts';
import { embeddedCidFontPdf, glyphIdsOf, systemTrueType, withoutTables } from '../fixtures/pdf.ts';

const font = systemTrueType();
if (!font) console.warn('pdf-cid-recovery: DejaVuSans.ttf not installed (apt-get install fonts-dejavu-core); SKIPPED');
const withFont = font ? test : test.skip;

const CZECH = 'Peněžní prostředky na účtech';
const SECOND = 'Žluťoučký kůň úpěl ďábelské ódy';

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

describe('CID fonts without ToUnicode: text from the embedded font', () => {
  withFont(
    'the cmap gives the exact Czech text, with no OCR and no garbled_text',
    async () => {
      const pdf = await embeddedCidFontPdf(font!, [
        { text: CZECH, x: 72, y: 100 },
        { text: SECOND, x: 72, y: 140 },
      ]);
      const { ocr, seen } = fakeOcr('should not be read');
      const result = await convert(pdf, {}, { ocr });
      expect(result.markdown).toContain(CZECH);
      expect(result.markdown).toContain(SECOND);
      expect(seen).toHaveLength(0);
      expect(result.warnings.filter((w) => w.code === 'garbled_text' || w.code === 'needs_ocr')).toEqual([]);
    },
    60_000,
  );

  withFont(
    'without a cmap, the post table glyph names give the text',
    async () => {
      const pdf = await embeddedCidFontPdf(withoutTables(font!, ['cmap']), [{ text: CZECH, x: 72, y: 100 }], font!);
      const result = await convert(pdf);
      expect(result.markdown).toContain(CZECH);
      expect(result.warnings.filter((w) => w.code === 'garbled_text')).toEqual([]);
    },
    60_000,
  );

  withFont(
    'with neither cmap nor glyph names: OCR reads the page, or garbled_text without OCR',
    async () => {
      const pdf = await embeddedCidFontPdf(
        withoutTables(font!, ['cmap', 'post']),
        [{ text: CZECH, x: 72, y: 100 }],
        font!,
      );
      const { ocr, seen } = fakeOcr('Penezni prostredky');
      const read = await convert(pdf, {}, { ocr });
      expect(seen).toHaveLength(1);
      expect(read.markdown).toContain('Penezni prostredky');
      const noOcr = await convert(pdf);
      expect(noOcr.markdown).not.toContain('prost');
      expect(noOcr.warnings).toContainEqual(expect.objectContaining({ code: 'garbled_text', page: 1 }));
    },
    60_000,
  );
});

describe('sfnt cmap and glyph names under hostile bytes', () => {
  withFont('truncated or corrupted fonts yield a partial map or none, never a throw', () => {
    const whole = sfntUnicode(font!);
    expect(whole.glyphs.get(glyphIdsOf(font!, 'ě')[0])).toBe('ě');
    for (const cut of [0, 3, 12, 100, 1000, 50_000, font!.length - 1]) {
      expect(() => sfntUnicode(font!.subarray(0, cut))).not.toThrow();
    }
    const noisy = new Uint8Array(font!);
    for (let i = 12; i < noisy.length; i += 97) noisy[i] ^= 0xa5;
    expect(() => sfntUnicode(noisy)).not.toThrow();
    expect(sfntUnicode(new Uint8Array(64)).source).toBe('none');
  });

  test('glyph names follow the AGL rules', () => {
    expect(MAC_STANDARD_NAMES).toHaveLength(258);
    expect(MAC_STANDARD_NAMES[3]).toBe('space');
    expect(MAC_STANDARD_NAMES[36]).toBe('A');
    expect(MAC_STANDARD_NAMES[257]).toBe('dcroat');
    expect(glyphNameToUnicode('ecaron')).toBe('ě');
    expect(glyphNameToUnicode('Scaron')).toBe('Š');
    expect(glyphNameToUnicode('uni0159')).toBe('ř');
    expect(glyphNameToUnicode('u1F600')).toBe('😀');
    expect(glyphNameToUnicode('f_i')).toBe('fi');
    expect(glyphNameToUnicode('a.sc')).toBe('a');
    expect(glyphNameToUnicode('.notdef')).toBeUndefined();
    expect(glyphNameToUnicode('glyph123')).toBeUndefined();
    expect(glyphNameToUnicode('uniD800')).toBeUndefined();
    expect(glyphNameToUnicode('qcaron')).toBeUndefined();
  });
});
