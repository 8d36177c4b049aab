/**
 * A sheet as sparse cells → GFM tables. Only cells that hold text are kept, so a dimension such as
 * `A1:XFD1048576` never allocates a grid. Shared by the XLSX and XLS readers.
 *
 * A sheet often holds several blocks (a title, side-by-side tables), but it also uses blank rows and columns
 * as mere spacing inside one block: financial statements put a blank row between sections and a narrow blank
 * column between the row labels and the figures. Splitting there cuts numbers off from their labels and data
 * from its header row, so the block rule is:
 *
 * - Cells are grouped by recursive cuts along fully empty rows, then fully empty columns (reading order: top to
 *   bottom, then left to right). A merged area that carries a value counts as occupying every cell it spans.
 * - A gap of TWO or more empty rows (columns) always separates blocks.
 * - A gap of ONE empty row (column) is spacing, and the parts on either side stay one block, when they are
 *   aligned: of the columns (for a row gap) or rows (for a column gap) in which a cell starts on either side,
 *   at least half hold a cell on both sides (Jaccard index ≥ {@link MIN_ALIGNMENT}). Side-by-side tables that
 *   merely touch at a corner, or stacked tables with different columns, are therefore still separate.
 * - Exception, a caption: a part of at most {@link MAX_CAPTION_ROWS} rows that each hold a single cell,
 *   followed by one empty row and then a wider part (some row with two or more cells), is a title above a
 *   table, not its header: it stays a block of its own.
 *
 * Within a block, rows and columns that hold no cell (the spacers) are dropped from the table.
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

type Axis = 'row' | 'col';

/** Past this depth a pathological layout (a staircase of cells) stays one table rather than costing O(n²). */
const MAX_CUT_DEPTH = 40;
/** Column count of the largest sheet Excel allows; makes (row, col) one number. */
const MAX_COLS = 16_384;
/** Jaccard index of the occupied cross-lines above which parts across a one-line gap are one block. */
export const MIN_ALIGNMENT = 0.5;
/** Longest run of single-cell rows treated as a caption above a table. */
export const MAX_CAPTION_ROWS = 3;

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
  if (depth >= MAX_CUT_DEPTH) {
    emit(items, out);
    return;
  }
  for (const axis of ['row', 'col'] as const) {
    const blocks = join(split(items, axis), axis);
    if (blocks.length > 1) {
      for (const block of blocks) cut(block, depth + 1, out);
      return;
    }
  }
  emit(items, out);
}

function emit(items: Item[], out: SheetCell[][]): void {
  const cells: SheetCell[] = [];
  for (const it of items) if (it.cell) cells.push(it.cell);
  if (cells.length) out.push(cells);
}

interface Run {
  items: Item[];
  /** Empty lines between this run and the one before it (0 for the first). */
  gap: number;
}

/** Group items into runs separated by at least one fully empty row (or column). */
function split(items: Item[], axis: Axis): Run[] {
  const lo = axis === 'row' ? (i: Item) => i.r1 : (i: Item) => i.c1;
  const hi = axis === 'row' ? (i: Item) => i.r2 : (i: Item) => i.c2;
  const sorted = [...items].sort((a, b) => lo(a) - lo(b));
  const runs: Run[] = [];
  let current: Run = { items: [], gap: 0 };
  let reach = -Infinity;
  for (const it of sorted) {
    if (current.items.length && lo(it) > reach + 1) {
      runs.push(current);
      current = { items: [], gap: lo(it) - reach - 1 };
    }
    current.items.push(it);
    reach = Math.max(reach, hi(it));
  }
  if (current.items.length) runs.push(current);
  return runs;
}

/** Runs → blocks: neighbours across a one-line gap are joined when aligned and neither is a caption. */
function join(runs: Run[], axis: Axis): Item[][] {
  if (runs.length < 2) return runs.map((r) => r.items);
  const caption = axis === 'row' ? runs.map((r, i) => isCaption(r.items, runs[i + 1])) : [];
  const blocks: Item[][] = [runs[0].items];
  for (let i = 1; i < runs.length; i++) {
    const joined =
      runs[i].gap === 1 &&
      !caption[i - 1] &&
      !caption[i] &&
      alignment(runs[i - 1].items, runs[i].items, axis) >= MIN_ALIGNMENT;
    if (joined) blocks[blocks.length - 1] = blocks[blocks.length - 1].concat(runs[i].items);
    else blocks.push(runs[i].items);
  }
  return blocks;
}

/** Jaccard index of the lines across `axis` (columns for a row gap, rows for a column gap) holding a cell. */
function alignment(a: Item[], b: Item[], axis: Axis): number {
  const across = (items: Item[]) => {
    const set = new Set<number>();
    for (const it of items) if (it.cell) set.add(axis === 'row' ? it.c1 : it.r1);
    return set;
  };
  const sa = across(a);
  const sb = across(b);
  let both = 0;
  for (const k of sa) if (sb.has(k)) both++;
  const union = sa.size + sb.size - both;
  return union ? both / union : 0;
}

/** A short run of single-cell rows followed, after one empty row, by a run with a row of several cells. */
function isCaption(items: Item[], next: Run | undefined): boolean {
  if (!next || next.gap !== 1) return false;
  const perRow = cellsPerRow(items);
  if (perRow.size > MAX_CAPTION_ROWS || [...perRow.values()].some((n) => n !== 1)) return false;
  return [...cellsPerRow(next.items).values()].some((n) => n > 1);
}

function cellsPerRow(items: Item[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const it of items) if (it.cell) counts.set(it.r1, (counts.get(it.r1) ?? 0) + 1);
  return counts;
}

export interface TableBudget {
  /** Cells still allowed in this document. */
  remaining: number;
}

/**
 * One region → a table whose first row (the first non-empty row) is the header. Rows and columns of the
 * region's extent that hold no cell (spacers) are left out. Cuts rows past the cell budget with a `truncated`
 * warning; allocates at most the budget, whatever the region's extent.
 */
export function regionTable(
  cells: readonly SheetCell[],
  budget: TableBudget,
  ctx: ConvertContext,
  where: string,
): Table | undefined {
  if (!cells.length || budget.remaining <= 0) return undefined;
  // Occupied columns in sheet order → their index in the table.
  const columns = [...new Set(cells.map((c) => c.col))].sort((a, b) => a - b);
  const rowsUsed = [...new Set(cells.map((c) => c.row))].sort((a, b) => a - b);
  let width = columns.length;
  const height = rowsUsed.length;
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
  const colIndex = new Map(columns.map((c, k) => [c, k]));
  const rowIndex = new Map(rowsUsed.map((r, k) => [r, k]));
  const grid: (string | undefined)[][] = Array.from({ length: rowsKept }, () => new Array<string | undefined>(width));
  for (const c of cells) {
    const r = rowIndex.get(c.row)!;
    const k = colIndex.get(c.col)!;
    if (r < rowsKept && k < width) grid[r][k] = c.text;
  }
  const rows = grid.map((line) => {
    const cellsOut = [];
    for (let k = 0; k < width; k++) cellsOut.push(cell(cellContent(line[k])));
    return row(cellsOut);
  });
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
