/**
 * What the converters do with hidden parts of a workbook (shared by XLSX and XLS); nothing is dropped silently.
 *
 * - Hidden sheets (`state="hidden"`, and `veryHidden`, which only a macro can show again): when the workbook has
 *   a visible sheet they are left out, each with an `unsupported_content` warning that names it. The visible
 *   sheets are what the author presents; hidden ones mostly hold lookup lists, scratch work or data a macro
 *   uses, which would otherwise lead the document (reference converters such as docling leave them out too).
 *   When every sheet is hidden they are converted, their heading marked `(hidden sheet)` or
 *   `(very hidden sheet)`, rather than refusing the workbook as empty.
 * - Hidden rows and columns are converted like any other cells: they are usually detail rows of a collapsed
 *   outline, rows a filter hides, or helper columns the visible totals are computed from, so leaving them out
 *   would lose data. As a reader of the Markdown cannot otherwise tell what the workbook's user did not see, a
 *   note under the sheet heading names the hidden rows and columns that hold data.
 */
import type { ConvertContext } from '../../types.ts';
import type { BlockContent } from '../../mdast.ts';
import { paragraph, text } from '../../mdast.ts';
import type { SheetCell } from './grid.ts';

export interface HiddenLines {
  /** 0-based hidden rows. */
  rows: readonly number[];
  /** 0-based, inclusive hidden column spans. */
  cols: readonly { min: number; max: number }[];
}

const MAX_COLS = 16_384;
export type SheetState = 'visible' | 'hidden' | 'veryHidden';

/** The sheets to convert, in workbook order, with a warning naming each hidden sheet left out. */
export function sheetsToConvert<T extends { name: string; state: SheetState }>(
  sheets: readonly T[],
  ctx: ConvertContext,
): T[] {
  const visible = sheets.filter((s) => s.state === 'visible');
  if (!visible.length) return [...sheets];
  for (const s of sheets) {
    if (s.state === 'visible') continue;
    ctx.warn({
      code: 'unsupported_content',
      message: `${s.state === 'veryHidden' ? 'very hidden' : 'hidden'} sheet "${s.name}" was left out (only visible sheets are converted when there are any)`,
    });
  }
  return visible;
}

/** The heading of a sheet: its name, marked when the sheet is hidden. */
export function sheetHeadingText(sheet: { name: string; state: SheetState }): string {
  if (sheet.state === 'veryHidden') return `${sheet.name} (very hidden sheet)`;
  if (sheet.state === 'hidden') return `${sheet.name} (hidden sheet)`;
  return sheet.name;
}

/** Listed runs before the rest are counted as "and N more". */
const MAX_LISTED = 12;

/**
 * A note such as `Hidden rows 4–6, 9 and hidden column C are included.`, naming only hidden rows and columns
 * that hold a cell (1-based row numbers, column letters, as Excel shows them); undefined when there are none.
 */
export function hiddenLinesNote(cells: readonly SheetCell[], hidden: HiddenLines): BlockContent | undefined {
  if (!cells.length || (!hidden.rows.length && !hidden.cols.length)) return undefined;
  const hiddenRows = new Set(hidden.rows);
  // Spans swept in order, each column visited once: at most the sheet's 16,384, however many spans overlap.
  const hiddenCols = new Set<number>();
  let covered = -1;
  for (const s of [...hidden.cols].sort((a, b) => a.min - b.min)) {
    for (let c = Math.max(s.min, covered + 1); c <= Math.min(s.max, MAX_COLS - 1); c++) hiddenCols.add(c);
    covered = Math.max(covered, s.max);
  }
  const rows = new Set<number>();
  const cols = new Set<number>();
  for (const c of cells) {
    if (hiddenRows.has(c.row)) rows.add(c.row);
    if (hiddenCols.has(c.col)) cols.add(c.col);
  }
  const parts: string[] = [];
  if (rows.size) parts.push(`hidden ${rows.size > 1 ? 'rows' : 'row'} ${runs([...rows], (r) => String(r + 1))}`);
  if (cols.size) parts.push(`hidden ${cols.size > 1 ? 'columns' : 'column'} ${runs([...cols], columnName)}`);
  if (!parts.length) return undefined;
  const sentence = parts.join(' and ');
  return paragraph([
    text(
      `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)} ${rows.size + cols.size > 1 ? 'are' : 'is'} included.`,
    ),
  ]);
}

/** `[3, 4, 5, 9]` → `4–6, 10` (with `name` applied), the list cut after {@link MAX_LISTED} runs. */
function runs(values: number[], name: (n: number) => string): string {
  const sorted = values.sort((a, b) => a - b);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    out.push(i === j ? name(sorted[i]) : `${name(sorted[i])}–${name(sorted[j])}`);
    i = j + 1;
  }
  return out.length > MAX_LISTED
    ? `${out.slice(0, MAX_LISTED).join(', ')} and ${out.length - MAX_LISTED} more`
    : out.join(', ');
}

/** 0 → `A`, 27 → `AB`. */
export function columnName(col: number): string {
  let n = col + 1;
  let out = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    out = String.fromCharCode(65 + r) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}
