/**
 * Lines in reading order → blocks (paragraph candidates). A new block starts at a vertical gap wider than the
 * usual leading, at a change of font size or weight, or where the next line does not sit below the previous one.
 */
import type { Line } from './lines.ts';
import { listMarker } from './lists.ts';

export interface Block {
  lines: Line[];
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
  bold: boolean;
  /** Set when the block is a table (rows of cell strings) rather than text. */
  table?: string[][];
}

export function linesToBlocks(lines: Line[]): Block[] {
  const blocks: Block[] = [];
  const leading = typicalLeading(lines);
  let current: Line[] = [];
  for (const line of lines) {
    const prev = current[current.length - 1];
    if (prev && startsNewBlock(prev, line, leading)) {
      blocks.push(makeBlock(current));
      current = [];
    }
    current.push(line);
  }
  if (current.length) blocks.push(makeBlock(current));
  return blocks;
}

function startsNewBlock(prev: Line, line: Line, leading: number): boolean {
  const size = Math.max(prev.size, line.size);
  const step = line.baseline - prev.baseline;
  if (step < -0.3 * size) return true; // went back up: a new region
  if (Math.abs(step) <= 0.3 * size) return false; // same baseline band (cells of one row)
  if (Math.abs(prev.size - line.size) > 0.15 * size) return true;
  if (prev.bold !== line.bold) return true;
  if (listMarker(line.text)) return true;
  const expected = Math.max(leading, 1.0 * size);
  if (step > Math.max(1.45 * line.size, expected * 1.3)) return true;
  // No horizontal overlap at all: a different column or a side note.
  if (line.x0 > prev.x1 + size || line.x1 < prev.x0 - size) return true;
  return false;
}

/** The most common baseline step between consecutive lines of the same size (the body leading). */
function typicalLeading(lines: Line[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1];
    const b = lines[i];
    const step = b.baseline - a.baseline;
    if (Math.abs(a.size - b.size) > 0.5 || step <= 0.5 * b.size || step > 3 * b.size) continue;
    const key = Math.round(step * 2) / 2;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const best = [...counts.entries()].sort((x, y) => y[1] - x[1] || x[0] - y[0])[0];
  return best ? best[0] : 0;
}

export function makeBlock(lines: Line[]): Block {
  const chars = new Map<number, number>();
  for (const l of lines) chars.set(l.size, (chars.get(l.size) ?? 0) + l.text.length);
  const size = [...chars.entries()].sort((a, b) => b[1] - a[1])[0][0];
  return {
    lines,
    x0: Math.min(...lines.map((l) => l.x0)),
    x1: Math.max(...lines.map((l) => l.x1)),
    top: Math.min(...lines.map((l) => l.top)),
    bottom: Math.max(...lines.map((l) => l.bottom)),
    size,
    bold: lines.every((l) => l.bold),
  };
}

/** Text of a block: lines joined by spaces, words hyphenated across a line end joined again. */
export function blockText(block: Block): string {
  let out = '';
  for (const line of block.lines) {
    const text = line.text;
    if (!out) { out = text; continue; }
    if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(text)) out = out.slice(0, -1) + text;
    else out += ' ' + text;
  }
  return out;
}
