/**
 * Fake bold: every glyph drawn twice, the copy shifted by 0.3 pt right and 0.2 pt up, one glyph at a time (how
 * producers without a bold font thicken text). Each glyph is read once, in order, in paragraphs and in table
 * cells.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf, buildPdfWithLines, fakeBold, ruledGrid } from '../fixtures/pdf.ts';

describe('pdf overprinted glyphs', () => {
  test('a fake-bold line in a paragraph reads once, letters in order', async () => {
    const md = (
      await convert(
        await buildPdf([
          [
            { text: 'Normal text before the emphasised line.', x: 72, y: 100, size: 12 },
            ...(await fakeBold('BOLD TEXT SAMPLE', 72, 130, 12)),
            ...(await fakeBold('Warning: all bookkeeping settles weekly', 72, 160, 12)),
            // Narrow glyphs (i, l, t) in fixed glyph cells: both copies fit in one pdf.js item, which pdf.js
            // pads with spaces ("t ii n").
            ...(await fakeBold('Testing Deduplication in little italic lists', 72, 175, 12, 7)),
            { text: 'Normal text after it: the quick brown fox jumps over the lazy dog.', x: 72, y: 190, size: 12 },
          ],
        ]),
      )
    ).markdown;
    expect(md).toContain('BOLD TEXT SAMPLE');
    expect(md).toContain('Warning: all bookkeeping settles weekly');
    expect(md.split('Testing Deduplication in little italic lists').length - 1).toBe(1);
    expect(md).not.toMatch(/BB|OOLL|TTEE/);
    expect(md).toContain('Normal text after it: the quick brown fox');
  });

  test('fake-bold header cells of a ruled table read once', async () => {
    const grid = ruledGrid(
      [72, 192, 312, 432],
      [100, 120, 140, 160],
      [
        ['', '', ''],
        ['Apples', '12', '1,200'],
        ['Pears', '7', '830'],
      ],
    );
    const header = [
      ...(await fakeBold('Fruit', 76, 114, 10)),
      ...(await fakeBold('Boxes', 196, 114, 10)),
      ...(await fakeBold('Weight', 316, 114, 10)),
    ];
    const md = (await convert(await buildPdfWithLines([{ text: [...grid.text, ...header], lines: grid.lines }])))
      .markdown;
    expect(md).toContain('| Fruit | Boxes | Weight |');
    expect(md).toContain('| Apples | 12 | 1,200 |');
  });
});
