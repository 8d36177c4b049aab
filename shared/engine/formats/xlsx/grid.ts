/**
 * A sheet as sparse cells → GFM tables. Only cells that hold text are kept, so a dimension such as
 * `A1:XFD1048576` never allocates a grid. A sheet often holds several tables separated by blank rows or
 * columns (a title row, side-by-side blocks); each becomes its own table, in reading order (top to bottom,
 * then left to right), by recursive cuts along fully empty rows and columns. Shared by the XLSX and XLS readers.
 */
import type { ConvertContext } from '../../types.ts';
import type { PhrasingContent, Table } from '../../mdast.ts';
import { brk, cell, row, table, text } from '../../mdast.ts';

/** One non-empty cell; row and col are 0-based. */
export interface SheetCell {
  row: number;
  col: number;
  text: string;
}

/** A merged area, inclusive, 0-based. Its value lives in the top-left cell. */
export interface CellRange {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

interface Item extends CellRange {
  /** The cell, for single cells; merged areas only join their neighbours. */
  cell?: SheetCell;
}

/** Past this depth a pathological layout (a staircase of cells) stays one table rather than costing O(n²). */
const MAX_CUT_DEPTH = 40;
/** Column count of the largest sheet Excel allows; makes (row, col) one number. */
const MAX_COLS = 16_384;

/** Rectangles of the sheet that each hold one table, in reading order. */
export function findRegions(cells: readonly SheetCell[], merges: readonly CellRange[]): SheetCell[][] {
  const items: Item[] = cells.map((c) => ({ r1: c.row, c1: c.col, r2: c.row, c2: c.col, cell: c }));
  if (merges.length) {
    // A merged area joins what it spans only when it carries a value, so blank merges cannot glue tables.
    const anchors = new Set(cells.map((c) => c.row * MAX_COLS + c.col));
    for (const m of merges) if (anchors.has(m.r1 * MAX_COLS + m.c1)) items.push({ ...m });
  }
  const out: SheetCell[][] = [];
  cut(items, 0, out);
  return out;
}

function cut(items: Item[], depth: number, out: SheetCell[][]): void {
  const bands = split(items, 'row');
  if (depth >= MAX_CUT_DEPTH) {
    emit(items, out);
    return;
  }
  if (bands.length > 1) {
    for (const band of bands) cut(band, depth + 1, out);
    return;
  }
  const columns = split(items, 'col');
  if (columns.length > 1) {
    for (const column of columns) cut(column, depth + 1, out);
    return;
  }
  emit(items, out);
}

function emit(items: Item[], out: SheetCell[][]): void {
  const cells: SheetCell[] = [];
  for (const it of items) if (it.cell) cells.push(it.cell);
  if (cells.length) out.push(cells);
}

/** Group items into runs separated by at least one fully empty row (or column). */
function split(items: Item[], axis: 'row' | 'col'): Item[][] {
  const lo = axis === 'row' ? (i: Item) => i.r1 : (i: Item) => i.c1;
  const hi = axis === 'row' ? (i: Item) => i.r2 : (i: Item) => i.c2;
  const sorted = [...items].sort((a, b) => lo(a) - lo(b));
  const groups: Item[][] = [];
  let current: Item[] = [];
  let reach = -Infinity;
  for (const it of sorted) {
    if (current.length && lo(it) > reach + 1) {
      groups.push(current);
      current = [];
    }
    current.push(it);
    reach = Math.max(reach, hi(it));
  }
  if (current.length) groups.push(current);
  return groups;
}

export interface TableBudget {
  /** Cells still allowed in this document. */
  remaining: number;
}

/**
 * One region → a table whose first row (the first non-empty row) is the header. Cuts rows past the cell
 * budget with a `truncated` warning; allocates at most the budget, whatever the region's extent.
 */
export function regionTable(
  cells: readonly SheetCell[],
  budget: TableBudget,
  ctx: ConvertContext,
  where: string,
): Table | undefined {
  let r1 = Infinity,
    c1 = Infinity,
    r2 = -Infinity,
    c2 = -Infinity;
  for (const c of cells) {
    if (c.row < r1) r1 = c.row;
    if (c.row > r2) r2 = c.row;
    if (c.col < c1) c1 = c.col;
    if (c.col > c2) c2 = c.col;
  }
  if (!cells.length || budget.remaining <= 0) return undefined;
  let width = c2 - c1 + 1;
  const height = r2 - r1 + 1;
  if (width > budget.remaining) {
    ctx.warn({ code: 'truncated', message: `${where}: columns past the ${budget.remaining}-cell limit were cut` });
    width = budget.remaining;
  }
  const rowsKept = Math.min(height, Math.max(1, Math.floor(budget.remaining / width)));
  if (rowsKept < height) {
    ctx.warn({
      code: 'truncated',
      message: `${where}: ${height - rowsKept} of ${height} rows past the cell limit were cut`,
    });
  }
  budget.remaining -= rowsKept * width;
  const grid: (string | undefined)[][] = Array.from({ length: rowsKept }, () => new Array<string | undefined>(width));
  for (const c of cells) {
    const r = c.row - r1;
    const k = c.col - c1;
    if (r < rowsKept && k < width) grid[r][k] = c.text;
  }
  const rows = [];
  for (const line of grid) {
    // Skip rows left empty inside a region (only reachable through merged areas).
    if (!line.some((v) => v)) continue;
    const cellsOut = [];
    for (let k = 0; k < width; k++) cellsOut.push(cell(cellContent(line[k])));
    rows.push(row(cellsOut));
  }
  return rows.length ? table(rows) : undefined;
}

/** Cell text; line breaks inside a cell become breaks (the serializer renders them as `<br>`). */
function cellContent(value: string | undefined): PhrasingContent[] {
  if (!value) return [];
  const lines = value.split(/\r\n|\r|\n/);
  if (lines.length === 1) return [text(value)];
  const out: PhrasingContent[] = [];
  lines.forEach((line, i) => {
    if (i) out.push(brk());
    if (line) out.push(text(line));
  });
  return out;
}
