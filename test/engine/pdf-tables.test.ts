/** PDF tables: ruled grids from drawn lines, merged cells, borderless financial tables, prose not mistaken for one. */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf, buildPdfWithLines, paragraphLines, ruledGrid } from '../fixtures/pdf.ts';

/** The rows of the first pipe table in some Markdown, cells trimmed. */
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

describe('pdf tables', () => {
  test('a ruled 3×3 table becomes a GFM table with its cells in place', async () => {
    const grid = ruledGrid(
      [72, 192, 312, 432],
      [100, 120, 140, 160],
      [
        ['Name', 'Colour', 'Count'],
        ['apple', 'red', '12'],
        ['pear', 'green', '7'],
      ],
    );
    const pdf = await buildPdfWithLines([
      { text: [{ text: 'Fruit in stock this week.', x: 72, y: 80 }, ...grid.text], lines: grid.lines },
    ]);
    const md = (await convert(pdf)).markdown;
    expect(firstTable(md)).toEqual([
      ['Name', 'Colour', 'Count'],
      ['apple', 'red', '12'],
      ['pear', 'green', '7'],
    ]);
    expect(md.indexOf('Fruit in stock')).toBeLessThan(md.indexOf('| Name'));
  });

  test('a header cell spanning two columns (a missing inner rule) names both in the one header row', async () => {
    const grid = ruledGrid(
      [72, 192, 312, 432],
      [100, 120, 140, 160],
      [
        ['Region', 'Sales', ''],
        ['', '2023', '2024'],
        ['North', '150', '175'],
      ],
      [[0, 2]],
    );
    // The first column's header spans the two header rows: no rule between them in that column.
    grid.lines = grid.lines.filter((l) => !(l.y0 === 120 && l.y1 === 120));
    grid.lines.push({ x0: 192, y0: 120, x1: 432, y1: 120 });
    const pdf = await buildPdfWithLines([{ text: grid.text, lines: grid.lines }]);
    const rows = firstTable((await convert(pdf)).markdown);
    // GFM has one header row: the spanning label is read into each column's own (group-header.ts).
    expect(rows?.[0]).toEqual(['Region', 'Sales: 2023', 'Sales: 2024']);
    expect(rows?.[1]).toEqual(['North', '150', '175']);
  });

  test('a borderless financial table: labels and two columns of figures with parenthesised negatives', async () => {
    const rows: [string, string, string][] = [
      ['Revenue', '1,250', '1,100'],
      ['Cost of sales', '(430)', '(390)'],
      ['Gross profit', '820', '710'],
      ['Operating expenses', '(515)', '(480)'],
      ['Net income', '305', '230'],
    ];
    const text = [
      { text: 'Statement of income for the year, in thousands of dollars.', x: 72, y: 80 },
      { text: '2024', x: 330, y: 110, bold: true },
      { text: '2023', x: 430, y: 110, bold: true },
      // Figures are right-aligned at x = 360 and x = 460, as in a printed statement.
      ...rows.flatMap(([label, a, b], i) => [
        { text: label, x: 72, y: 130 + i * 16, size: 10 },
        { text: a, x: 360 - a.length * 5.6, y: 130 + i * 16, size: 10 },
        { text: b, x: 460 - b.length * 5.6, y: 130 + i * 16, size: 10 },
      ]),
    ];
    const md = (await convert(await buildPdf([text]))).markdown;
    const table = firstTable(md);
    expect(table).toBeDefined();
    expect(table).toContainEqual(['Cost of sales', '(430)', '(390)']);
    expect(table).toContainEqual(['Net income', '305', '230']);
  });

  test('prose in two columns is not turned into a table', async () => {
    const left = [
      'The committee met on Tuesday and agreed',
      'to postpone the decision until the next',
      'meeting, when more figures will be ready',
      'for everyone to read and discuss them.',
    ];
    const right = [
      'Members asked for a summary of the costs',
      'so far, and for a plan that shows how the',
      'remaining budget will be spent over the',
      'coming months of the financial year.',
    ];
    const pdf = await buildPdf([[...paragraphLines(left, 50, 100, 10), ...paragraphLines(right, 320, 100, 10)]]);
    const md = (await convert(pdf)).markdown;
    expect(md).not.toContain('|');
    expect(md).toContain(left.join(' '));
  });

  test('two horizontal rules around prose do not make a table', async () => {
    const body = [
      'A boxed note with a rule above and below it, written as',
      'ordinary sentences that run across the whole measure of',
      'the page without any columns or figures in them at all.',
    ];
    const pdf = await buildPdfWithLines([
      {
        text: paragraphLines(body, 72, 120, 10),
        lines: [
          { x0: 72, y0: 100, x1: 540, y1: 100 },
          { x0: 72, y0: 170, x1: 540, y1: 170 },
        ],
      },
    ]);
    const md = (await convert(pdf)).markdown;
    expect(md).not.toContain('|');
    expect(md).toContain(body.join(' '));
  });
});
