/**
 * Borderless tables from alignment: runs of baseline bands that each hold several short line segments (cells)
 * whose x-ranges line up into columns. The lines of a table are taken out of the text flow and come back as
 * one table block at the table's position.
 */
import type { Line } from './lines.ts';

export interface TableRegion {
  rows: string[][];
  x0: number;
  x1: number;
  top: number;
  bottom: number;
}

const MAX_CELL_WORDS = 8;
const CURRENCY = /^[$€£¥]$/;

interface Band { lines: Line[]; baseline: number; size: number }

export function extractTables(lines: Line[]): { rest: Line[]; tables: TableRegion[] } {
  const bands = toBands(lines);
  const taken = new Set<Line>();
  const tables: TableRegion[] = [];
  let i = 0;
  while (i < bands.length) {
    if (!isCellRow(bands[i])) { i++; continue; }
    let j = i;
    let cellRows = 1;
    // Extend while the next band is close and is a row of cells (or a single short label between such rows).
    while (j + 1 < bands.length) {
      const next = bands[j + 1];
      if (next.baseline - bands[j].baseline > 2.4 * Math.max(next.size, bands[j].size)) break;
      if (isCellRow(next)) { cellRows++; j++; continue; }
      const after = bands[j + 2];
      if (next.lines.length === 1 && words(next.lines[0].text) <= MAX_CELL_WORDS && after && isCellRow(after)
        && after.baseline - next.baseline <= 2.4 * after.size) { j++; continue; }
      break;
    }
    const region = bands.slice(i, j + 1);
    const table = cellRows >= 3 ? buildTable(region) : undefined;
    if (table) {
      tables.push(table);
      for (const b of region) for (const l of b.lines) taken.add(l);
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

function buildTable(region: Band[]): TableRegion | undefined {
  // Columns: x-ranges of the cells of multi-cell rows, merged where they overlap.
  const spans = region
    .filter((b) => b.lines.length >= 2)
    .flatMap((b) => b.lines.filter((l) => !CURRENCY.test(l.text)).map((l) => ({ x0: l.x0, x1: l.x1 })))
    .sort((a, b) => a.x0 - b.x0);
  const columns: { x0: number; x1: number }[] = [];
  for (const s of spans) {
    const last = columns[columns.length - 1];
    if (last && s.x0 <= last.x1 + 1) last.x1 = Math.max(last.x1, s.x1);
    else columns.push({ ...s });
  }
  if (columns.length < 2 || columns.length > 30) return undefined;
  // Prose set in columns also yields rows of side-by-side segments; its segments are wide (a column's measure)
  // and wordy, where table cells are narrow against the table and short.
  const all = region.flatMap((b) => b.lines);
  const width = Math.max(...all.map((l) => l.x1)) - Math.min(...all.map((l) => l.x0));
  const cellWidths = all.map((l) => l.x1 - l.x0).sort((a, b) => a - b);
  const cellWords = all.map((l) => words(l.text)).sort((a, b) => a - b);
  if (cellWidths[Math.floor(cellWidths.length / 2)] > 0.28 * width || cellWords[Math.floor(cellWords.length / 2)] > 5) return undefined;
  // Two columns side by side are as often a form (label, value) as a table; ask for a column of figures.
  if (columns.length === 2) {
    const numeric = (c: { x0: number; x1: number }) => {
      const inColumn = all.filter((l) => l.x0 < c.x1 && l.x1 > c.x0);
      return inColumn.filter((l) => /^[\d\s.,%()+−-]+$/.test(l.text.replace(/[$€£¥]/g, ''))).length > 0.6 * inColumn.length;
    };
    if (!columns.some(numeric)) return undefined;
  }
  const rows = region.map((band) => {
    const cells: string[] = columns.map(() => '');
    for (const l of band.lines) {
      if (CURRENCY.test(l.text)) continue;
      const col = bestColumn(columns, l);
      cells[col] = cells[col] ? `${cells[col]} ${l.text}` : l.text;
    }
    return cells.map((c) => c.replace(/\s*[$€£¥]$/, '').trim());
  });
  // Right-to-left tables read from the rightmost column.
  const rtlChars = all.reduce((n, l) => n + (l.text.match(/[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]/gu)?.length ?? 0), 0);
  const letters = all.reduce((n, l) => n + (l.text.match(/\p{L}/gu)?.length ?? 0), 0);
  if (rtlChars > letters / 2) for (const r of rows) r.reverse();
  return {
    rows,
    x0: Math.min(...all.map((l) => l.x0)),
    x1: Math.max(...all.map((l) => l.x1)),
    top: Math.min(...all.map((l) => l.top)),
    bottom: Math.max(...all.map((l) => l.bottom)),
  };
}

function bestColumn(columns: { x0: number; x1: number }[], l: Line): number {
  let best = 0;
  let bestScore = -Infinity;
  columns.forEach((c, i) => {
    const overlap = Math.min(c.x1, l.x1) - Math.max(c.x0, l.x0);
    const score = overlap > 0 ? overlap : -Math.min(Math.abs(c.x0 - l.x1), Math.abs(l.x0 - c.x1));
    if (score > bestScore) { bestScore = score; best = i; }
  });
  return best;
}
