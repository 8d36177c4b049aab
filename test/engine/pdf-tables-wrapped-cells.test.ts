/**
 * PDF tables without vertical rules, rows told apart by text lines: a line with no row label whose cells are
 * words under cells of the line above is those cells wrapped onto a second line, not a row of its own
 * (a column-number row "1 | 2= | 3 | 4 | 5=" with "(3 to 4)" under "2=").
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdfWithLines, type LineSpec, type TextSpec } from '../fixtures/pdf.ts';
import { pipeTableRows } from '../fixtures/markdown.ts';

describe('pdf tables: cells wrapped onto a line without a row label', () => {
  test('a wrapped formula under the column numbers stays in their row', async () => {
    const xs = [50, 160, 220, 280, 340];
    const lines: LineSpec[] = [100, 124, 160, 230].map((y) => ({ x0: 40, y0: y, x1: 400, y1: y }));
    const text: TextSpec[] = [];
    const row = (cells: string[], y: number) =>
      cells.forEach((t, c) => t && text.push({ text: t, x: xs[c], y, size: 9 }));
    row(['States', 'Total', 'Market', 'NSSF', 'Other'], 116);
    row(['1', '2=', '3', '4', '5='], 138);
    row(['', '(3 to 5)', '', '', '(6 to 8)'], 150);
    row(['Assam', '12.69', '10.02', '2.41', '0.26'], 176);
    row(['Bihar', '40.75', '41.54', '0.19', '-1.42'], 192);
    row(['Goa', '1.40', '1.02', '0.31', '0.38'], 208);
    row(['Kerala', '29.03', '24.91', '4.11', '1.77'], 224);
    const pdf = await buildPdfWithLines([{ text, lines }]);
    const rows = pipeTableRows((await convert(pdf, { fileName: 'wrapped.pdf' })).markdown);
    expect(rows).toEqual([
      ['States', 'Total', 'Market', 'NSSF', 'Other'],
      ['1', '2= (3 to 5)', '3', '4', '5= (6 to 8)'],
      ['Assam', '12.69', '10.02', '2.41', '0.26'],
      ['Bihar', '40.75', '41.54', '0.19', '-1.42'],
      ['Goa', '1.40', '1.02', '0.31', '0.38'],
      ['Kerala', '29.03', '24.91', '4.11', '1.77'],
    ]);
  });
});
