/**
 * Rotated pages (`/Rotate 90/180/270`) and rotated text matrices: the page is read in its text's reading
 * direction, and a ruled table on it keeps its rows and columns (rules turned with the text).
 */
import { PDFDocument, degrees } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import { buildPdfWithLines, ruledGrid } from '../fixtures/pdf.ts';

const CELLS = [
  ['State', 'Permit', 'Handgun', 'Long Gun', 'Totals'],
  ['Alabama', '18,870', '', '22,650', '71,137'],
  ['Alaska', '209', '3,062', '', '7,095'],
  ['Arizona', '2,303', '12,382', '9,041', '27,087'],
  ['Arkansas', '', '6,359', '11,611', '25,048'],
];
/** A second line of text in some cells (row, column, text): the rules, not the lines, say which row it is in. */
const SECOND_LINES: [number, number, string][] = [
  [0, 3, 'and Rifle'],
  [1, 0, 'North'],
  [3, 4, 'revised'],
];
const EXPECTED = [
  '| State | Permit | Handgun | Long Gun and Rifle | Totals |',
  '| Alabama North | 18,870 | | 22,650 | 71,137 |',
  '| Alaska | 209 | 3,062 | | 7,095 |',
  '| Arizona | 2,303 | 12,382 | 9,041 | 27,087 revised |',
  '| Arkansas | | 6,359 | 11,611 | 25,048 |',
];

/**
 * A landscape page (792×612) with a title, a five-column ruled table filling most of the page (tall rows, some
 * cells empty, some of two lines) and a note under it.
 */
async function landscapeTable(): Promise<Uint8Array> {
  const columns = [40, 200, 340, 480, 620, 752];
  const rows = [80, 160, 240, 320, 400, 480];
  const grid = ruledGrid(columns, rows, CELLS);
  for (const [r, c, text] of SECOND_LINES) grid.text.push({ text, x: columns[c] + 4, y: rows[r] + 28, size: 10 });
  return buildPdfWithLines(
    [
      {
        text: [
          { text: 'Background Checks by State', x: 40, y: 50, size: 14 },
          ...grid.text,
          { text: 'Figures are counts of checks, not of sales.', x: 40, y: 520 },
        ],
        lines: grid.lines,
      },
    ],
    [792, 612],
  );
}

async function withRotate(bytes: Uint8Array, angle: number): Promise<Uint8Array> {
  const doc = await PDFDocument.load(bytes);
  doc.getPage(0).setRotation(degrees(angle));
  return doc.save({ useObjectStreams: false });
}

/** The landscape page drawn as a form XObject turned a quarter on a portrait page: rotated text matrices. */
async function drawnTurned(bytes: Uint8Array, angle: 90 | -90): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const [form] = await doc.embedPdf(bytes);
  const page = doc.addPage([612, 792]);
  page.drawPage(form, angle === 90 ? { x: 612, y: 0, rotate: degrees(90) } : { x: 0, y: 792, rotate: degrees(-90) });
  return doc.save({ useObjectStreams: false });
}

function expectTable(md: string) {
  for (const row of EXPECTED) expect(md).toContain(row);
  expect(md).toContain('Background Checks by State');
  expect(md).toContain('Figures are counts of checks, not of sales.');
  expect(md.indexOf('Background Checks')).toBeLessThan(md.indexOf('| Alabama'));
  expect(md.indexOf('| Arizona')).toBeLessThan(md.indexOf('Figures are counts'));
}

describe('pdf rotated pages and text', () => {
  test('the unrotated landscape page is the reference', async () => {
    expectTable((await convert(await landscapeTable())).markdown);
  });

  test.each([90, 180, 270])('a page with /Rotate %i reads its ruled table row by row', async (angle) => {
    const result = await convert(await withRotate(await landscapeTable(), angle));
    expectTable(result.markdown);
    expect(result.warnings).toEqual([]);
  });

  test.each([90, -90] as const)('text and rules drawn turned %i° on an upright page read the same', async (angle) => {
    const result = await convert(await drawnTurned(await landscapeTable(), angle));
    expectTable(result.markdown);
  });
});
