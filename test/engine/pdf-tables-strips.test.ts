/**
 * Statistical tables in the booktabs style, as state-finance and census reports print them: a caption with a
 * parenthesised qualifier ("(As at end-March)", "(in millions)"), a ruled header whose labels wrap over several
 * lines, a long body with no rules, and a totals row in a ruled strip of its own at the bottom. The totals row
 * is the table's last row (not a stray paragraph), each header label is one cell, and the qualifier stays a
 * caption line above the table.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdfWithLines, ruledGrid } from '../fixtures/pdf.ts';
import type { LineSpec, TextSpec } from '../fixtures/pdf.ts';

/** 30 regions of figures: body rows 17 pt apart, so the body runs well over 400 pt between its rules. */
function statisticalTable(): { text: TextSpec[]; lines: LineSpec[] } {
  const cols = [50, 180, 260, 340, 420];
  const text: TextSpec[] = [
    { text: 'TABLE 7: REVENUE BY REGION - 2021', x: 160, y: 40, size: 11 },
    { text: '(As at end-March)', x: 250, y: 56, size: 11 },
    { text: '(in millions)', x: 450, y: 72, size: 9 },
  ];
  const lines: LineSpec[] = [];
  const rule = (y: number) => lines.push({ x0: 46, y0: y, x1: 500, y1: y });
  rule(80);
  // Header labels wrapped over three lines, in each column.
  const labels = [
    ['Region'],
    ['Total', 'Gross', 'Revenue'],
    ['Tax', 'Receipts'],
    ['Grants', 'from', 'Centre'],
    ['Other'],
  ];
  labels.forEach((words, c) => words.forEach((w, i) => text.push({ text: w, x: cols[c], y: 94 + i * 11, size: 9 })));
  rule(128);
  let y = 145;
  const totals = [0, 0, 0, 0];
  for (let i = 0; i < 30; i++) {
    const figures = [100 + i * 7, 60 + i * 3, 30 + i * 2, 10 + i * 2].map((v) => v + 0.25);
    figures.forEach((v, k) => (totals[k] += v));
    text.push({ text: `Region ${String.fromCharCode(65 + (i % 26))}${i}`, x: cols[0], y, size: 9 });
    figures.forEach((v, k) => text.push({ text: v.toFixed(2), x: cols[k + 1], y, size: 9 }));
    y += 17;
  }
  rule(y - 8);
  text.push({ text: 'ALL REGIONS', x: cols[0], y: y + 6, size: 9 });
  totals.forEach((v, k) => text.push({ text: v.toFixed(2), x: cols[k + 1], y: y + 6, size: 9 }));
  rule(y + 12);
  text.push({ text: 'Source: regional accounts.', x: 50, y: y + 30, size: 9 });
  return { text, lines };
}

describe('pdf booktabs tables with a ruled totals strip', () => {
  test('one table: wrapped header labels as cells, the totals row last, the qualifier above', async () => {
    const { text, lines } = statisticalTable();
    const md = (await convert(await buildPdfWithLines([{ text, lines }], [612, 792]))).markdown;
    const tableLines = md.split('\n').filter((l) => l.startsWith('|'));
    expect(tableLines[0]).toBe('| Region | Total Gross Revenue | Tax Receipts | Grants from Centre | Other |');
    expect(tableLines[tableLines.length - 1]).toBe('| ALL REGIONS | 6052.50 | 3112.50 | 1777.50 | 1177.50 |');
    expect(tableLines).toHaveLength(2 + 30 + 1);
    for (const qualifier of ['(As at end-March)', '(in millions)']) {
      expect(md).toContain(qualifier);
      expect(md.indexOf(qualifier)).toBeLessThan(md.indexOf('| Region'));
      expect(tableLines.some((l) => l.includes(qualifier))).toBe(false);
    }
    expect(md).toContain('Source: regional accounts.');
  });

  test('two booktabs tables with prose between them stay two tables', async () => {
    const text: TextSpec[] = [];
    const lines: LineSpec[] = [];
    const table = (top: number) => {
      lines.push({ x0: 46, y0: top, x1: 500, y1: top }, { x0: 46, y0: top + 20, x1: 500, y1: top + 20 });
      ['Item', 'Count', 'Share'].forEach((h, c) => text.push({ text: h, x: 50 + c * 150, y: top + 14, size: 9 }));
      for (let i = 0; i < 3; i++)
        ['Thing ' + i, String(10 + i), `${20 + i}.5`].forEach((t, c) =>
          text.push({ text: t, x: 50 + c * 150, y: top + 34 + i * 14, size: 9 }),
        );
      lines.push({ x0: 46, y0: top + 80, x1: 500, y1: top + 80 });
    };
    table(60);
    for (let i = 0; i < 30; i++)
      text.push({
        text: 'Prose between the two tables runs across the whole measure of the page here.',
        x: 50,
        y: 160 + i * 14,
        size: 10,
      });
    table(600);
    const md = (await convert(await buildPdfWithLines([{ text, lines }]))).markdown;
    expect(md.match(/^\| Item \| Count \| Share \|$/gm)).toHaveLength(2);
    expect(md).not.toMatch(/^\|[^\n]*Prose between/m);
  });

  test('a title boxed across the top of a ruled grid is a caption above the table, not its first row', async () => {
    const columns = [60, 180, 260, 340, 420];
    const grid = ruledGrid(
      columns,
      [80, 120, 140, 160, 180],
      [
        ['', '', '', ''],
        ['Region', 'Permits', 'Checks', 'Totals'],
        ['North', '1,200', '3,400', '4,600'],
        ['South', '900', '1,100', '2,000'],
      ],
      // The title row has no inner vertical rules: one box across the table.
      [1, 2, 3].map((k) => [0, k] as [number, number]),
    );
    const text = [
      ...grid.text,
      { text: 'Firearm Checks by Region', x: 170, y: 96, size: 14 },
      { text: 'November - 2015', x: 195, y: 113, size: 12 },
    ];
    const md = (await convert(await buildPdfWithLines([{ text, lines: grid.lines }]))).markdown;
    const tableLines = md.split('\n').filter((l) => l.startsWith('|'));
    expect(tableLines[0]).toBe('| Region | Permits | Checks | Totals |');
    expect(tableLines).toContain('| South | 900 | 1,100 | 2,000 |');
    expect(md).toContain('Firearm Checks by Region');
    expect(md).toContain('November - 2015');
    expect(md.indexOf('November - 2015')).toBeLessThan(md.indexOf('| Region'));
    expect(tableLines.some((l) => /Firearm|November/.test(l))).toBe(false);
  });
});
