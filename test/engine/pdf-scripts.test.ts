/**
 * Raised and lowered glyphs (a smaller font off the baseline) are kept apart from the text before them and
 * written as `<sup>…</sup>` / `<sub>…</sub>`: a footnote mark on a figure never becomes one more digit of it,
 * in paragraphs, in ruled table cells and in borderless table cells. A footnote's own number starting its line
 * stays plain text.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf, buildPdfWithLines, helveticaWidth, ruledGrid } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';
import { markScript, scriptPhrasing } from '../../shared/engine/formats/pdf/scripts.ts';

/** `base` at (x, y) and `mark` right after it, smaller and shifted by `rise` points (positive: raised). */
async function withMark(base: string, mark: string, x: number, y: number, size: number, rise: number) {
  const w = await helveticaWidth(base, size);
  return [
    { text: base, x, y, size },
    { text: mark, x: x + w, y: y - rise, size: size * 0.6 },
  ] satisfies TextSpec[];
}

describe('pdf superscripts and subscripts', () => {
  test('a footnote mark on a figure in a ruled table cell stays apart from the digits', async () => {
    const grid = ruledGrid(
      [72, 192, 312, 432],
      [100, 120, 140, 160],
      [
        ['State', 'Total', 'Loans'],
        ['Kerala', '29.03', ''],
        ['Punjab', '19.18', '10.93'],
      ],
    );
    // "24.91" with a raised footnote mark "2" in the empty cell (the grid insets text by 4 pt, baseline +14).
    const marked = await withMark('24.91', '2', 316, 134, 10, 3.5);
    const md = (await convert(await buildPdfWithLines([{ text: [...grid.text, ...marked], lines: grid.lines }])))
      .markdown;
    expect(md).toContain('| Kerala | 29.03 | 24.91<sup>2</sup> |');
    expect(md).not.toContain('24.912');
  });

  test('a footnote mark in a borderless table cell stays apart from the digits', async () => {
    const rows = [
      ['Region', '2022', '2023'],
      ['North', '1,250', '1,310'],
      ['South', '980', ''],
      ['East', '1,040', '1,120'],
      ['West', '760', '805'],
    ];
    const text: TextSpec[] = rows.flatMap((r, i) =>
      r.map((t, c) => ({ text: t, x: [72, 250, 350][c], y: 120 + i * 16, size: 10 })).filter((t) => t.text),
    );
    text.push(...(await withMark('1,015', '3', 350, 120 + 2 * 16, 10, 3.5)));
    const md = (await convert(await buildPdf([[{ text: 'Units sold by region', x: 72, y: 90, size: 14 }, ...text]])))
      .markdown;
    expect(md).toMatch(/\| South \| 980 \| 1,015<sup>3<\/sup> \|/);
    expect(md).not.toContain('1,0153');
  });

  test('in a paragraph: a mark after a word is attached as <sup>, a lowered digit as <sub>, a footnote number stays plain', async () => {
    const size = 11;
    const rose = await withMark('Revenue rose', '4', 72, 100, size, 3.8);
    const roseEnd = 72 + (await helveticaWidth('Revenue rose', size)) + (await helveticaWidth('4', size * 0.6));
    const h = await withMark('The sample held H', '2', 72, 116, size, -1.8);
    const hEnd = 72 + (await helveticaWidth('The sample held H', size)) + (await helveticaWidth('2', size * 0.6));
    const md = (
      await convert(
        await buildPdf([
          [
            ...rose,
            { text: ' by a tenth in the year under review, as the table shows.', x: roseEnd, y: 100, size },
            ...h,
            { text: 'O and nothing else at the end of the trial.', x: hEnd, y: 116, size },
            { text: '4', x: 72, y: 150, size: 6.6 },
            { text: 'Before the one-off sale of the northern depot.', x: 77, y: 153, size: 9 },
          ],
        ]),
      )
    ).markdown;
    expect(md).toContain('Revenue rose<sup>4</sup> by a tenth');
    expect(md).toContain('held H<sub>2</sub>O and nothing else');
    expect(md).toMatch(/4 Before the one-off sale/);
  });
});

describe('script marks in cell strings', () => {
  it('writes marked parts as tags and leaves unclosed marks as text, in linear time', () => {
    expect(scriptPhrasing(`12${markScript('a', 'sup')} H${markScript('2', 'sub')}O`)).toEqual([
      { type: 'text', value: '12' },
      { type: 'html', value: '<sup>' },
      { type: 'text', value: 'a' },
      { type: 'html', value: '</sup>' },
      { type: 'text', value: ' H' },
      { type: 'html', value: '<sub>' },
      { type: 'text', value: '2' },
      { type: 'html', value: '</sub>' },
      { type: 'text', value: 'O' },
    ]);
    // Page text never holds these control characters (they are dropped when runs are read), but 200,000
    // unclosed marks once cost a scan to the end from each of them.
    const unclosed = '\u0001'.repeat(200_000) + '\u0004';
    expect(scriptPhrasing(unclosed)).toEqual([{ type: 'text', value: unclosed }]);
  });
});
