/**
 * A legacy chart embedded in a Word or PowerPoint file as an OLE object (Microsoft Graph `MSGraph.Chart.*`, or
 * an Excel chart `Excel.Chart.*`): the object's part is an OLE compound file whose `Workbook` stream is a BIFF8
 * workbook holding the chart's data sheet and the chart ([MS-OLEDS] for the object, [MS-XLS] for the stream).
 * It is read with the same readers as a `.xls` file: the first chart whose series resolve to cells gives the
 * title and tables (`charts.ts`); with none, the data sheet itself is the table, under the chart's title.
 */
import { openCfb } from '../../cfb.ts';
import { ConversionError, corrupt, encrypted } from '../../errors.ts';
import { readXlsWorkbook, type XlsSheet } from './workbook.ts';

/** OLE ProgIDs of objects that are charts drawn from a data sheet (Microsoft Graph 97+, Excel charts). */
export const LEGACY_CHART_PROGID = /^(MSGraph\.Chart|Excel\.Chart)(\.\d+)?$/i;

export interface EmbeddedChart {
  title?: string;
  /** One or more tables, each a header row then data rows, as `chartData` in `../xlsx/charts.ts` gives them. */
  tables: string[][][];
  /** The data sheet had more rows or columns than a table takes; the rest was cut. */
  truncated?: boolean;
}

/** Rows and columns of a data sheet written as a table; larger sheets are cut (a chart's data sheet is small). */
const MAX_SHEET_ROWS = 1_000;
const MAX_SHEET_COLS = 256;

/**
 * Reads the chart held by an embedded OLE compound file.
 * @param bytes the embedded object part (e.g. `word/embeddings/oleObject1.bin`).
 * @param maxCells the cell limit of the conversion, applied to the embedded workbook.
 * @returns the chart's title and tables; `tables` is never empty.
 * @throws ConversionError `corrupt` (not a compound file, no `Workbook` stream, no data), `encrypted`,
 *   `unsupported` (a pre-BIFF8 stream), as the `.xls` readers raise them.
 */
export function readEmbeddedChart(bytes: Uint8Array, maxCells: number): EmbeddedChart {
  const cfb = openCfb(bytes);
  const names = cfb.entries.map((e) => e.name.toLowerCase());
  if (names.includes('encryptedpackage')) throw encrypted('the embedded chart is password-protected');
  const stream = cfb.read('Workbook');
  if (!stream) throw corrupt(`the embedded object has no Workbook stream (streams: ${names.join(', ') || 'none'})`);
  const sheets = readXlsWorkbook(stream, maxCells);
  const charts = sheets.flatMap((s) => s.charts);
  const withData = charts.find((c) => c.tables.length > 0);
  if (withData) return { ...(withData.title ? { title: withData.title } : {}), tables: withData.tables };
  const title = charts.find((c) => c.title)?.title;
  const dataSheet = sheets.find((s) => s.kind === 'worksheet' && s.cells.length > 0);
  if (!dataSheet) throw new ConversionError('corrupt', 'the embedded chart has no data sheet cells and no chart data');
  const { rows, truncated } = sheetRows(dataSheet);
  return {
    ...(title ? { title } : {}),
    tables: [rows],
    ...(truncated || dataSheet.truncated ? { truncated: true } : {}),
  };
}

/** The used range of a sheet as rows of cell text, blank cells empty. */
function sheetRows(sheet: XlsSheet): { rows: string[][]; truncated: boolean } {
  // A loop, not Math.min(...cells): a sheet may hold more cells than a call can take as arguments.
  let [r0, c0, r1, c1] = [Infinity, Infinity, -1, -1];
  for (const c of sheet.cells) {
    r0 = Math.min(r0, c.row);
    c0 = Math.min(c0, c.col);
    r1 = Math.max(r1, c.row);
    c1 = Math.max(c1, c.col);
  }
  const truncated = r1 - r0 >= MAX_SHEET_ROWS || c1 - c0 >= MAX_SHEET_COLS;
  r1 = Math.min(r1, r0 + MAX_SHEET_ROWS - 1);
  c1 = Math.min(c1, c0 + MAX_SHEET_COLS - 1);
  const rows = Array.from({ length: r1 - r0 + 1 }, () => new Array<string>(c1 - c0 + 1).fill(''));
  for (const c of sheet.cells) if (c.row <= r1 && c.col <= c1) rows[c.row - r0][c.col - c0] = c.text;
  return { rows, truncated };
}
