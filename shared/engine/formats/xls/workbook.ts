/**
 * BIFF8 workbook → sheets of display-text cells. The globals substream gives the sheet list, shared strings,
 * number formats, cell styles and the date system; each worksheet substream gives its cell records.
 */
import { encrypted, corrupt, unsupported } from '../../errors.ts';
import type { CellRange, SheetCell } from '../xlsx/grid.ts';
import type { CellComment } from '../xlsx/comments.ts';
import { NoteCollector } from './notes.ts';
import type { ChartData } from '../xlsx/charts.ts';
import { chartData } from '../xlsx/charts.ts';
import type { SheetRef, XlsChart } from './charts.ts';
import { ChartCollector, refPoints } from './charts.ts';
import { classifyFormat, formatCodeFor, formatNumber } from '../xlsx/number-format.ts';
import { ContinuedReader, RT, decodeRk, readRichString, readUnicodeString, records } from './records.ts';

export interface XlsSheet {
  name: string;
  /** BOUNDSHEET `hsState`: very hidden sheets can only be shown again by a macro. */
  state: 'visible' | 'hidden' | 'veryHidden';
  /** Not a worksheet (chart, macro or VB module sheet): no cells to read. */
  kind: 'worksheet' | 'chart' | 'other';
  cells: SheetCell[];
  merges: CellRange[];
  truncated: boolean;
  /** 0-based rows whose ROW record is flagged hidden (`fDyZero`). */
  hiddenRows: number[];
  /** 0-based, inclusive column spans of COLINFO records flagged hidden. */
  hiddenCols: { min: number; max: number }[];
  /** Cell notes (NOTE + OBJ + TXO records), in reading order. */
  notes: CellComment[];
  /** Embedded charts with their series read from the workbook's cells (see `charts.ts`). */
  charts: ChartData[];
  /** Records skipped as malformed, for `unsupported_content` warnings. */
  problems: string[];
}

interface Globals {
  sheets: { name: string; state: XlsSheet['state']; kind: XlsSheet['kind']; offset: number }[];
  sst: string[];
  formats: Map<number, string>;
  /** numFmt id of each XF record, by index. */
  xfFormats: number[];
  date1904: boolean;
  /** EXTERNSHEET entries: the sheet index (BOUNDSHEET order) each XTI names, or -1 for several or none. */
  xti: number[];
}

const BIFF8 = 0x0600;
/** BOF `dt` of a chart substream. */
const BOF_CHART = 0x0020;
const STATES: Record<number, XlsSheet['state']> = { 0: 'visible', 1: 'hidden', 2: 'veryHidden' };
/** ROW record option flag `fDyZero`: the row is hidden. */
const ROW_HIDDEN = 0x20;
/** COLINFO option flag `fHidden`. */
const COL_HIDDEN = 0x01;
const MAX_COL = 16_384;
const ERRORS: Record<number, string> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

export function readXlsWorkbook(stream: Uint8Array, maxCells: number): XlsSheet[] {
  const globals = readGlobals(stream);
  let remaining = maxCells;
  // Hidden sheets are only converted when no sheet is visible (see ../xlsx/hidden.ts): read nothing else.
  const anyVisible = globals.sheets.some((s) => s.state === 'visible');
  const rawCharts = new Map<XlsSheet, XlsChart[]>();
  const sheets = globals.sheets.map((s) => {
    const sheet: XlsSheet = {
      name: s.name,
      state: s.state,
      kind: s.kind,
      cells: [],
      merges: [],
      truncated: false,
      hiddenRows: [],
      hiddenCols: [],
      notes: [],
      charts: [],
      problems: [],
    };
    if (s.kind === 'worksheet' && (s.state === 'visible' || !anyVisible)) {
      readSheet(stream, s.offset, globals, sheet, remaining, rawCharts);
      remaining -= sheet.cells.length;
    }
    return sheet;
  });
  resolveCharts(sheets, rawCharts, globals);
  return sheets;
}

/**
 * Each raw chart → a ChartData placed after the sheet's tables (BIFF8 anchors live in the drawing records, not
 * read), its series values taken from the cells they reference; a chart whose series cannot all be resolved is
 * named in a problem, its title still shown.
 */
function resolveCharts(sheets: XlsSheet[], raw: Map<XlsSheet, XlsChart[]>, g: Globals): void {
  const grids = new Map<number, Map<string, string>>();
  const cell = (xti: number, row: number, col: number): string | undefined => {
    const index = g.xti[xti] ?? -1;
    let grid = grids.get(index);
    if (!grid) {
      grid = new Map((sheets[index]?.cells ?? []).map((c) => [`${c.row},${c.col}`, c.text]));
      grids.set(index, grid);
    }
    return grid.get(`${row},${col}`);
  };
  const readable = (ref: SheetRef) => {
    const index = g.xti[ref.xti] ?? -1;
    return index >= 0 && index < sheets.length && sheets[index].cells.length > 0;
  };
  for (const [sheet, charts] of raw) {
    charts.forEach((chart, i) => {
      const series: { name: string; categories: string[]; values: string[] }[] = [];
      let resolved = chart.series.length > 0;
      chart.series.forEach((s, k) => {
        const values =
          s.values && readable(s.values) ? refPoints(s.values, (r, c) => cell(s.values!.xti, r, c)) : undefined;
        if (!values) {
          resolved = false;
          return;
        }
        const categories =
          s.categories && readable(s.categories)
            ? (refPoints(s.categories, (r, c) => cell(s.categories!.xti, r, c)) ?? [])
            : [];
        const nameRef = s.nameRef;
        const name = (nameRef ? cell(nameRef.xti, nameRef.r1, nameRef.c1) : undefined) ?? s.name ?? `Series ${k + 1}`;
        series.push({ name, categories, values });
      });
      const title = chart.title ?? (series.length === 1 && chart.series.length === 1 ? series[0].name : undefined);
      if (!resolved) {
        sheet.problems.push(
          `${title ? `chart "${title}"` : `chart ${i + 1}`}: its series do not reference cells that could be read; its data is left out`,
        );
      }
      const data = chartData(title, undefined, resolved ? series : []);
      if (data) sheet.charts.push({ row: Number.MAX_SAFE_INTEGER, col: i, ...data });
    });
  }
}

function readGlobals(stream: Uint8Array): Globals {
  const g: Globals = { sheets: [], sst: [], formats: new Map(), xfFormats: [], date1904: false, xti: [] };
  const it = records(stream);
  const first = it.next();
  if (first.done || first.value.type !== RT.BOF || first.value.data.length < 4)
    throw corrupt('the Workbook stream does not start with a BOF record');
  if (first.value.view.getUint16(0, true) !== BIFF8)
    throw unsupported('Excel 5.0/95 and older workbooks are not supported; save as XLSX');
  let sst: Uint8Array[] | undefined;
  const finishSst = () => {
    if (sst) g.sst = parseSst(sst);
    sst = undefined;
  };
  for (const rec of it) {
    if (rec.type === RT.CONTINUE && sst) {
      sst.push(rec.data);
      continue;
    }
    finishSst();
    const { data, view } = rec;
    switch (rec.type) {
      case RT.FILEPASS:
        throw encrypted('the workbook is password-protected');
      case RT.DATEMODE:
        if (data.length >= 2) g.date1904 = view.getUint16(0, true) === 1;
        break;
      case RT.BOUNDSHEET: {
        if (data.length < 8) break;
        const dt = data[5];
        g.sheets.push({
          offset: view.getUint32(0, true),
          state: STATES[data[4] & 0x03] ?? 'hidden',
          kind: dt === 0 ? 'worksheet' : dt === 2 ? 'chart' : 'other',
          name: readUnicodeString(data, 6, 1) ?? '',
        });
        break;
      }
      case RT.FORMAT:
        if (data.length >= 5) g.formats.set(view.getUint16(0, true), readUnicodeString(data, 2) ?? 'General');
        break;
      case RT.XF:
        if (data.length >= 4) g.xfFormats.push(view.getUint16(2, true));
        break;
      case RT.SST:
        sst = [data.subarray(8)];
        break;
      case RT.EXTERNSHEET: {
        const count = data.length >= 2 ? Math.min(view.getUint16(0, true), Math.floor((data.length - 2) / 6)) : 0;
        for (let i = 0; i < count; i++) {
          const first = view.getUint16(4 + i * 6, true);
          g.xti.push(first === view.getUint16(6 + i * 6, true) ? first : -1);
        }
        break;
      }
      case RT.EOF:
        return g;
    }
  }
  finishSst();
  return g;
}

function parseSst(parts: Uint8Array[]): string[] {
  const reader = new ContinuedReader(parts);
  const out: string[] = [];
  // The declared count may lie; the bytes decide when the table ends.
  while (!reader.exhausted) {
    try {
      out.push(readRichString(reader));
    } catch {
      break;
    }
  }
  return out;
}

function readSheet(
  stream: Uint8Array,
  offset: number,
  g: Globals,
  sheet: XlsSheet,
  maxCells: number,
  rawCharts: Map<XlsSheet, XlsChart[]>,
): void {
  if (offset + 4 > stream.length) throw corrupt(`sheet "${sheet.name}" points past the end of the workbook`);
  const put = (row: number, col: number, text: string | undefined) => {
    if (text === undefined || text.trim() === '') return;
    if (sheet.cells.length >= maxCells) {
      sheet.truncated = true;
      return;
    }
    sheet.cells.push({ row, col, text });
  };
  const num = (value: number, xf: number) => {
    const code = formatCodeFor(g.xfFormats[xf] ?? 0, g.formats);
    return formatNumber(value, classifyFormat(code), g.date1904);
  };

  const notes = new NoteCollector();
  const charts: XlsChart[] = [];
  readSheetRecords(stream, offset, g, notes, charts, put, num, sheet);
  if (charts.length) rawCharts.set(sheet, charts);
  sheet.notes = notes.notes();
  sheet.problems.push(...notes.problems);
}

function readSheetRecords(
  stream: Uint8Array,
  offset: number,
  g: Globals,
  notes: NoteCollector,
  charts: XlsChart[],
  put: (row: number, col: number, text: string | undefined) => void,
  num: (value: number, xf: number) => string,
  sheet: XlsSheet,
): void {
  let depth = 0;
  let chart: ChartCollector | undefined;
  let pendingString: { row: number; col: number } | undefined;
  for (const rec of records(stream, offset)) {
    const { data, view } = rec;
    if (rec.type === RT.BOF) {
      depth++;
      // An embedded chart: a substream of type 0x0020 directly inside the worksheet's.
      if (depth === 2 && data.length >= 4 && view.getUint16(2, true) === BOF_CHART) chart = new ChartCollector();
      continue;
    }
    if (rec.type === RT.EOF) {
      if (--depth <= 0) return;
      if (depth === 1 && chart) {
        charts.push(chart.chart);
        chart = undefined;
      }
      continue;
    }
    // Embedded chart substreams sit inside a worksheet; their records are not cells.
    if (depth !== 1) {
      if (depth === 2) chart?.add(rec);
      continue;
    }
    notes.add(rec);
    if (sheet.truncated) continue;
    if (pendingString && rec.type !== RT.STRING) pendingString = undefined;
    const rowCol =
      data.length >= 6
        ? { row: view.getUint16(0, true), col: view.getUint16(2, true), xf: view.getUint16(4, true) }
        : undefined;
    switch (rec.type) {
      case RT.LABELSST:
        if (rowCol && data.length >= 10) put(rowCol.row, rowCol.col, g.sst[view.getUint32(6, true)]);
        break;
      case RT.LABEL:
      case RT.RSTRING:
        if (rowCol) put(rowCol.row, rowCol.col, readUnicodeString(data, 6));
        break;
      case RT.NUMBER:
        if (rowCol && data.length >= 14) put(rowCol.row, rowCol.col, num(view.getFloat64(6, true), rowCol.xf));
        break;
      case RT.RK:
        if (rowCol && data.length >= 10) put(rowCol.row, rowCol.col, num(decodeRk(view.getUint32(6, true)), rowCol.xf));
        break;
      case RT.MULRK: {
        if (data.length < 6) break;
        const row = view.getUint16(0, true);
        const firstCol = view.getUint16(2, true);
        const count = Math.floor((data.length - 6) / 6);
        for (let i = 0; i < count; i++) {
          const at = 4 + i * 6;
          put(row, firstCol + i, num(decodeRk(view.getUint32(at + 2, true)), view.getUint16(at, true)));
        }
        break;
      }
      case RT.BOOLERR:
        if (rowCol && data.length >= 8)
          put(rowCol.row, rowCol.col, data[7] ? (ERRORS[data[6]] ?? '#ERROR') : data[6] ? 'TRUE' : 'FALSE');
        break;
      case RT.FORMULA:
        if (rowCol && data.length >= 14) {
          // The cached result: a double, or a tagged value when the top two bytes are 0xFFFF.
          if (view.getUint16(12, true) !== 0xffff)
            put(rowCol.row, rowCol.col, num(view.getFloat64(6, true), rowCol.xf));
          else if (data[6] === 0) pendingString = { row: rowCol.row, col: rowCol.col };
          else if (data[6] === 1) put(rowCol.row, rowCol.col, data[8] ? 'TRUE' : 'FALSE');
          else if (data[6] === 2) put(rowCol.row, rowCol.col, ERRORS[data[8]] ?? '#ERROR');
        }
        break;
      case RT.STRING:
        if (pendingString) put(pendingString.row, pendingString.col, readUnicodeString(data, 0));
        pendingString = undefined;
        break;
      case RT.ROW:
        if (data.length >= 16 && view.getUint16(12, true) & ROW_HIDDEN) sheet.hiddenRows.push(view.getUint16(0, true));
        break;
      case RT.COLINFO:
        if (data.length >= 10 && view.getUint16(8, true) & COL_HIDDEN) {
          const min = view.getUint16(0, true);
          const max = Math.min(view.getUint16(2, true), MAX_COL - 1);
          if (max >= min) sheet.hiddenCols.push({ min, max });
        }
        break;
      case RT.MERGEDCELLS: {
        const count = data.length >= 2 ? Math.min(view.getUint16(0, true), Math.floor((data.length - 2) / 8)) : 0;
        for (let i = 0; i < count; i++) {
          const at = 2 + i * 8;
          sheet.merges.push({
            r1: view.getUint16(at, true),
            r2: view.getUint16(at + 2, true),
            c1: view.getUint16(at + 4, true),
            c2: view.getUint16(at + 6, true),
          });
        }
        break;
      }
    }
  }
}
