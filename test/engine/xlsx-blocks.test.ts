/**
 * The block rule of `shared/engine/formats/xlsx/grid.ts`: blank single rows and columns inside a block are
 * spacing, larger gaps and misaligned neighbours separate blocks, a short title above a table is a caption.
 */
import { serialize } from '../../shared/engine/markdown.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import type { ConversionWarning } from '../../shared/engine/types.ts';
import { convertXlsx } from '../../shared/engine/formats/xlsx/index.ts';
import { findRegions } from '../../shared/engine/formats/xlsx/grid.ts';
import type { SheetCell } from '../../shared/engine/formats/xlsx/grid.ts';
import { buildXlsx } from '../fixtures/xlsx.ts';
import type { XlsxCell } from '../fixtures/xlsx.ts';

function toMarkdown(cells: Record<string, XlsxCell>, merges?: string[]) {
  const warnings: ConversionWarning[] = [];
  const tree = convertXlsx(buildXlsx({ sheets: [{ name: 'S', cells, merges }] }), {
    options: {},
    limits: DEFAULT_LIMITS,
    warn: (w) => warnings.push(w),
  });
  return { markdown: serialize(tree.root).markdown, warnings };
}

/** Number of GFM tables in the Markdown (one delimiter row each). */
const tableCount = (markdown: string) => markdown.split('\n').filter((l) => /^\| ---/.test(l)).length;

describe('xlsx blocks', () => {
  it('keeps a financial statement one table: label column, spacer column, values, spacer rows between sections', () => {
    const { markdown } = toMarkdown({
      A1: 'Income statement (USD thousands)',
      A3: 'Line item',
      C3: 'FY 2022',
      D3: 'FY 2023',
      A4: 'Revenue',
      C4: 100,
      D4: 120,
      A5: 'Cost of sales',
      C5: -40,
      D5: -50,
      A7: 'Gross profit',
      C7: 60,
      D7: 70,
      A8: 'Operating expenses',
      A9: 'Wages',
      C9: 10,
      D9: 12,
    });
    expect(markdown).toBe(
      [
        '## S',
        '',
        '| Income statement (USD thousands) |',
        '| --- |',
        '',
        '| Line item | FY 2022 | FY 2023 |',
        '| --- | --- | --- |',
        '| Revenue | 100 | 120 |',
        '| Cost of sales | -40 | -50 |',
        '| Gross profit | 60 | 70 |',
        '| Operating expenses | | |',
        '| Wages | 10 | 12 |',
        '',
      ].join('\n'),
    );
  });

  it('keeps page numbers beside their topics in an index split by a blank column, sections by blank rows', () => {
    const cells: Record<string, XlsxCell> = {};
    const sections = [
      { title: 'Finance', topics: ['Revenue', 'Cash flow'] },
      { title: 'Operations', topics: ['Customers', 'Churn', 'Usage'] },
    ];
    let r = 3;
    let page = 1;
    for (const s of sections) {
      cells[`B${r++}`] = s.title;
      Object.assign(cells, { [`B${r}`]: 'Topic', [`C${r}`]: 'Period', [`F${r}`]: 'Page' });
      r++;
      for (const t of s.topics) {
        Object.assign(cells, { [`B${r}`]: t, [`C${r}`]: 'FY 23', [`F${r}`]: page++ });
        if (t === 'Cash flow') cells[`D${r}`] = 'FY 24';
        r++;
      }
      r++; // one blank row between sections
    }
    const { markdown } = toMarkdown(cells);
    expect(tableCount(markdown)).toBe(1);
    expect(markdown).toContain('| Revenue | FY 23 | | 1 |');
    expect(markdown).toContain('| Cash flow | FY 23 | FY 24 | 2 |');
    expect(markdown).toContain('| Usage | FY 23 | | 5 |');
    expect(markdown).toContain('| Topic | Period | | Page |');
    // Column E is empty in every row: it is not emitted as an empty column.
    expect(markdown).toContain('| Finance | | | |\n| --- | --- | --- | --- |\n');
    expect(markdown).not.toMatch(/^\| Page \|/m);
  });

  it('separates blocks by two blank rows or columns', () => {
    const { markdown } = toMarkdown({
      A1: 'a',
      B1: 'b',
      A2: 1,
      B2: 2,
      E1: 'c',
      F1: 'd',
      E2: 3,
      F2: 4,
      A5: 'e',
      B5: 'f',
      A6: 5,
      B6: 6,
    });
    expect(tableCount(markdown)).toBe(3);
    expect(markdown).toContain('| a | b |\n| --- | --- |\n| 1 | 2 |');
    expect(markdown).toContain('| c | d |\n| --- | --- |\n| 3 | 4 |');
    expect(markdown).toContain('| e | f |\n| --- | --- |\n| 5 | 6 |');
  });

  it('keeps neighbours across one blank line apart when they are not aligned', () => {
    // Left table rows 1–4; right table rows 4–7, one blank column between: they only share row 4.
    const side = toMarkdown({
      A1: 'l1',
      B1: 'l2',
      A2: 1,
      B2: 2,
      A3: 3,
      B3: 4,
      A4: 5,
      B4: 6,
      D4: 'r1',
      E4: 'r2',
      D5: 7,
      E5: 8,
      D6: 9,
      E6: 10,
      D7: 11,
      E7: 12,
    });
    expect(tableCount(side.markdown)).toBe(2);
    expect(side.markdown).toContain('| l1 | l2 |');
    expect(side.markdown).toContain('| r1 | r2 |');
    // Stacked with one blank row but in different columns (A–B, then C–E).
    const stacked = toMarkdown({ A1: 'x', B1: 'y', A2: 1, B2: 2, C4: 'p', D4: 'q', E4: 'r', C5: 3, D5: 4, E5: 5 });
    expect(tableCount(stacked.markdown)).toBe(2);
  });

  it('keeps a one-column list together across a blank row (no caption without a wider table below)', () => {
    const { markdown } = toMarkdown({ A1: 'Names', A2: 'Ada', A4: 'Grace', A5: 'Linus' });
    expect(markdown).toBe('## S\n\n| Names |\n| --- |\n| Ada |\n| Grace |\n| Linus |\n');
  });

  it('treats a merged title spanning the table width as a caption', () => {
    const { markdown } = toMarkdown({ A1: 'Quarterly sales', A3: 'Region', B3: 'Q1', A4: 'North', B4: 7 }, ['A1:B1']);
    expect(markdown).toContain('| Quarterly sales |\n| --- |\n\n| Region | Q1 |');
  });

  it('cuts a large sparse sheet in near-linear time', () => {
    // A checkerboard of 1-cell blocks separated by single blank lines: every gap is a spacer candidate.
    const cells: SheetCell[] = [];
    for (let r = 0; r < 400; r += 2) for (let c = 0; c < 100; c += 2) cells.push({ row: r, col: c, text: 'x' });
    const started = performance.now();
    const regions = findRegions(cells, []);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(regions.reduce((n, r) => n + r.length, 0)).toBe(cells.length);
  });
});
