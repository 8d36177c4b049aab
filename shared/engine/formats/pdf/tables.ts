/**
 * Borderless tables from alignment: runs of baseline bands that each hold several short line segments (cells)
 * whose x-ranges line up into columns. The lines of a table are taken out of the text flow and come back as
 * one table block at the table's position.
 */
import type { Line } from './lines.ts';
import type { Run } from './text-items.ts';
import { fragments, textColumns } from './text-columns.ts';
import type { Column } from './text-columns.ts';
import { runsText } from './ruled-tables.ts';
import { recordColumns } from './table-continuation.ts';
import { withoutTrailingCurrency } from './cell-text.ts';

export interface TableRegion {
  rows: string[][];
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  /** Notes set under the grid inside its frame (one entry per note line, its runs): paragraphs after the table. */
  notes?: Run[][];
}

const MAX_CELL_WORDS = 8;
/** A cell holding only a currency sign (it belongs to the figure beside it). */
export const CURRENCY = /^[$€£¥]$/;

interface Band {
  lines: Line[];
  baseline: number;
  size: number;
}

export function extractTables(lines: Line[]): { rest: Line[]; tables: TableRegion[] } {
  const bands = toBands(lines);
  const taken = new Set<Line>();
  const tables: TableRegion[] = [];
  let i = 0;
  let free = 0; // bands before this one belong to an earlier table
  while (i < bands.length) {
    if (!isCellRow(bands[i])) {
      i++;
      continue;
    }
    let j = i;
    let cellRows = 1;
    // Extend while the next band is close and is a row of cells (or a single short label between such rows).
    while (j + 1 < bands.length) {
      const next = bands[j + 1];
      if (next.baseline - bands[j].baseline > 2.4 * Math.max(next.size, bands[j].size)) break;
      if (isCellRow(next)) {
        cellRows++;
        j++;
        continue;
      }
      const after = bands[j + 2];
      if (
        next.lines.length === 1 &&
        words(next.lines[0].text) <= MAX_CELL_WORDS &&
        after &&
        isCellRow(after) &&
        after.baseline - next.baseline <= 2.4 * after.size
      ) {
        j++;
        continue;
      }
      break;
    }
    const region = bands.slice(i, j + 1);
    const table = cellRows >= 3 ? buildTable(region, bands.slice(free, i).slice(-2)) : undefined;
    if (table) {
      const { lines: used, ...rest } = table;
      tables.push(rest);
      for (const l of used) taken.add(l);
      free = j + 1;
    }
    i = j + 1;
  }
  return { rest: lines.filter((l) => !taken.has(l)), tables };
}

const words = (s: string) => s.split(/\s+/).filter(Boolean).length;

function isCellRow(band: Band): boolean {
  const cells = band.lines.filter((l) => !CURRENCY.test(l.text));
  return cells.length >= 2 && cells.every((l) => words(l.text) <= MAX_CELL_WORDS);
}

function toBands(lines: Line[]): Band[] {
  const sorted = [...lines].sort((a, b) => a.baseline - b.baseline);
  const bands: Band[] = [];
  for (const line of sorted) {
    const last = bands[bands.length - 1];
    if (last && Math.abs(line.baseline - last.baseline) <= 0.3 * Math.max(line.size, last.size)) {
      last.lines.push(line);
      last.size = Math.max(last.size, line.size);
    } else {
      bands.push({ lines: [line], baseline: line.baseline, size: line.size });
    }
  }
  for (const b of bands) b.lines.sort((a, c) => a.x0 - c.x0);
  return bands;
}

function buildTable(region: Band[], above: Band[]): (TableRegion & { lines: Line[] }) | undefined {
  const all = region.flatMap((b) => b.lines);
  // Columns: gaps that line up down the rows (a spanning label may cross one), else the x-ranges of the cells
  // of multi-cell rows merged where they overlap.
  const columns =
    textColumns(region.map((b) => b.lines.flatMap((l) => l.runs).filter((r) => !CURRENCY.test(r.text)))) ??
    overlapColumns(region);
  if (columns.length < 2 || columns.length > 30) return undefined;
  // Prose set in columns also yields rows of side-by-side segments; its segments are wide (a column's measure)
  // and wordy, where table cells are narrow against the table and short.
  const width = Math.max(...all.map((l) => l.x1)) - Math.min(...all.map((l) => l.x0));
  const cellWidths = all.map((l) => l.x1 - l.x0).sort((a, b) => a - b);
  const cellWords = all.map((l) => words(l.text)).sort((a, b) => a - b);
  if (cellWidths[Math.floor(cellWidths.length / 2)] > 0.28 * width || cellWords[Math.floor(cellWords.length / 2)] > 5)
    return undefined;
  // Two columns side by side are as often a form (label, value) as a table; ask for a column of figures.
  if (columns.length === 2) {
    const numeric = (c: Column) => {
      const inColumn = all.filter((l) => l.x0 < c.x1 && l.x1 > c.x0);
      return inColumn.filter((l) => FIGURE.test(l.text.replace(/[$€£¥]/g, ''))).length > 0.6 * inColumn.length;
    };
    if (!columns.some(numeric)) return undefined;
  }
  const header = headerAbove(above, columns, all);
  const bands = [...header, ...region];
  const grid = bands.map((band, i) => placeCells(band, columns, i < header.length + 1));
  const rows = joinHeaderRows(grid, header.length);
  // Right-to-left tables read from the rightmost column.
  const rtlChars = all.reduce(
    (n, l) => n + (l.text.match(/[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/gu)?.length ?? 0),
    0,
  );
  const letters = all.reduce((n, l) => n + (l.text.match(/\p{L}/gu)?.length ?? 0), 0);
  if (rtlChars > letters / 2) for (const r of rows) r.reverse();
  else
    recordColumns(rows, [
      columns[0].x0,
      ...columns.slice(1).map((c, i) => (columns[i].x1 + c.x0) / 2),
      columns[columns.length - 1].x1,
    ]);
  const lines = bands.flatMap((b) => b.lines);
  return {
    rows,
    x0: Math.min(...lines.map((l) => l.x0)),
    x1: Math.max(...lines.map((l) => l.x1)),
    top: Math.min(...lines.map((l) => l.top)),
    bottom: Math.max(...lines.map((l) => l.bottom)),
    lines,
  };
}

/** A cell that is a figure: digits, separators, signs, percent and accounting parentheses. */
export const FIGURE = /^[\d\s.,%()+−–-]+$/;

/** The x-ranges of the cells of multi-cell rows, merged where they overlap. */
function overlapColumns(region: Band[]): Column[] {
  const spans = region
    .filter((b) => b.lines.length >= 2)
    .flatMap((b) => b.lines.filter((l) => !CURRENCY.test(l.text)).map((l) => ({ x0: l.x0, x1: l.x1 })))
    .sort((a, b) => a.x0 - b.x0);
  const columns: Column[] = [];
  for (const s of spans) {
    const last = columns[columns.length - 1];
    if (last && s.x0 <= last.x1 + 1) last.x1 = Math.max(last.x1, s.x1);
    else columns.push({ ...s });
  }
  return columns;
}

interface Cell {
  text: string;
  spans: number[];
}

/**
 * One band's cell texts. Pieces are the line's runs joined across word-sized gaps, so a label and its value set
 * a few points apart still land in their own columns. A piece reaching across the gap between two columns, or
 * centred in that gap, is a spanning cell: in a header row it is repeated over every column it covers (how a spanning header is read),
 * in a body row it stays in the column it overlaps most.
 */
function placeCells(band: Band, columns: Column[], headerLike: boolean): Cell[] {
  const cells: Cell[] = columns.map(() => ({ text: '', spans: [] }));
  const runs = band.lines.flatMap((l) => l.runs).filter((r) => !CURRENCY.test(r.text.trim()));
  for (const piece of fragments(runs)) {
    const text = withoutTrailingCurrency(runsText(piece.runs));
    if (!text) continue;
    const covered = columns.flatMap((c, i) => (piece.x0 < c.x1 && piece.x1 > c.x0 ? [i] : []));
    const crosses =
      covered.length >= 2 &&
      covered.every((i, k) => k === 0 || (piece.x0 < columns[i - 1].x1 && piece.x1 > columns[i].x0));
    // A label centred in the gap between two columns names both (a group label over two figure columns).
    const centre = (piece.x0 + piece.x1) / 2;
    const gap = columns.findIndex((c, i) => i > 0 && centre > columns[i - 1].x1 && centre < c.x0);
    const between = gap > 0 ? [gap - 1, gap] : [];
    const targets =
      headerLike && crosses ? covered : headerLike && between.length ? between : [bestColumn(columns, piece)];
    for (const col of targets) {
      cells[col].text = cells[col].text ? `${cells[col].text} ${text}` : text;
      if (targets.length > 1) cells[col].spans = targets;
    }
  }
  return cells;
}

/**
 * Header lines right above the first row: one or two short lines close above it, lying over the value columns
 * (not starting in the first, label column) and within the table's width — "Year Ended" over the year columns
 * of a financial statement.
 */
function headerAbove(above: Band[], columns: Column[], body: Line[]): Band[] {
  const out: Band[] = [];
  // Only over columns of figures: a line centred over a table of words is as likely its title.
  const figures = columns.filter((c) => {
    const inColumn = body.filter((l) => (l.x0 + l.x1) / 2 >= c.x0 && (l.x0 + l.x1) / 2 <= c.x1);
    return (
      inColumn.length >= 2 &&
      inColumn.filter((l) => FIGURE.test(l.text.replace(/[$€£¥]/g, ''))).length > 0.6 * inColumn.length
    );
  });
  if (!figures.length) return out;
  let edge = Math.min(...body.map((l) => l.baseline));
  const left = figures[0].x0;
  const right = Math.max(...body.map((l) => l.x1));
  for (const band of [...above].reverse().slice(0, 2)) {
    if (edge - band.baseline > 2 * band.size) break;
    const text = band.lines.map((l) => l.text).join(' ');
    const lineWords = words(text);
    const inside = band.lines.every(
      (l) => l.x0 > columns[0].x1 && l.x0 >= left - band.size && l.x1 <= right + band.size,
    );
    if (!inside || lineWords === 0 || lineWords > 8 || FIGURE.test(text.replace(/[$€£¥]/g, ''))) break;
    out.unshift(band);
    edge = band.baseline;
  }
  return out;
}

/**
 * GFM has one header row. Header rows (the lines above the first row, and leading rows with an empty first
 * cell and no figures) that are one cell's text wrapped over two lines are joined cell-wise with a space; a row
 * holding a spanning group label stays a row of its own above them, its label repeated over the columns it spans.
 */
function joinHeaderRows(grid: Cell[][], above: number): string[][] {
  let count = above;
  while (
    count < grid.length - 1 &&
    count < above + 2 &&
    !grid[count][0].text &&
    grid[count].some((c) => c.text) &&
    grid[count].every((c) => !FIGURE.test(c.text.replace(/[$€£¥]/g, '')) || !c.text)
  )
    count++;
  const out: Cell[][] = [];
  for (let i = 0; i < grid.length; i++) {
    const row = grid[i];
    const prev = out[out.length - 1];
    const wrapped = i > 0 && i < count && prev && !prev.some((c) => c.spans.length) && !row.some((c) => c.spans.length);
    if (wrapped) {
      out[out.length - 1] = prev.map((c, k) => ({ text: [c.text, row[k].text].filter(Boolean).join(' '), spans: [] }));
    } else {
      out.push(row);
    }
  }
  return out.map((r) => r.map((c) => c.text));
}

function bestColumn(columns: Column[], l: { x0: number; x1: number }): number {
  let best = 0;
  let bestScore = -Infinity;
  columns.forEach((c, i) => {
    const overlap = Math.min(c.x1, l.x1) - Math.max(c.x0, l.x0);
    const score = overlap > 0 ? overlap : -Math.min(Math.abs(c.x0 - l.x1), Math.abs(l.x0 - c.x1));
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}
