/**
 * Reading order with columns kept apart. A gutter is an x-range that almost no line crosses and that has
 * column-like text on both sides, side by side. Lines that do cross it (a title, a full-width caption) cut the
 * page into sections; within each section the left column is read before the right one, recursively, so
 * three-column pages and columns below a full-width title come out in order.
 */
import type { Line } from './lines.ts';

const byRows = (a: Line, b: Line) => a.baseline - b.baseline || a.x0 - b.x0;

export function readingOrder(lines: Line[], depth = 0): Line[] {
  if (lines.length < 4 || depth > 12) return [...lines].sort(byRows);
  const gutter = findGutter(lines);
  if (!gutter) {
    // No gutter across the whole region: parts of it, separated by blank bands, may still have their own
    // column layouts (the end of one article in two columns, the next one's abstract full width).
    const bands = splitBands(lines);
    if (bands.length < 2) return [...lines].sort(byRows);
    return bands.flatMap((band) => readingOrder(band, depth + 1));
  }
  // A line crosses the gutter only when it reaches well into both columns: the longest lines of a ragged
  // column, a leader running up to the gutter, or OCR boxes off by a pixel reach into it without crossing.
  const mid = (gutter.x0 + gutter.x1) / 2;
  const crosses = (l: Line) => l.x0 < gutter.x0 - reach(l) && l.x1 > gutter.x1 + reach(l);
  const sorted = [...lines].sort((a, b) => a.top - b.top || a.x0 - b.x0);
  const out: Line[] = [];
  let section: Line[] = [];
  const flush = () => {
    if (!section.length) return;
    // Sides by each line's centre, so a line poking into the gutter stays with its own column.
    const left = section.filter((l) => (l.x0 + l.x1) / 2 < mid);
    const right = section.filter((l) => (l.x0 + l.x1) / 2 >= mid);
    out.push(...readingOrder(left, depth + 1), ...readingOrder(right, depth + 1));
    section = [];
  };
  for (const line of sorted) {
    if (crosses(line)) {
      flush();
      out.push(line);
    } else {
      section.push(line);
    }
  }
  flush();
  return out;
}

/** How far past each gutter edge a line must reach to cross it: half its font size. */
const reach = (l: Line) => 0.5 * l.size;

/** Split a region at horizontal blank bands clearly taller than the line spacing. */
function splitBands(lines: Line[]): Line[][] {
  const size = median(lines.map((l) => l.size));
  const sorted = [...lines].sort((a, b) => a.top - b.top);
  const bands: Line[][] = [];
  let current: Line[] = [];
  let bottom = -Infinity;
  for (const line of sorted) {
    if (current.length && line.top - bottom > 0.9 * size) {
      bands.push(current);
      current = [];
    }
    current.push(line);
    bottom = Math.max(bottom, line.bottom);
  }
  if (current.length) bands.push(current);
  return bands;
}

interface Gutter {
  x0: number;
  x1: number;
}

function findGutter(lines: Line[]): Gutter | undefined {
  const minX = Math.min(...lines.map((l) => l.x0));
  const maxX = Math.max(...lines.map((l) => l.x1));
  const size = median(lines.map((l) => l.size));
  const step = 1;
  const bins = Math.ceil((maxX - minX) / step);
  if (bins < 3) return undefined;
  const crossing = new Int32Array(bins + 1);
  for (const l of lines) {
    const a = Math.max(0, Math.floor((l.x0 - minX) / step));
    const b = Math.min(bins, Math.ceil((l.x1 - minX) / step));
    for (let i = a; i < b; i++) crossing[i]++;
  }
  const allowed = Math.max(0, Math.floor(lines.length * 0.12));
  const minWidth = Math.max(4, 0.6 * size);
  let best: { gutter: Gutter; score: number } | undefined;
  let runStart = -1;
  for (let i = 0; i <= bins; i++) {
    const open = i < bins && crossing[i] <= allowed;
    if (open && runStart < 0) runStart = i;
    if (!open && runStart >= 0) {
      const gutter = { x0: minX + runStart * step, x1: minX + i * step };
      runStart = -1;
      if (gutter.x1 - gutter.x0 < minWidth) continue;
      const score = gutterScore(lines, gutter);
      if (score > 0 && (!best || score > best.score)) best = { gutter, score };
    }
  }
  return best?.gutter;
}

/** How convincingly a gutter separates two text columns: 0 when it does not. */
function gutterScore(lines: Line[], g: Gutter): number {
  const left = lines.filter((l) => l.x1 <= g.x0 + 0.5);
  const right = lines.filter((l) => l.x0 >= g.x1 - 0.5);
  const textual = (side: Line[]) => side.filter((l) => l.text.length >= 18 || wordCount(l) >= 3);
  const tl = textual(left);
  const tr = textual(right);
  if (tl.length < 3 || tr.length < 3) return 0;
  // Columns read side by side: their vertical extents must overlap substantially.
  const top = Math.max(Math.min(...tl.map((l) => l.top)), Math.min(...tr.map((l) => l.top)));
  const bottom = Math.min(Math.max(...tl.map((l) => l.bottom)), Math.max(...tr.map((l) => l.bottom)));
  const shorter = Math.min(extent(tl), extent(tr));
  if (bottom - top < 0.5 * shorter) return 0;
  // Mostly text on both sides, not short cells of a table.
  if (tl.length < 0.5 * left.length || tr.length < 0.5 * right.length) return 0;
  return Math.min(tl.length, tr.length) * (g.x1 - g.x0);
}

const words = new WeakMap<Line, number>();
/** Words of a line, counted once per line (gutter candidates ask about the same lines many times). */
function wordCount(line: Line): number {
  let n = words.get(line);
  if (n === undefined) {
    n = line.text.split(/\s+/).filter(Boolean).length;
    words.set(line, n);
  }
  return n;
}
const extent = (ls: Line[]) => Math.max(...ls.map((l) => l.bottom)) - Math.min(...ls.map((l) => l.top));
function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}
