/**
 * Charts as their cached data: title (given or automatic), kind, categories (multi-level too), one column per
 * series, one table per set of categories, Excel 2016 chartEx parts.
 */
import { serialize } from '../../shared/engine/markdown.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import type { ConversionWarning } from '../../shared/engine/types.ts';
import { convertXlsx } from '../../shared/engine/formats/xlsx/index.ts';
import { buildXlsx } from '../fixtures/xlsx.ts';
import type { XlsxChart } from '../fixtures/xlsx.ts';

function chartMarkdown(chart: XlsxChart) {
  const warnings: ConversionWarning[] = [];
  const bytes = buildXlsx({ sheets: [{ name: 'C', cells: { A1: 'data' }, charts: [chart] }] });
  const tree = convertXlsx(bytes, { options: {}, limits: DEFAULT_LIMITS, warn: (w) => warnings.push(w) });
  const markdown = serialize(tree.root).markdown;
  // Everything after the sheet's own one-cell table.
  return { markdown: markdown.slice(markdown.indexOf('| data |\n| --- |\n') + 17).trim(), warnings };
}

describe('xlsx charts', () => {
  it('writes title, kind and one column per series against the shared categories', () => {
    const { markdown } = chartMarkdown({
      kind: 'lineChart',
      title: 'Revenue',
      categories: ['2022', '2023'],
      series: [
        { name: 'North', values: [1.5, 2] },
        { name: 'South', values: [3, 4.25] },
      ],
      row: 3,
      col: 0,
    });
    expect(markdown).toBe(
      'Revenue\n\nLine chart\n\n| | North | South |\n| --- | --- | --- |\n| 2022 | 1.5 | 3 |\n| 2023 | 2 | 4.25 |',
    );
  });

  it("titles a single-series chart with no title by the series' name, unless the automatic title is deleted", () => {
    const chart: XlsxChart = {
      kind: 'pieChart',
      categories: ['Rent', 'Food'],
      series: [{ name: 'Spending', values: [60, 40] }],
      row: 3,
      col: 0,
    };
    expect(chartMarkdown(chart).markdown.startsWith('Spending\n\nPie chart\n\n| | Spending |')).toBe(true);
    expect(chartMarkdown({ ...chart, autoTitleDeleted: true }).markdown.startsWith('Pie chart\n\n')).toBe(true);
  });

  it('gives series plotted against different x values a table each', () => {
    const { markdown } = chartMarkdown({
      kind: 'scatterChart',
      title: 'Fit',
      categories: [],
      series: [
        { name: 'Trial A', values: [10, 20], categories: [1, 2] },
        { name: 'Trial B', values: [15, 25, 35], categories: [1.5, 2.5, 3.5] },
      ],
      row: 3,
      col: 0,
    });
    expect(markdown).toBe(
      [
        'Fit',
        '',
        'Scatter chart',
        '',
        '| | Trial A |',
        '| --- | --- |',
        '| 1 | 10 |',
        '| 2 | 20 |',
        '',
        '| | Trial B |',
        '| --- | --- |',
        '| 1.5 | 15 |',
        '| 2.5 | 25 |',
        '| 3.5 | 35 |',
      ].join('\n'),
    );
  });

  it('joins multi-level category labels outer to inner', () => {
    const { markdown } = chartMarkdown({
      kind: 'barChart',
      title: 'Quarters',
      categories: ['Q1', 'Q2', 'Q1', 'Q2'],
      outerCategories: [['2023', '', '2024', '']],
      series: [{ name: 'Sales', values: [1, 2, 3, 4] }],
      row: 3,
      col: 0,
    });
    expect(markdown).toContain('| 2023 / Q1 | 1 |\n| 2023 / Q2 | 2 |\n| 2024 / Q1 | 3 |\n| 2024 / Q2 | 4 |');
  });

  it('reads Excel 2016 charts (chartEx) from their cached data', () => {
    const { markdown, warnings } = chartMarkdown({
      kind: 'waterfall',
      ex: true,
      title: 'Bridge',
      categories: ['Start', 'Sales', 'Costs', 'End'],
      series: [{ name: 'Cash', values: [100, 40, -30, 110] }],
      row: 3,
      col: 0,
    });
    expect(markdown).toBe(
      'Bridge\n\nWaterfall chart\n\n| | Cash |\n| --- | --- |\n| Start | 100 |\n| Sales | 40 |\n| Costs | -30 |\n| End | 110 |',
    );
    expect(warnings).toEqual([]);
  });
});
