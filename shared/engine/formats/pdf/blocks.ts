/**
 * Lines in reading order → blocks (paragraph candidates). A new block starts at a vertical gap wider than the
 * usual leading, at a change of font size or weight, or where the next line does not sit below the previous one.
 */
import type { Html } from 'mdast';
import type { PhrasingContent } from '../../mdast.ts';
import { link, text as textNode } from '../../mdast.ts';
import type { Line } from './lines.ts';
import type { ListMarker } from './lists.ts';
import { continuesList, listMarker } from './lists.ts';

export interface Block {
  lines: Line[];
  x0: number;
  x1: number;
  top: number;
  bottom: number;
  size: number;
  bold: boolean;
  /** Every line is set in italics. */
  italic?: boolean;
  /** Every line is set in a monospace font: code. */
  mono?: boolean;
  /** Set when the block is a table (rows of cell strings) rather than text. */
  table?: string[][];
}

/**
 * `leadingFrom`: the lines the body leading is measured on (by default `lines`); a few lines taken out of a
 * table (its notes) are measured with the page's lines, as two or three lines alone give no usable leading.
 */
export function linesToBlocks(lines: Line[], leadingFrom: Line[] = lines): Block[] {
  const blocks: Block[] = [];
  const leading = typicalLeading(leadingFrom);
  let current: Line[] = [];
  for (const line of lines) {
    const prev = current[current.length - 1];
    if (prev && (startsNewBlock(prev, line, leading, current[0]) || endsListItem(current, line))) {
      blocks.push(makeBlock(current));
      current = [];
    }
    current.push(line);
  }
  if (current.length) blocks.push(makeBlock(current));
  return blocks;
}

function startsNewBlock(prev: Line, line: Line, leading: number, first: Line = prev): boolean {
  const size = Math.max(prev.size, line.size);
  const step = line.baseline - prev.baseline;
  if (step < -0.3 * size) return true; // went back up: a new region
  if (Math.abs(step) <= 0.3 * size) return false; // same baseline band (cells of one row)
  if (Math.abs(prev.size - line.size) > 0.15 * size) return true;
  if (prev.bold !== line.bold) return true;
  if (prev.mono !== line.mono) return true;
  // A short line in italics over a roman paragraph: a run-in heading set in the body size.
  if (prev.italic && !line.italic && prev.x1 < line.x1 - 3 * size) return true;
  if (line.italic && !prev.italic && /[.!?]$/.test(prev.text)) return true;
  const marker = listMarker(line.text);
  if (marker && (!marker.weak || weakMarkerStartsItem(prev, line, marker, first))) return true;
  // A label line in capitals ending in a colon ("APPEARANCES:", "PRESENT:") heads what follows it.
  const label = /^[\p{Lu}][\p{Lu}\s]*:$/u;
  if (label.test(prev.text) && prev.x1 < line.x1 - 3 * size) return true;
  if (label.test(line.text) && /[.!?]$/u.test(prev.text)) return true;
  const expected = Math.max(leading, 1.0 * size);
  if (step > Math.max(1.45 * line.size, expected * 1.3)) return true;
  // No horizontal overlap at all: a different column or a side note.
  if (line.x0 > prev.x1 + size || line.x1 < prev.x0 - size) return true;
  return false;
}

/**
 * A letter or roman numeral at a line start (`a.`, `iv)`, `(b)`) also begins ordinary wrapped lines (`A. Smith`,
 * `v. Jones`): it starts an item only when the line sits left of the one before (a hanging indent), when the
 * line before closed a sentence or introduced the list (`.`, `:`, `;`), or when it continues the numbering of the
 * marker opening the block (`(a)` … `(b)`, `[3]` … `[4]`).
 */
function weakMarkerStartsItem(prev: Line, line: Line, marker: ListMarker, first: Line): boolean {
  if (prev.x0 > line.x0 + 0.5 * line.size) return true;
  if (/[.:;!?]$/u.test(prev.text)) return true;
  const before = listMarker(first.text);
  return !!before && continuesList(before, marker);
}

/**
 * Where a list item ends without a marker on the next line: the item's first line carries a marker, and the
 * line is set left of the item's text — left of the marker itself (an outer level or the body margin), or back
 * at the marker after the item was laid out with a hanging indent (its marker a glyph apart from the text, or
 * its wrapped lines all at the text's indent) and its last line stopped short: the paragraph that follows a
 * list without a gap. A flush item (wrapped lines under the marker) gives no such sign and keeps its lines.
 */
function endsListItem(current: Line[], line: Line): boolean {
  const first = current[0];
  const marker = listMarker(first.text);
  if (!marker || listMarker(line.text)) return false;
  const size = Math.max(first.size, line.size);
  const wrapped = current.slice(1);
  const indented = wrapped.length > 0 && wrapped.every((l) => l.x0 > first.x0 + 0.5 * size);
  const textStart = indented ? Math.min(...wrapped.map((l) => l.x0)) : itemTextStart(first, marker);
  if (line.x0 > textStart - 0.5 * size) return false; // at the item's text indent: a wrapped line of the item
  if (line.x0 < first.x0 - 0.5 * size) return true; // left of the marker itself
  const glyphApart = first.runs.length > 1 && listMarker(`${first.runs[0].text.trim()} x`) !== undefined;
  if (!indented && !glyphApart) return false;
  const widest = Math.max(line.x1, ...current.map((l) => l.x1));
  return current[current.length - 1].x1 < widest - 2 * size;
}

/** Where the text after the list marker starts on the item's first line (points), estimated from the runs. */
function itemTextStart(line: Line, marker: ListMarker): number {
  const length = line.text.length - marker.rest.length;
  for (let i = line.runs.length - 1; i >= 0; i--) {
    const offset = line.offsets[i];
    if (offset > length) continue;
    const run = line.runs[i];
    const within = length - offset;
    if (within >= run.text.length) return i + 1 < line.runs.length ? line.runs[i + 1].x0 : run.x1;
    // Share of the run's width before the text, counting a wide (CJK) character twice and a space as half.
    const chars = [...run.text];
    const before = chars.slice(0, within);
    const share = widthUnits(before) / Math.max(1, widthUnits(chars));
    return run.x0 + (run.x1 - run.x0) * share;
  }
  return line.x0;
}

const WIDE = /[ᄀ-ᇿ⺀-鿿가-힯豈-﫿＀-｠]/u;
const widthUnits = (chars: string[]) => chars.reduce((w, c) => w + (WIDE.test(c) ? 2 : c === ' ' ? 0.5 : 1), 0);

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
    italic: lines.every((l) => l.italic),
    mono: lines.every((l) => l.mono) && lines.some((l) => /[^\s]/.test(l.text)),
  };
}

/** A word broken at a line end: a letter and a hyphen (ASCII, U+2010 or U+2011) before a lower-case start. */
const BROKEN_WORD = /\p{L}[-\u2010\u2011]$/u;

/** Text of a block: lines joined by spaces, words hyphenated across a line end joined again. */
export function blockText(block: Block): string {
  return joinLines(block).text;
}

/** The joined text plus where each line starts in it. */
function joinLines(block: Block): { text: string; starts: number[] } {
  let out = '';
  const starts: number[] = [];
  for (const line of block.lines) {
    const value = line.text;
    if (!out) {
      starts.push(0);
      out = value;
      continue;
    }
    if (BROKEN_WORD.test(out) && /^\p{Ll}/u.test(value)) {
      out = out.slice(0, -1);
    } else if (BROKEN_WORD.test(out) && /^[\p{Lu}\d]/u.test(value)) {
      // A compound broken at its own hyphen (Anglo-|Saxon, COVID-|19): the hyphen stays, no space.
    } else {
      out += ' ';
    }
    starts.push(out.length);
    out += value;
  }
  return { text: out, starts };
}

/**
 * Inline content for the part of a block's text that starts at `value` (the block text or a suffix of it, e.g.
 * without its list marker): plain text, with the runs under link annotations as links and raised or lowered
 * runs between `<sup>`/`<sub>` tags.
 */
export function blockPhrasing(block: Block, value: string): PhrasingContent[] {
  const { text, starts } = joinLines(block);
  const from = Math.max(0, text.lastIndexOf(value));
  const to = from + value.length;
  const spans: { start: number; end: number; url: string }[] = [];
  const scripts: { start: number; end: number; tag: string }[] = [];
  block.lines.forEach((line, i) => {
    line.runs.forEach((run, j) => {
      const start = starts[i] + line.offsets[j];
      const end = Math.min(start + run.text.trimEnd().length, starts[i] + line.text.length);
      if (run.script) scripts.push({ start, end, tag: run.script });
      if (!run.href) return;
      const last = spans[spans.length - 1];
      // Pieces of one link (split over runs or lines) merge when only spaces lie between them.
      if (last && last.url === run.href && !/\S/.test(text.slice(last.end, start))) last.end = end;
      else spans.push({ start, end, url: run.href });
    });
  });
  /** Text nodes for [a, b), with the raised or lowered parts in it wrapped in their tags. */
  const plain = (a: number, b: number): PhrasingContent[] => {
    const out: PhrasingContent[] = [];
    let at = a;
    for (const s of scripts) {
      const start = Math.max(s.start, at);
      const end = Math.min(s.end, b);
      if (end <= start) continue;
      if (start > at) out.push(textNode(text.slice(at, start)));
      out.push(html(`<${s.tag}>`), textNode(text.slice(start, end)), html(`</${s.tag}>`));
      at = end;
    }
    if (at < b) out.push(textNode(text.slice(at, b)));
    return out;
  };
  const out: PhrasingContent[] = [];
  let at = from;
  for (const span of spans) {
    const start = Math.max(span.start, at);
    const end = Math.min(span.end, to);
    if (end <= start) continue;
    if (start > at) out.push(...plain(at, start));
    out.push(link(span.url, plain(start, end)));
    at = end;
  }
  if (at < to) out.push(...plain(at, to));
  return out.length ? out : [textNode(value)];
}

const html = (value: string): Html => ({ type: 'html', value });

/** A code block's text: its lines on their own lines, indentation kept from their offsets. */
export function codeText(block: Block): string {
  const charWidth = 0.6 * block.size || 6;
  return block.lines
    .map((l) => ' '.repeat(Math.max(0, Math.min(40, Math.round((l.x0 - block.x0) / charWidth)))) + l.text)
    .join('\n');
}
