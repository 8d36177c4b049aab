/**
 * Columns of a table from the text alone: x-ranges that almost no line of the table puts ink on separate the
 * columns. Words of one cell are close together (a space is about a quarter of the font size), while cells are
 * separated by wider gaps, and those gaps line up from row to row whether the column is left-, right- or
 * decimal-aligned. A line spanning several columns (a group label) may cross a gap, so a few crossings are
 * tolerated. Prose is refused: its lines are long single fragments.
 */
import type { Run } from './text-items.ts';

export interface Column {
  x0: number;
  x1: number;
}

/** Runs closer than this many font sizes belong to the same cell fragment. */
const FRAGMENT_GAP = 0.8;

/** Cell fragments of one line: runs joined across word-sized gaps. */
export function fragments(runs: Run[]): { x0: number; x1: number; runs: Run[]; words: number }[] {
  const sorted = [...runs].sort((a, b) => a.x0 - b.x0);
  const out: { x0: number; x1: number; runs: Run[]; words: number }[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.x0 - last.x1 < FRAGMENT_GAP * r.size) {
      last.x1 = Math.max(last.x1, r.x1);
      last.runs.push(r);
    } else {
      out.push({ x0: r.x0, x1: r.x1, runs: [r], words: 0 });
    }
  }
  for (const f of out)
    f.words = f.runs
      .map((r) => r.text)
      .join(' ')
      .split(/\s+/)
      .filter(Boolean).length;
  return out;
}

export function textColumns(bands: Run[][]): Column[] | undefined {
  const lines = bands.filter((b) => b.length).map(fragments);
  if (lines.length < 2) return undefined;
  const all = lines.flat();
  const minX = Math.min(...all.map((f) => f.x0));
  const maxX = Math.max(...all.map((f) => f.x1));
  const width = maxX - minX;
  if (width < 10) return undefined;
  const sizes = all.flatMap((f) => f.runs.map((r) => r.size)).sort((a, b) => a - b);
  const size = sizes[Math.floor(sizes.length / 2)];
  // Prose: long single-fragment lines.
  const proseLines = lines.filter((l) => l.length === 1 && l[0].x1 - l[0].x0 > 0.6 * width && l[0].words > 6).length;
  if (proseLines > Math.max(1, 0.2 * lines.length)) return undefined;
  const bins = Math.ceil(width) + 1;
  const ink = new Int32Array(bins);
  for (const line of lines) {
    const seen = new Uint8Array(bins);
    for (const f of line) {
      for (let i = Math.max(0, Math.floor(f.x0 - minX)); i < Math.min(bins, Math.ceil(f.x1 - minX)); i++) seen[i] = 1;
    }
    for (let i = 0; i < bins; i++) ink[i] += seen[i];
  }
  // A group label or a header bar may cross one gap: in a table of five lines or more, one crossing line is
  // tolerated even where a tenth of the lines rounds down to none.
  const allowed = Math.max(Math.floor(0.1 * lines.length), lines.length >= 5 ? 1 : 0);
  const minGap = Math.max(3, 0.5 * size);
  const columns: Column[] = [];
  let start = -1;
  let gapStart = -1;
  for (let i = 0; i <= bins; i++) {
    const inked = i < bins && ink[i] > allowed;
    if (inked) {
      if (start < 0) start = i;
      else if (gapStart >= 0 && i - gapStart < minGap) {
        /* a narrow gap: same column */
      } else if (gapStart >= 0) {
        columns.push({ x0: minX + start, x1: minX + gapStart });
        start = i;
      }
      gapStart = -1;
    } else if (start >= 0 && gapStart < 0) {
      gapStart = i;
    }
  }
  if (start >= 0) columns.push({ x0: minX + start, x1: minX + (gapStart >= 0 ? gapStart : bins) });
  // A column must hold a cell: a range inked only by a long cell plus a crossing label, with no piece centred
  // in it, is part of its left neighbour.
  const centred = columns.map((c) => all.filter((f) => (f.x0 + f.x1) / 2 >= c.x0 && (f.x0 + f.x1) / 2 <= c.x1).length);
  for (let k = columns.length - 1; k >= 1; k--) {
    if (centred[k] > 0) continue;
    columns[k - 1].x1 = columns[k].x1;
    columns.splice(k, 1);
  }
  if (columns.length < 2 || columns.length > 40) return undefined;
  // Most lines must actually have cells in two or more columns.
  const colOf = (x: number) => columns.findIndex((c) => x <= c.x1 + minGap / 2);
  const multi = lines.filter((l) => new Set(l.map((f) => colOf((f.x0 + f.x1) / 2))).size >= 2).length;
  if (multi < Math.max(2, 0.5 * lines.length)) return undefined;
  return columns;
}
