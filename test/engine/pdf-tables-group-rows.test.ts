/**
 * Ruled tables with a group row over the column header, and notes set inside the frame under the last row.
 * GFM has one header row: a group row is read into it when the column header alone repeats its labels
 * (TOTAL | RURAL | TOTAL | RURAL), and left as a row of its own when the column header names every column
 * distinctly. Notes under the column rules are paragraphs after the table, not rows with one cell filled.
 */
import { convert } from '../../shared/engine/engine.ts';
import { withGroupRowJoined } from '../../shared/engine/formats/pdf/group-header.ts';
import { buildPdfWithLines, helveticaWidth, ruledGrid, type LineSpec, type TextSpec } from '../fixtures/pdf.ts';
import { pipeTableRows } from '../fixtures/markdown.ts';

/**
 * A ruled table whose group labels sit in a ruled row of their own above the column header: the rule under the
 * group row covers only the grouped columns (the stub cell spans both header rows, its label in the lower one),
 * and the rules between a group's sub-columns start below the group row.
 */
function groupRowTable(subLabels: string[]): { text: TextSpec[]; lines: LineSpec[] } {
  const xs = [40, 200, 260, 320, 380, 440];
  const lines: LineSpec[] = [
    { x0: 40, y0: 100, x1: 440, y1: 100 },
    { x0: 200, y0: 116, x1: 440, y1: 116 },
    { x0: 40, y0: 132, x1: 440, y1: 132 },
    { x0: 40, y0: 200, x1: 440, y1: 200 },
  ];
  for (const x of xs) lines.push({ x0: x, y0: [260, 380].includes(x) ? 116 : 100, x1: x, y1: 200 });
  const text: TextSpec[] = [
    { text: 'Survey A (2012)', x: 206, y: 111, size: 8 },
    { text: 'Survey B (2007)', x: 326, y: 111, size: 8 },
    { text: 'Indicators', x: 44, y: 127, size: 8 },
    ...subLabels.map((t, i) => ({ text: t, x: xs[i + 1] + 4, y: 127, size: 8 })),
  ];
  const body = [
    ['Any Injury', '1.9', '2.1', '2.4', '2.0'],
    ['Acute Illness', '4.5', '5.6', '4.0', '4.9'],
    ['Chronic Illness', '5.1', '4.1', '6.2', '5.5'],
  ];
  body.forEach((row, r) => row.forEach((t, c) => text.push({ text: t, x: xs[c] + 4, y: 146 + r * 16, size: 8 })));
  return { text, lines };
}

const BODY = [
  ['Any Injury', '1.9', '2.1', '2.4', '2.0'],
  ['Acute Illness', '4.5', '5.6', '4.0', '4.9'],
  ['Chronic Illness', '5.1', '4.1', '6.2', '5.5'],
];

describe('pdf ruled tables: a group row above the column header', () => {
  test('is read into the one header row when the column header repeats its labels', async () => {
    const pdf = await buildPdfWithLines([groupRowTable(['TOTAL', 'RURAL', 'TOTAL', 'RURAL'])]);
    const rows = pipeTableRows((await convert(pdf, { fileName: 'group-row.pdf' })).markdown);
    expect(rows[0]).toEqual([
      'Indicators',
      'Survey A (2012): TOTAL',
      'Survey A (2012): RURAL',
      'Survey B (2007): TOTAL',
      'Survey B (2007): RURAL',
    ]);
    expect(rows.slice(1)).toEqual(BODY);
  });

  test('is read into the header too when the column header names every column distinctly', async () => {
    // GFM has one header row: left as two, "Total | Rural | …" would be the first body row, read as values.
    const pdf = await buildPdfWithLines([groupRowTable(['Total', 'Rural', 'Urban', 'Tribal'])]);
    const rows = pipeTableRows((await convert(pdf, { fileName: 'group-row-distinct.pdf' })).markdown);
    expect(rows[0]).toEqual([
      'Indicators',
      'Survey A (2012): Total',
      'Survey A (2012): Rural',
      'Survey B (2007): Urban',
      'Survey B (2007): Tribal',
    ]);
    expect(rows.slice(1)).toEqual(BODY);
  });

  test('withGroupRowJoined reads the cell structure, not the words', () => {
    // One drawn cell over columns 1-2 and another over 3-4; the stub spans both header rows (id 0 twice).
    const ids = [
      [0, 1, 1, 2, 2],
      [0, 3, 4, 5, 6],
      [7, 8, 9, 10, 11],
    ];
    const rows = [
      ['Unit', 'Plan', 'Plan', 'Actual', 'Actual'],
      ['Unit', '2023', '2024', '2023', '2024'],
      ['HQ', '1', '2', '3', '4'],
    ];
    expect(withGroupRowJoined(rows, ids)).toEqual([
      ['Unit', 'Plan: 2023', 'Plan: 2024', 'Actual: 2023', 'Actual: 2024'],
      ['HQ', '1', '2', '3', '4'],
    ]);
    // The same words in separate drawn cells (no span): a body row, not a group row.
    const unmerged = [
      [0, 1, 2, 3, 4],
      [0, 5, 6, 7, 8],
      [9, 10, 11, 12, 13],
    ];
    expect(withGroupRowJoined(rows, unmerged)).toBe(rows);
    // Nothing below the two header rows: no body, so nothing to name.
    expect(withGroupRowJoined(rows.slice(0, 2), ids.slice(0, 2))).toEqual(rows.slice(0, 2));
    // Sub-labels under one span that repeat each other are no column header.
    const repeated = [rows[0], ['Unit', 'x', 'x', 'y', 'y'], rows[2]];
    expect(withGroupRowJoined(repeated, ids)).toBe(repeated);
    // A group label that ends in a colon is not given a second one.
    const colon = [['Unit', 'Plan:', 'Plan:', 'Actual:', 'Actual:'], rows[1], rows[2]];
    expect(withGroupRowJoined(colon, ids)[0]).toEqual([
      'Unit',
      'Plan: 2023',
      'Plan: 2024',
      'Actual: 2023',
      'Actual: 2024',
    ]);
  });
});

/**
 * A ruled table whose inner column rules stop at its last row, inside a frame that goes on down around two
 * notes set across its width; the first note carries a raised footnote mark (4.7 pt, 3.7 pt up on 7 pt text).
 */
async function tableWithNotes(): Promise<{ text: TextSpec[]; lines: LineSpec[] }> {
  const xs = [40, 240, 340, 440];
  const ys = [100, 116, 132, 148, 164];
  const lines: LineSpec[] = ys.map((y) => ({ x0: 40, y0: y, x1: 440, y1: y }));
  lines.push({ x0: 40, y0: 196, x1: 440, y1: 196 });
  lines.push({ x0: 40, y0: 100, x1: 40, y1: 196 }, { x0: 440, y0: 100, x1: 440, y1: 196 });
  for (const x of xs.slice(1, -1)) lines.push({ x0: x, y0: 100, x1: x, y1: 164 });
  const cells = [
    ['District', 'Total', 'Rural'],
    ['Akola', '12.9', '11.1'],
    ['Bhandara', '7.0', '5.1'],
    ['Chandrapur', '8.2', '7.1'],
  ];
  const text: TextSpec[] = cells.flatMap((row, r) =>
    row.map((t, c) => ({ text: t, x: xs[c] + 4, y: ys[r] + 12, size: 8 })),
  );
  const first = 'Rates per 1,000 persons, survey of 2012.';
  const mark = 44 + (await helveticaWidth(first, 7)) + 0.5;
  const markWidth = await helveticaWidth('2', 4.7);
  text.push(
    { text: first, x: 44, y: 176, size: 7 },
    { text: '2', x: mark, y: 172.3, size: 4.7 },
    { text: 'Excluding visitors.', x: mark + markWidth + 2, y: 176, size: 7 },
    { text: 'Source: district health survey, round four.', x: 44, y: 188, size: 7 },
  );
  return { text, lines };
}

describe('pdf ruled tables: notes under the last row, inside the frame', () => {
  test('are paragraphs after the table, not rows with one cell filled', async () => {
    const pdf = await buildPdfWithLines([await tableWithNotes()]);
    const md = (await convert(pdf, { fileName: 'table-notes.pdf' })).markdown;
    const rows = pipeTableRows(md);
    expect(rows).toEqual([
      ['District', 'Total', 'Rural'],
      ['Akola', '12.9', '11.1'],
      ['Bhandara', '7.0', '5.1'],
      ['Chandrapur', '8.2', '7.1'],
    ]);
    const after = md.slice(md.lastIndexOf('\n|') + 1);
    expect(after).toMatch(/Rates per 1,000 persons, survey of 2012\. ?<sup>2<\/sup> ?Excluding visitors\./);
    expect(after).toContain('Source: district health survey, round four.');
    expect(md.indexOf('Source:')).toBeGreaterThan(md.indexOf('| Chandrapur'));
  });

  test('a last row that the column rules cross stays a row, even with one cell filled', async () => {
    const grid = ruledGrid(
      [40, 240, 340, 440],
      [100, 120, 140, 160, 180],
      [
        ['District', 'Total', 'Rural'],
        ['Akola', '12.9', '11.1'],
        ['Bhandara', '7.0', '5.1'],
        ['Not surveyed', '', ''],
      ],
    );
    const rows = pipeTableRows((await convert(await buildPdfWithLines([grid]), { fileName: 'last-row.pdf' })).markdown);
    expect(rows[rows.length - 1]).toEqual(['Not surveyed', '', '']);
  });
});

describe('pdf ruled tables: a cell label broken after a slash', () => {
  test('runs on without a space ("Incomplete/" over "Terminated")', async () => {
    const grid = ruledGrid(
      [40, 200, 360],
      [100, 140, 160, 180],
      [
        ['Category', 'Ballots Incomplete/'],
        ['Blind', '4'],
        ['Mobility', '0'],
      ],
    );
    grid.text.push({ text: 'Terminated', x: 204, y: 128, size: 10 });
    const rows = pipeTableRows((await convert(await buildPdfWithLines([grid]), { fileName: 'slash.pdf' })).markdown);
    expect(rows[0]).toEqual(['Category', 'Ballots Incomplete/Terminated']);
    expect(rows[1]).toEqual(['Blind', '4']);
  });
});
