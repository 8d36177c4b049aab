/**
 * Vertical Japanese (tategaki): columns read top to bottom, columns right to left. Built two ways, as PDFs
 * draw it: glyph by glyph in a horizontal font (each glyph placed under the one before), and with a vertical
 * font (Type0, Identity-V CMap: one text item per column). Neither may come out as a table of single
 * characters or as rows taken across the columns.
 */
import { convert } from '../../shared/engine/engine.ts';
import { unicodeTextPdf, writeRawPdf } from '../fixtures/pdf.ts';
import type { GlyphText } from '../fixtures/pdf.ts';

const PARAGRAPHS = [
  '吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。',
  '何でも薄暗いじめじめした所で泣いていた事だけは記憶している。',
];
/** Glyphs per column. */
const PER_COLUMN = 8;
const SIZE = 12;

/** Columns of `PER_COLUMN` glyphs from x = 500 leftwards, 20 pt apart; each paragraph's first column one glyph down. */
function columns(): { x: number; top: number; text: string }[] {
  const out: { x: number; top: number; text: string }[] = [];
  let x = 500;
  for (const p of PARAGRAPHS) {
    const chars = [...p];
    let first = true;
    while (chars.length) {
      const n = first ? PER_COLUMN - 1 : PER_COLUMN;
      out.push({ x, top: first ? 100 + SIZE : 100, text: chars.splice(0, n).join('') });
      first = false;
      x -= 20;
    }
  }
  return out;
}

function glyphByGlyph(): Uint8Array {
  const texts: GlyphText[] = [{ text: 'Title line in a horizontal font', x: 72, y: 60, size: 12 }];
  for (const c of columns())
    [...c.text].forEach((ch, i) => texts.push({ text: ch, x: c.x, y: c.top + SIZE + i * SIZE, size: SIZE }));
  return unicodeTextPdf(texts);
}

/** A Type0 font with the Identity-V CMap (no embedded program: pdf.js substitutes), a ToUnicode map for its CIDs. */
function identityV(): Uint8Array {
  const chars = [...new Set(PARAGRAPHS.join(''))];
  const cid = (ch: string) => 1 + chars.indexOf(ch);
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  const height = 792;
  const content = columns()
    .map(
      (c) => `BT /F1 ${SIZE} Tf ${c.x} ${height - c.top} Td <${[...c.text].map((ch) => hex4(cid(ch))).join('')}> Tj ET`,
    )
    .join('\n');
  const cmap = [
    '/CIDInit /ProcSet findresource begin 12 dict begin begincmap',
    '/CMapName /Test-UCS def /CMapType 2 def',
    '1 begincodespacerange <0000> <FFFF> endcodespacerange',
    `${chars.length} beginbfchar`,
    ...chars.map((ch) => `<${hex4(cid(ch))}> <${hex4(ch.codePointAt(0)!)}>`),
    'endbfchar endcmap CMapName currentdict /CMap defineresource pop end end',
  ].join('\n');
  return writeRawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 ${height}] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>`,
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type0 /BaseFont /MSMincho /Encoding /Identity-V /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>',
    '<< /Type /Font /Subtype /CIDFontType2 /BaseFont /MSMincho /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 8 0 R /DW 1000 /DW2 [880 -1000] >>',
    `<< /Length ${cmap.length} >>\nstream\n${cmap}\nendstream`,
    '<< /Type /FontDescriptor /FontName /MSMincho /Flags 6 /FontBBox [0 -141 1000 859] /ItalicAngle 0 /Ascent 859 /Descent -141 /CapHeight 700 /StemV 80 >>',
  ]);
}

describe('pdf vertical CJK writing', () => {
  for (const [name, build] of [
    ['glyph by glyph in a horizontal font', glyphByGlyph],
    ['in an Identity-V vertical font', identityV],
  ] as const) {
    test(`${name}: columns top-down, right to left, one paragraph each`, async () => {
      const md = (await convert(build())).markdown;
      expect(md).not.toMatch(/^\|/m);
      for (const p of PARAGRAPHS) expect(md).toContain(p);
      expect(md.indexOf(PARAGRAPHS[0])).toBeLessThan(md.indexOf(PARAGRAPHS[1]));
      expect(md).not.toContain(PARAGRAPHS[0] + PARAGRAPHS[1]);
    });
  }

  test('horizontal Japanese set glyph by glyph in a grid stays horizontal', async () => {
    const texts: GlyphText[] = [];
    const lines = ['吾輩は猫である。名前は', 'まだ無い。どこで生れ', 'たかとんと見当がつか'];
    lines.forEach((line, k) =>
      [...line].forEach((ch, i) => texts.push({ text: ch, x: 72 + i * SIZE, y: 100 + k * 18, size: SIZE })),
    );
    const md = (await convert(unicodeTextPdf(texts))).markdown;
    expect(md.replace(/\s/g, '')).toContain(lines.join(''));
  });
});
