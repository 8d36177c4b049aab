/**
 * PDF ruled tables whose header row carries group labels: the label sits on its own line over several
 * sub-columns, and the rules between those sub-columns start below it, inside the same ruled row. GFM has one
 * header row, so the label is read into every column it spans ("Pre-Sale Handgun", "Pre-Sale Long Gun", …).
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdfWithLines, type LineSpec, type TextSpec } from '../fixtures/pdf.ts';
import { pipeTableRows } from '../fixtures/markdown.ts';

/**
 * Columns State | Pre-Sale (Handgun, Long Gun, Other) | Rentals (Handgun, Long Gun) | Total. Rules at the
 * group edges run the full height; the rules inside a group start `innerFrom` points below the header's top.
 */
function groupedTable(innerFrom: number): { text: TextSpec[]; lines: LineSpec[] } {
  const xs = [40, 120, 180, 240, 300, 360, 420, 480];
  const full = new Set([40, 120, 300, 420, 480]);
  const rowsY = [100, 132, 148, 164, 180];
  const lines: LineSpec[] = rowsY.map((y) => ({ x0: xs[0], y0: y, x1: xs[xs.length - 1], y1: y }));
  for (const x of xs) lines.push({ x0: x, y0: full.has(x) ? 100 : 100 + innerFrom, x1: x, y1: 180 });
  const text: TextSpec[] = [
    { text: 'Pre-Sale', x: 194, y: 111, size: 8 },
    { text: 'Rentals', x: 346, y: 111, size: 8 },
    { text: 'State', x: 44, y: 127, size: 8 },
    { text: 'Handgun', x: 124, y: 127, size: 8 },
    { text: 'Long Gun', x: 184, y: 127, size: 8 },
    { text: 'Other', x: 244, y: 127, size: 8 },
    { text: 'Handgun', x: 304, y: 127, size: 8 },
    { text: 'Long Gun', x: 364, y: 127, size: 8 },
    { text: 'Total', x: 424, y: 127, size: 8 },
  ];
  const body = [
    ['Alabama', '14', '15', '0', '13', '14', '56'],
    ['Alaska', '9', '3', '0', '0', '0', '12'],
    ['Arizona', '5', '3', '1', '9', '6', '24'],
  ];
  body.forEach((row, r) => row.forEach((t, c) => text.push({ text: t, x: xs[c] + 4, y: rowsY[r + 1] + 12, size: 8 })));
  return { text, lines };
}

describe('pdf ruled tables: group labels over sub-columns', () => {
  test('a group label whose inner rules start below it labels every column it spans, in one header row', async () => {
    const pdf = await buildPdfWithLines([groupedTable(14)]);
    const rows = pipeTableRows((await convert(pdf, { fileName: 'grouped.pdf' })).markdown);
    expect(rows[0]).toEqual([
      'State',
      'Pre-Sale Handgun',
      'Pre-Sale Long Gun',
      'Pre-Sale Other',
      'Rentals Handgun',
      'Rentals Long Gun',
      'Total',
    ]);
    expect(rows.slice(1)).toEqual([
      ['Alabama', '14', '15', '0', '13', '14', '56'],
      ['Alaska', '9', '3', '0', '0', '0', '12'],
      ['Arizona', '5', '3', '1', '9', '6', '24'],
    ]);
  });

  test('inner rules running the full header height keep each label in its own column', async () => {
    const pdf = await buildPdfWithLines([groupedTable(0)]);
    const rows = pipeTableRows((await convert(pdf, { fileName: 'grouped.pdf' })).markdown);
    // Every rule reaches the label line: nothing spans, the label belongs to the column holding it.
    expect(rows[0].filter((c) => c.includes('Pre-Sale'))).toHaveLength(1);
    expect(rows[0].filter((c) => c.includes('Rentals'))).toHaveLength(1);
    expect(rows[1]).toEqual(['Alabama', '14', '15', '0', '13', '14', '56']);
  });
});
