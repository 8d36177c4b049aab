import { ConversionError } from '../../shared/engine/errors.ts';
import { serialize } from '../../shared/engine/markdown.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import type { ConversionWarning } from '../../shared/engine/types.ts';
import { convertXlsx } from '../../shared/engine/formats/xlsx/index.ts';
import { toPlainText } from '../../shared/engine/mdast.ts';
import type { Table } from '../../shared/engine/mdast.ts';
import { buildXlsx } from '../fixtures/xlsx.ts';

/** The converter and the shared serializer, as the engine runs them. */
async function toMarkdown(bytes: Uint8Array, limits?: { maxCells?: number }) {
  const warnings: ConversionWarning[] = [];
  const tree = convertXlsx(bytes, {
    options: {},
    limits: { ...DEFAULT_LIMITS, ...limits },
    warn: (w) => warnings.push(w),
  });
  return { markdown: serialize(tree.root).markdown, title: tree.title, warnings };
}

describe('xlsx converter', () => {
  it('writes one level-2 section per sheet in workbook order, with shared strings and a title from core properties', async () => {
    const bytes = buildXlsx({
      title: 'Quarterly figures',
      sharedStrings: ['Name', 'Score', 'Ada', 'Grace'],
      sheets: [
        {
          name: 'Results',
          cells: {
            A1: { t: 's', v: '0' },
            B1: { t: 's', v: '1' },
            A2: { t: 's', v: '2' },
            B2: 90,
            A3: { t: 's', v: '3' },
            B3: 85,
          },
        },
        { name: 'Notes', cells: { A1: 'Remark', A2: 'none' } },
      ],
    });
    const result = await toMarkdown(bytes);
    expect(result.title).toBe('Quarterly figures');
    expect(result.markdown).toBe(
      '## Results\n\n| Name | Score |\n| --- | --- |\n| Ada | 90 |\n| Grace | 85 |\n\n## Notes\n\n| Remark |\n| --- |\n| none |\n',
    );
  });

  it('concatenates rich-text runs and leaves out phonetic guides', async () => {
    const bytes = buildXlsx({
      sharedStringsXml: [
        '<si><r><rPr><b/></rPr><t>Bold</t></r><r><t xml:space="preserve"> and plain</t></r></si>',
        '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh></si>',
        '<si><t>line_x000D_break</t></si>',
      ],
      sheets: [{ name: 'S', cells: { A1: { t: 's', v: '0' }, A2: { t: 's', v: '1' }, A3: { t: 's', v: '2' } } }],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toContain('| Bold and plain |');
    expect(markdown).toContain('| 東京 |');
    expect(markdown).not.toContain('トウキョウ');
    expect(markdown).toContain('line<br>break');
  });

  it('formats dates in the 1900 system, including the phantom 1900-02-29, times and custom date codes', async () => {
    const bytes = buildXlsx({
      numFmts: { 164: 'yyyy\\-mm\\-dd\\ h:mm:ss', 165: '[$-409]d mmmm yyyy;@', 166: '0.0%', 167: '#,##0.00' },
      cellXfs: [0, 14, 164, 165, 21, 166, 167, 9],
      sheets: [
        {
          name: 'Dates',
          cells: {
            A1: 'what',
            B1: 'value',
            A2: 'date',
            B2: { s: 1, v: '45292' },
            A3: 'datetime',
            B3: { s: 2, v: '45292.75' },
            A4: 'custom',
            B4: { s: 3, v: '1' },
            A5: 'leap bug',
            B5: { s: 1, v: '60' },
            A6: 'after bug',
            B6: { s: 1, v: '61' },
            A7: 'time',
            B7: { s: 4, v: '0.5' },
            A8: 'percent',
            B8: { s: 5, v: '0.125' },
            A9: 'plain',
            B9: { s: 6, v: '1234.5' },
            A10: 'whole percent',
            B10: { s: 7, v: '0.5' },
          },
        },
      ],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toContain('| date | 2024-01-01 |');
    expect(markdown).toContain('| datetime | 2024-01-01 18:00:00 |');
    expect(markdown).toContain('| custom | 1900-01-01 |');
    expect(markdown).toContain('| leap bug | 1900-02-29 |');
    expect(markdown).toContain('| after bug | 1900-03-01 |');
    expect(markdown).toContain('| time | 12:00:00 |');
    expect(markdown).toContain('| percent | 12.5% |');
    expect(markdown).toContain('| plain | 1234.5 |');
    expect(markdown).toContain('| whole percent | 50% |');
  });

  it('counts dates from 1904-01-01 in the 1904 date system', async () => {
    const bytes = buildXlsx({
      date1904: true,
      cellXfs: [0, 14],
      sheets: [{ name: 'D', cells: { A1: 'when', A2: { s: 1, v: '0' }, A3: { s: 1, v: '43830' } } }],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toContain('| 1904-01-01 |');
    expect(markdown).toContain('| 2024-01-01 |');
  });

  it('shows cached formula values, never formulas; booleans, errors and trimmed float noise', async () => {
    const bytes = buildXlsx({
      sheets: [
        {
          name: 'F',
          cells: {
            A1: 'kind',
            B1: 'value',
            A2: 'sum',
            B2: { f: 'SUM(C1:C9)', v: '42' },
            A3: 'text',
            B3: { t: 'str', f: 'CONCAT("a","b")', v: 'ab' },
            A4: 'error',
            B4: { t: 'e', f: '1/0', v: '#DIV/0!' },
            A5: 'flag',
            B5: true,
            A6: 'noise',
            B6: { f: '0.1+0.2', v: '0.30000000000000004' },
            A7: 'integer',
            B7: { v: '7.0' },
            A8: 'uncached',
            B8: { f: 'NOW()' },
          },
        },
      ],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toContain('| sum | 42 |');
    expect(markdown).toContain('| text | ab |');
    expect(markdown).toContain('| error | #DIV/0! |');
    expect(markdown).toContain('| flag | TRUE |');
    expect(markdown).toContain('| noise | 0.3 |');
    expect(markdown).toContain('| integer | 7 |');
    expect(markdown).toContain('| uncached | |');
    expect(markdown).not.toMatch(/SUM|CONCAT|NOW|NaN|undefined/);
  });

  it('puts a merged value in the top-left cell and leaves the rest of the area empty', async () => {
    const bytes = buildXlsx({
      sheets: [{ name: 'M', merges: ['A1:B1'], cells: { A1: 'Group', C1: 'Other', A2: 'x', B2: 'y', C2: 'z' } }],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toContain('| Group | | Other |\n| --- | --- | --- |\n| x | y | z |');
  });

  it('keeps a merged area together across an otherwise empty row', async () => {
    const bytes = buildXlsx({
      sheets: [
        { name: 'M', merges: ['A2:A3'], cells: { A1: 'h1', B1: 'h2', A2: 'tall', B2: 'b', A4: 'next', B4: 'c' } },
      ],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown.match(/\| --- \|/g)).toHaveLength(1);
    expect(markdown).toContain('| next | c |');
  });

  it('leaves hidden and very hidden sheets out with a warning naming each', async () => {
    const bytes = buildXlsx({
      sheets: [
        { name: 'Secret', state: 'hidden', cells: { A1: 'hidden text' } },
        { name: 'Shown', cells: { A1: 'visible' } },
        { name: 'Deep', state: 'veryHidden', cells: { A1: 'very hidden text' } },
      ],
    });
    const { markdown, warnings } = await toMarkdown(bytes);
    expect(markdown).toBe('## Shown\n\n| visible |\n| --- |\n');
    expect(warnings.map((w) => [w.code, w.message])).toEqual([
      [
        'unsupported_content',
        'hidden sheet "Secret" was left out (only visible sheets are converted when there are any)',
      ],
      [
        'unsupported_content',
        'very hidden sheet "Deep" was left out (only visible sheets are converted when there are any)',
      ],
    ]);
  });

  it('trims empty leading and trailing rows and columns and uses the first non-empty row as header', async () => {
    const bytes = buildXlsx({
      sheets: [
        {
          name: 'T',
          dimension: 'A1:H20',
          cells: { C4: 'h1', D4: 'h2', C5: 1, D5: 2, E5: { v: '' }, G20: { t: 'inlineStr', is: '<t>   </t>' } },
        },
      ],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toBe('## T\n\n| h1 | h2 |\n| --- | --- |\n| 1 | 2 |\n');
  });

  it('splits blocks separated by two or more empty rows or columns, and a caption, in reading order', async () => {
    const bytes = buildXlsx({
      sheets: [
        {
          name: 'Blocks',
          cells: { B2: 'Title', B4: 'a', C4: 'b', B5: 1, C5: 2, F4: 'c', F5: 3, B8: 'd', B9: 4 },
        },
      ],
    });
    const { markdown } = await toMarkdown(bytes);
    const headers = [...markdown.matchAll(/^\| (\w+) \|.*\n\| ---/gm)].map((m) => m[1]);
    expect(headers).toEqual(['Title', 'a', 'c', 'd']);
  });

  it('reads cells from what is present when the dimension claims the whole sheet', async () => {
    const bytes = buildXlsx({
      sheets: [{ name: 'Huge', dimension: 'A1:XFD1048576', cells: { A1: 'top', XFD1048576: 'corner' } }],
    });
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const { markdown } = await toMarkdown(bytes);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
    expect(markdown).toContain('| top |');
    expect(markdown).toContain('| corner |');
  });

  it('reads rows and cells written without references, in order', async () => {
    const bytes = buildXlsx({ sheets: [{ name: 'N', noRefs: true, cells: { A1: 'x', B1: 'y', A2: 1, B2: 2 } }] });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toContain('| x | y |\n| --- | --- |\n| 1 | 2 |');
  });

  it('cuts tables past the cell limit with a truncated warning', async () => {
    const cells: Record<string, number | string> = { A1: 'n', B1: 'square' };
    for (let r = 2; r <= 200; r++) {
      cells[`A${r}`] = r;
      cells[`B${r}`] = r * r;
    }
    const result = await toMarkdown(buildXlsx({ sheets: [{ name: 'Big', cells }] }), { maxCells: 50 });
    expect(result.warnings.some((w) => w.code === 'truncated')).toBe(true);
    const rows = result.markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'));
    expect(rows.length).toBeLessThanOrEqual(25);
    expect(result.markdown).not.toContain('| 200 |');
  });

  it('writes a chart as its title, kind and cached data, placed among the tables by its anchor', async () => {
    const bytes = buildXlsx({
      sheets: [
        {
          name: 'Sales',
          cells: { A1: 'Region', B1: 'Q1', A2: 'North', B2: 10, A20: 'Notes', A21: 'final' },
          charts: [
            {
              kind: 'bar3DChart',
              title: 'Sales by region',
              categories: ['North', 'South'],
              series: [{ name: 'Q1', values: [10, 12.5] }],
              row: 5,
              col: 0,
            },
          ],
        },
      ],
    });
    const { markdown } = await toMarkdown(bytes);
    expect(markdown).toBe(
      [
        '## Sales',
        '',
        '| Region | Q1 |',
        '| --- | --- |',
        '| North | 10 |',
        '',
        'Sales by region',
        '',
        'Bar chart',
        '',
        '| | Q1 |',
        '| --- | --- |',
        '| North | 10 |',
        '| South | 12.5 |',
        '',
        '| Notes |',
        '| --- |',
        '| final |',
        '',
      ].join('\n'),
    );
  });

  it('gives a chart sheet a heading and a warning instead of failing', async () => {
    const bytes = buildXlsx({
      sheets: [
        { name: 'Data', cells: { A1: 'x', A2: 1 } },
        { name: 'My chart', chartsheet: true },
      ],
    });
    const result = await toMarkdown(bytes);
    expect(result.markdown).toContain('## My chart');
    expect(result.warnings.some((w) => w.code === 'unsupported_content' && w.message.includes('My chart'))).toBe(true);
  });

  it('converts a workbook whose sheets are all hidden, marked in their headings, rather than calling it empty', async () => {
    const bytes = buildXlsx({
      sheets: [
        { name: 'H', state: 'hidden', cells: { A1: 'x' } },
        { name: 'V', state: 'veryHidden', cells: { A1: 'y' } },
      ],
    });
    const { markdown, warnings } = await toMarkdown(bytes);
    expect(markdown).toBe('## H (hidden sheet)\n\n| x |\n| --- |\n\n## V (very hidden sheet)\n\n| y |\n| --- |\n');
    expect(warnings).toEqual([]);
  });

  it('turns a damaged worksheet into a warning, keeping the other sheets', async () => {
    const bytes = buildXlsx({
      sheets: [
        { name: 'Bad', sheetData: '<row r="1"><c r="A1"><v>1</v></row>' },
        { name: 'Good', cells: { A1: 'ok' } },
      ],
    });
    const result = await toMarkdown(bytes);
    expect(result.markdown).toContain('| ok |');
    expect(result.warnings.some((w) => w.code === 'part_unreadable' && w.message.includes('Bad'))).toBe(true);
  });

  it('refuses a DOCTYPE in a worksheet and never expands entities', async () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' +
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&b;</t></is></c></row></sheetData></worksheet>';
    const undefinedEntity =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol;</t></is></c></row></sheetData></worksheet>';
    const result = await toMarkdown(
      buildXlsx({
        sheets: [
          { name: 'Bomb', rawXml: bomb },
          { name: 'Entity', rawXml: undefinedEntity },
          { name: 'Fine', cells: { A1: { t: 'inlineStr', is: '<t>x &amp; y &#x41;&#66;</t>' } } },
        ],
      }),
    );
    expect(result.markdown).not.toMatch(/aaaa|lol/);
    expect(result.warnings.filter((w) => w.code === 'part_unreadable')).toHaveLength(2);
    expect(result.warnings.some((w) => w.message.includes('DOCTYPE'))).toBe(true);
    expect(result.markdown).toContain('| x & y AB |');
  });

  it('converts a 10,000-row sheet in linear time', async () => {
    const cells: Record<string, number | string> = { A1: 'id', B1: 'name', C1: 'amount', D1: 'ratio' };
    for (let r = 2; r <= 10_001; r++) {
      cells[`A${r}`] = r;
      cells[`B${r}`] = `item ${r}`;
      cells[`C${r}`] = r * 3;
      cells[`D${r}`] = r / 7;
    }
    const bytes = buildXlsx({ sheets: [{ name: 'Rows', cells }] });
    const ctx = {
      options: {},
      limits: { ...DEFAULT_LIMITS, maxInflatedBytes: 1e8, maxEntryBytes: 1e8, maxPages: 10, maxCells: 2e6 },
      warn: () => {},
    };
    convertXlsx(bytes, ctx);
    // The converter's own time (the shared serializer is measured elsewhere). Outside jest this is ~50 ms;
    // jest's module sandbox and a shared, loaded machine make it several times slower, so the bound here only
    // catches quadratic behaviour (which would take minutes at this size).
    const started = performance.now();
    const tree = convertXlsx(bytes, ctx);
    expect(performance.now() - started).toBeLessThan(4000);
    const table = tree.root.children[1] as Table;
    expect(table.children).toHaveLength(10_001);
    expect(table.children[10_000].children.map((c) => toPlainText(c))).toEqual([
      '10001',
      'item 10001',
      '30003',
      '1428.71428571429',
    ]);
  });

  it('throws typed errors for damaged packages', async () => {
    const ctx = {
      options: {},
      limits: { ...DEFAULT_LIMITS, maxInflatedBytes: 1e8, maxEntryBytes: 1e8, maxPages: 10, maxCells: 1000 },
      warn: () => {},
    };
    expect(() => convertXlsx(new Uint8Array([1, 2, 3]), ctx)).toThrow(ConversionError);
  });

  it('is detected and converted through the engine', async () => {
    const { convert } = await import('../../shared/engine/engine.ts');
    const result = await convert(buildXlsx({ sheets: [{ name: 'Only', cells: { A1: 'a', A2: 1 } }] }), {
      fileName: 'x.xlsx',
    });
    expect(result.format).toBe('xlsx');
    expect(result.markdown).toBe('## Only\n\n| a |\n| --- |\n| 1 |\n');
  });
});
