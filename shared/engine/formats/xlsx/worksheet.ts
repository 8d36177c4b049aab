/**
 * A worksheet part → its non-empty cells as display text, plus merged areas. Works from the cells present,
 * never from `<dimension>`, and keeps only the cached value of formula cells (`<v>`), never the formula.
 */
import type { CellRange, SheetCell } from './grid.ts';
import { streamXml, unescapeOoxml } from './stream-xml.ts';
import { classifyFormat, formatCodeFor, formatNumber } from './number-format.ts';
import type { Styles } from './package.ts';

export interface CellContext {
  sharedStrings: readonly string[];
  styles: Styles;
  date1904: boolean;
}

export interface WorksheetData {
  cells: SheetCell[];
  merges: CellRange[];
  /** True when reading stopped at the cell limit. */
  truncated: boolean;
  /** 0-based rows marked `hidden` (hidden by hand, by a filter or in a collapsed outline group). */
  hiddenRows: number[];
  /** 0-based, inclusive column spans marked `hidden` in `<cols>`. */
  hiddenCols: { min: number; max: number }[];
}

const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

/** `B12` → {row: 11, col: 1}; undefined for anything that is not a cell reference. */
export function parseRef(ref: string): { row: number; col: number } | undefined {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(ref.trim());
  if (!m) return undefined;
  let col = 0;
  for (const ch of m[1].toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]);
  if (row < 1 || row > MAX_ROW || col > MAX_COL) return undefined;
  return { row: row - 1, col: col - 1 };
}

export function parseRange(ref: string): CellRange | undefined {
  const [a, b = a] = ref.split(':');
  const p = parseRef(a);
  const q = parseRef(b);
  if (!p || !q) return undefined;
  return {
    r1: Math.min(p.row, q.row),
    c1: Math.min(p.col, q.col),
    r2: Math.max(p.row, q.row),
    c2: Math.max(p.col, q.col),
  };
}

export function readWorksheet(source: string, part: string, cx: CellContext, maxCells: number): WorksheetData {
  const cells: SheetCell[] = [];
  const merges: CellRange[] = [];
  const hiddenRows: number[] = [];
  const hiddenCols: { min: number; max: number }[] = [];
  let truncated = false;
  let rowIndex = -1;
  let colIndex = -1;
  // The cell being read.
  let type = '';
  let style = 0;
  let value: string | undefined;
  let inline: string | undefined;
  let inValue = false;
  let inInlineText = false;
  let phonetic = 0;
  let inCell = false;

  const finishCell = () => {
    const shown = displayValue(type, style, value, inline, cx);
    if (shown !== undefined && shown.trim() !== '') {
      if (cells.length >= maxCells) truncated = true;
      else cells.push({ row: rowIndex, col: colIndex, text: shown });
    }
  };

  streamXml(source, part, {
    open(name, attrs) {
      switch (name) {
        case 'row': {
          const r = Number(attrs.r);
          rowIndex = Number.isInteger(r) && r >= 1 && r <= MAX_ROW ? r - 1 : rowIndex + 1;
          colIndex = -1;
          if (isTrue(attrs.hidden)) hiddenRows.push(rowIndex);
          break;
        }
        case 'col': {
          const min = Number(attrs.min);
          const max = Number(attrs.max ?? attrs.min);
          if (isTrue(attrs.hidden) && Number.isInteger(min) && Number.isInteger(max) && min >= 1 && max >= min)
            hiddenCols.push({ min: min - 1, max: Math.min(max, MAX_COL) - 1 });
          break;
        }
        case 'c': {
          const ref = attrs.r ? parseRef(attrs.r) : undefined;
          if (ref) {
            rowIndex = ref.row;
            colIndex = ref.col;
          } else {
            if (rowIndex < 0) rowIndex = 0;
            colIndex++;
          }
          type = attrs.t ?? 'n';
          style = Number(attrs.s ?? 0) || 0;
          value = undefined;
          inline = undefined;
          inCell = true;
          break;
        }
        case 'v':
          if (inCell) {
            inValue = true;
            value = '';
          }
          break;
        case 'is':
          if (inCell) inline = '';
          break;
        case 'rPh':
          phonetic++;
          break;
        case 't':
          if (inline !== undefined && !phonetic) inInlineText = true;
          break;
        case 'mergeCell': {
          const range = attrs.ref ? parseRange(attrs.ref) : undefined;
          if (range) merges.push(range);
          break;
        }
      }
    },
    close(name) {
      switch (name) {
        case 'c':
          if (inCell) finishCell();
          inCell = false;
          break;
        case 'v':
          inValue = false;
          break;
        case 't':
          inInlineText = false;
          break;
        case 'rPh':
          phonetic--;
          break;
      }
    },
    text(t) {
      if (inValue) value += t;
      else if (inInlineText) inline += t;
    },
    done: () => truncated,
  });
  return { cells, merges, truncated, hiddenRows, hiddenCols };
}

const isTrue = (v: string | undefined) => v === '1' || v === 'true';

/** What a cell shows, by its type: shared or inline string, boolean, error, formula text, date or number. */
function displayValue(
  type: string,
  style: number,
  value: string | undefined,
  inline: string | undefined,
  cx: CellContext,
): string | undefined {
  switch (type) {
    case 's': {
      const i = Number(value);
      return Number.isInteger(i) ? cx.sharedStrings[i] : undefined;
    }
    case 'inlineStr':
      return inline !== undefined ? unescapeOoxml(inline) : value;
    case 'str':
      return value === undefined ? undefined : unescapeOoxml(value);
    case 'b':
      return value === undefined ? undefined : value.trim() === '1' || value.trim() === 'true' ? 'TRUE' : 'FALSE';
    case 'e':
      return value;
    case 'd':
      return value === undefined ? undefined : isoDateText(value);
    default: {
      if (value === undefined) return inline;
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) return value;
      const code = formatCodeFor(cx.styles.cellFormats[style] ?? 0, cx.styles.customFormats);
      return formatNumber(n, classifyFormat(code), cx.date1904);
    }
  }
}

/** `2024-01-05T00:00:00Z` (a `t="d"` cell) → `2024-01-05`, keeping a time of day when there is one. */
function isoDateText(value: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  if (!m) return value;
  if (!m[2] || /^00:00(:00)?$/.test(m[2])) return m[1];
  return `${m[1]} ${m[2]}`;
}
