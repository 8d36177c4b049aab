/** PDF tables continued across pages: joined into one table, a repeated header dropped, unrelated tables kept apart. */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdfWithLines, ruledGrid } from '../fixtures/pdf.ts';
import type { TextSpec, LineSpec } from '../fixtures/pdf.ts';

/** Every pipe table in some Markdown, as rows of trimmed cells. */
function tables(md: string): string[][][] {
  const out: string[][][] = [];
  let current: string[][] | undefined;
  for (const line of md.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    if (!current) out.push((current = []));
    if (/^\|[\s:|-]+\|$/.test(line)) continue;
    current.push(
      line
        .slice(1, -1)
        .split('|')
        .map((c) => c.trim()),
    );
  }
  return out;
}

const COLUMNS = [72, 222, 372, 522];
const rowsFrom = (top: number, n: number) => Array.from({ length: n + 1 }, (_, i) => top + i * 20);
const people = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => [`Person ${from + i}`, `City ${from + i}`, String(100 + from + i)]);
const HEADER = ['Name', 'City', 'Score'];

/** A page: a paragraph, then (optionally) a ruled grid, plus a page-number footer. */
function page(
  n: number,
  grid: { text: TextSpec[]; lines: LineSpec[] } | undefined,
  before: TextSpec[] = [],
): { text: TextSpec[]; lines: LineSpec[] } {
  return {
    text: [...before, ...(grid?.text ?? []), { text: String(n), x: 300, y: 770, size: 9 }],
    lines: grid?.lines ?? [],
  };
}

describe('pdf tables across pages', () => {
  test('a ruled table that runs off the bottom of page 1 and goes on at the top of page 2 becomes one table', async () => {
    // Page 1: an introduction, then the header and rows 1–8 ending near the foot of the page.
    const first = ruledGrid(COLUMNS, rowsFrom(560, 9), [HEADER, ...people(1, 8)]);
    // Page 2: rows 9–12 at the top, no header, then a closing paragraph.
    const second = ruledGrid(COLUMNS, rowsFrom(72, 4), people(9, 4));
    const pdf = await buildPdfWithLines([
      page(1, first, [{ text: 'The results of the survey are listed below.', x: 72, y: 540 }]),
      page(2, second, [{ text: 'That is the end of the list of people.', x: 72, y: 180 }]),
    ]);
    const result = await convert(pdf);
    const found = tables(result.markdown);
    expect(found).toHaveLength(1);
    expect(found[0]).toEqual([HEADER, ...people(1, 12)]);
    // Text after the continuation stays after the table, and page provenance keeps both pages, in order.
    expect(result.markdown.indexOf('Person 12')).toBeLessThan(result.markdown.indexOf('That is the end'));
    expect(result.pages?.map((p) => p.page)).toEqual([1, 2]);
    expect(result.pages?.[0].markdown).toContain('Person 12');
    expect(result.pages?.[1].markdown).toContain('That is the end');
    expect(result.pages?.[1].markdown).not.toContain('|');
  });

  test('a header row repeated on the continuation page is dropped', async () => {
    const first = ruledGrid(COLUMNS, rowsFrom(560, 9), [HEADER, ...people(1, 8)]);
    const second = ruledGrid(COLUMNS, rowsFrom(72, 5), [HEADER, ...people(9, 4)]);
    const pdf = await buildPdfWithLines([page(1, first), page(2, second)]);
    const found = tables((await convert(pdf)).markdown);
    expect(found).toHaveLength(1);
    expect(found[0]).toEqual([HEADER, ...people(1, 12)]);
    expect(found[0].filter((r) => r[0] === 'Name')).toHaveLength(1);
  });

  test('a table on three pages (the middle page all table) is joined once', async () => {
    const first = ruledGrid(COLUMNS, rowsFrom(560, 9), [HEADER, ...people(1, 8)]);
    const middle = ruledGrid(COLUMNS, rowsFrom(72, 34), [HEADER, ...people(9, 33)]);
    const last = ruledGrid(COLUMNS, rowsFrom(72, 3), [HEADER, ...people(42, 2)]);
    const pdf = await buildPdfWithLines([page(1, first), page(2, middle), page(3, last)]);
    const found = tables((await convert(pdf)).markdown);
    expect(found).toHaveLength(1);
    expect(found[0]).toEqual([HEADER, ...people(1, 43)]);
  });

  test('different tables on consecutive pages stay apart', async () => {
    const first = ruledGrid(COLUMNS, rowsFrom(560, 9), [HEADER, ...people(1, 8)]);
    // Page 2 starts with a two-column table at other x-positions: a different table.
    const other = ruledGrid([72, 300, 522], rowsFrom(72, 3), [
      ['Code', 'Meaning'],
      ['A', 'Approved'],
      ['R', 'Rejected'],
    ]);
    const pdf = await buildPdfWithLines([page(1, first), page(2, other)]);
    const found = tables((await convert(pdf)).markdown);
    expect(found).toHaveLength(2);
    expect(found[0]).toEqual([HEADER, ...people(1, 8)]);
    expect(found[1]).toEqual([
      ['Code', 'Meaning'],
      ['A', 'Approved'],
      ['R', 'Rejected'],
    ]);
  });

  test('three columns at other x-positions on the next page are a different table', async () => {
    const first = ruledGrid(COLUMNS, rowsFrom(560, 9), [HEADER, ...people(1, 8)]);
    const other = ruledGrid([72, 150, 400, 522], rowsFrom(72, 3), [
      ['Id', 'Description', 'Total'],
      ['1', 'Paper and ink', '40'],
      ['2', 'Postage', '12'],
    ]);
    const pdf = await buildPdfWithLines([page(1, first), page(2, other)]);
    const found = tables((await convert(pdf)).markdown);
    expect(found).toHaveLength(2);
    expect(found[1][0]).toEqual(['Id', 'Description', 'Total']);
  });

  test('same columns but text between them: a table that ends mid-page is not continued', async () => {
    // The first table ends high on page 1 with text after it; page 2 opens with a table of the same shape.
    const first = ruledGrid(COLUMNS, rowsFrom(100, 3), [HEADER, ...people(1, 2)]);
    const second = ruledGrid(COLUMNS, rowsFrom(72, 3), [HEADER, ...people(3, 2)]);
    const pdf = await buildPdfWithLines([
      page(1, first, [{ text: 'A note written after the first table.', x: 72, y: 200 }]),
      page(2, second),
    ]);
    const found = tables((await convert(pdf)).markdown);
    expect(found).toHaveLength(2);
  });
});
