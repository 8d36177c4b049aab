/**
 * BIFF8 workbook → sheets of display-text cells. The globals substream gives the sheet list, shared strings,
 * number formats, cell styles and the date system; each worksheet substream gives its cell records.
 */
import { encrypted, corrupt, unsupported } from '../../errors.ts';
import type { CellRange, SheetCell } from '../xlsx/grid.ts';
import type { CellComment } from '../xlsx/comments.ts';
import { NoteCollector } from './notes.ts';
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
}

const BIFF8 = 0x0600;
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
  return globals.sheets.map((s) => {
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
      problems: [],
    };
    if (s.kind === 'worksheet' && (s.state === 'visible' || !anyVisible)) {
      readSheet(stream, s.offset, globals, sheet, remaining);
      remaining -= sheet.cells.length;
    }
    return sheet;
  });
}

function readGlobals(stream: Uint8Array): Globals {
  const g: Globals = { sheets: [], sst: [], formats: new Map(), xfFormats: [], date1904: false };
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

function readSheet(stream: Uint8Array, offset: number, g: Globals, sheet: XlsSheet, maxCells: number): void {
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
  readSheetRecords(stream, offset, g, notes, put, num, sheet);
  sheet.notes = notes.notes();
  sheet.problems.push(...notes.problems);
}

function readSheetRecords(
  stream: Uint8Array,
  offset: number,
  g: Globals,
  notes: NoteCollector,
  put: (row: number, col: number, text: string | undefined) => void,
  num: (value: number, xf: number) => string,
  sheet: XlsSheet,
): void {
  let depth = 0;
  let pendingString: { row: number; col: number } | undefined;
  for (const rec of records(stream, offset)) {
    const { data, view } = rec;
    if (rec.type === RT.BOF) {
      depth++;
      continue;
    }
    if (rec.type === RT.EOF) {
      if (--depth <= 0) return;
      continue;
    }
    // Embedded chart substreams sit inside a worksheet; their records are not cells.
    if (depth !== 1) continue;
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
