/** Borderless PDF tables: cells set close together, header lines above the first row, wrapped header rows. */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';

function firstTable(md: string): string[][] | undefined {
  const lines = md.split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  if (start < 0) return undefined;
  const rows: string[][] = [];
  for (let i = start; i < lines.length && lines[i].startsWith('|'); i++) {
    if (/^\|[\s:|-]+\|$/.test(lines[i])) continue;
    rows.push(
      lines[i]
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** Right-aligned figure at `right` (Helvetica digits are 0.556 em wide). */
const figure = (text: string, right: number, y: number, size = 10): TextSpec => ({
  text,
  x: right - text.length * 0.556 * size,
  y,
  size,
});

describe('pdf borderless tables', () => {
  test('label and value cells a few points apart land in their own columns', async () => {
    // Each label is followed by its value less than a font size away: one text line, two cells.
    const rows: [string, string, string, string][] = [
      ['Claim', 'SF-1008', 'Year', '2022'],
      ['Policy', 'POL-555', 'Miles', '9,800'],
      ['Phone', '111-1111', 'Doors', '4'],
      ['Agent', 'E. Turner', 'Seats', '5'],
    ];
    const text: TextSpec[] = [{ text: 'Claim details as recorded by the insurer.', x: 72, y: 80 }];
    rows.forEach(([a, b, c, d], i) => {
      const y = 110 + i * 14;
      text.push({ text: a, x: 72, y, size: 10, bold: true }, { text: b, x: 72 + 42, y, size: 10 });
      text.push({ text: c, x: 300, y, size: 10, bold: true }, figure(d, 380, y));
    });
    const table = firstTable((await convert(await buildPdf([text]))).markdown);
    expect(table).toBeDefined();
    expect(table).toContainEqual(['Claim', 'SF-1008', 'Year', '2022']);
    expect(table).toContainEqual(['Agent', 'E. Turner', 'Seats', '5']);
  });

  test('a line just above the figure columns ("Year Ended") becomes the header, spread over the columns it spans', async () => {
    const body: [string, string, string][] = [
      ['Cost of revenue', '178', '141'],
      ['Research and development', '3,423', '2,532'],
      ['Sales and marketing', '1,136', '876'],
      ['Total', '4,737', '3,549'],
    ];
    const text: TextSpec[] = [
      { text: 'Stock-based compensation expense was as follows:', x: 72, y: 80 },
      // Centred over both figure columns (300–360 and 400–460).
      { text: 'Year Ended', x: 352, y: 104, size: 10, bold: true },
      { text: 'Jan 2025', x: 318, y: 118, size: 10, bold: true },
      { text: 'Jan 2024', x: 418, y: 118, size: 10, bold: true },
      ...body.flatMap(([label, a, b], i) => [
        { text: label, x: 72, y: 134 + i * 14, size: 10 },
        figure(a, 360, 134 + i * 14),
        figure(b, 460, 134 + i * 14),
      ]),
    ];
    const md = (await convert(await buildPdf([text]))).markdown;
    const table = firstTable(md);
    expect(table?.[0]).toEqual(['', 'Year Ended', 'Year Ended']);
    expect(table?.[1]).toEqual(['', 'Jan 2025', 'Jan 2024']);
    expect(table).toContainEqual(['Sales and marketing', '1,136', '876']);
    // The header is in the table, not left behind as a heading or paragraph.
    expect(md.split('\n').filter((l) => l.includes('Year Ended'))).toHaveLength(1);
  });

  test('a column header wrapped over two lines is joined into one header row', async () => {
    const body: [string, string, string][] = [
      ['North', '1,250', '305'],
      ['South', '980', '(12)'],
      ['East', '1,410', '420'],
    ];
    const text: TextSpec[] = [
      { text: 'Results by region.', x: 72, y: 80 },
      { text: 'Gross', x: 330, y: 104, size: 10, bold: true },
      { text: 'Net', x: 440, y: 104, size: 10, bold: true },
      { text: 'revenue', x: 330, y: 116, size: 10, bold: true },
      { text: 'income', x: 440, y: 116, size: 10, bold: true },
      ...body.flatMap(([label, a, b], i) => [
        { text: label, x: 72, y: 132 + i * 14, size: 10 },
        figure(a, 370, 132 + i * 14),
        figure(b, 470, 132 + i * 14),
      ]),
    ];
    const table = firstTable((await convert(await buildPdf([text]))).markdown);
    expect(table?.[0]).toEqual(['', 'Gross revenue', 'Net income']);
    expect(table?.[1]).toEqual(['North', '1,250', '305']);
    expect(table).toHaveLength(4);
  });
});
