/**
 * Vertical writing (tategaki): Japanese, Chinese and Korean set in columns read top to bottom, the columns
 * read right to left. PDFs draw it two ways: with a vertical font (an Identity-V CMap; pdf.js gives one item
 * per column, its glyphs advancing downward, split into stacked glyphs by `text-items.ts`), or glyph by glyph
 * in a horizontal font, each glyph placed under the one before. Either way the page holds stacks of single
 * glyphs. Read as horizontal lines they become rows of one character from every column: a table of single
 * characters. Here each stack becomes the text of its column, and the columns of a block are read from the
 * right, as one paragraph per indented column (a vertical paragraph starts one glyph down).
 */
import type { Run } from './text-items.ts';

/** Han, kana, Hangul, CJK punctuation and full-width forms. */
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\u30fc\uff00-\uffef]/u;
/** A column holds at least this many glyphs. */
const MIN_STACK = 3;

interface Stack {
  glyphs: Run[];
  x: number;
  top: number;
  bottom: number;
  size: number;
}

/**
 * The runs with vertical CJK columns read as text. A stack: single-glyph runs sharing a centre x (within a
 * quarter of the font size), each 0.7–1.8 font sizes below the one before, `MIN_STACK` or more. The page's
 * single glyphs count as vertical writing only when they are mostly CJK and sit closer to the glyph above
 * them than to the glyph beside them (horizontal text set glyph by glyph in a grid has it the other way
 * round: its glyphs touch sideways, its lines are further apart). Other runs are returned unchanged.
 */
export function withVerticalColumns(runs: Run[]): Run[] {
  const singles = runs.filter((r) => [...r.text.trim()].length === 1);
  if (singles.length < 2 * MIN_STACK) return runs;
  const cjk = singles.filter((r) => CJK.test(r.text)).length;
  if (cjk < 0.7 * singles.length) return runs;
  const all = findStacks(singles.filter((r) => CJK.test(r.text)));
  const stacks = all.filter((s) => s.glyphs.length >= MIN_STACK);
  const stacked = stacks.reduce((n, s) => n + s.glyphs.length, 0);
  if (stacks.length < 1 || stacked < 0.5 * singles.length) return runs;
  if (!verticalCloser(stacks, singles)) return runs;
  // A paragraph's last column may hold a glyph or two: short stacks join a block they sit in.
  const blocks = formBlocks(all).filter((b) => b.some((s) => s.glyphs.length >= MIN_STACK));
  const taken = new Set(blocks.flat().flatMap((s) => s.glyphs));
  return [...runs.filter((r) => !taken.has(r)), ...blocks.flatMap(readBlock)];
}

function findStacks(singles: Run[]): Stack[] {
  const byX = [...singles].sort((a, b) => centre(a) - centre(b));
  const columns: Run[][] = [];
  for (const r of byX) {
    const last = columns[columns.length - 1];
    if (last && Math.abs(centre(r) - centre(last[last.length - 1])) <= 0.25 * r.size) last.push(r);
    else columns.push([r]);
  }
  const stacks: Stack[] = [];
  for (const column of columns) {
    column.sort((a, b) => a.y - b.y);
    let current: Run[] = [];
    const flush = () => {
      if (current.length) stacks.push(makeStack(current));
      current = [];
    };
    for (const r of column) {
      const prev = current[current.length - 1];
      if (prev) {
        const step = r.y - prev.y;
        if (step < 0.7 * r.size || step > 1.8 * r.size) flush();
      }
      current.push(r);
    }
    flush();
  }
  return stacks;
}

const centre = (r: Run) => (r.x0 + r.x1) / 2;

function makeStack(glyphs: Run[]): Stack {
  const sizes = glyphs.map((g) => g.size).sort((a, b) => a - b);
  return {
    glyphs,
    x: glyphs.reduce((s, g) => s + centre(g), 0) / glyphs.length,
    top: glyphs[0].y - glyphs[0].size,
    bottom: glyphs[glyphs.length - 1].y,
    size: sizes[Math.floor(sizes.length / 2)],
  };
}

/** Median step to the glyph below within stacks is smaller than the median distance to the nearest glyph beside. */
function verticalCloser(stacks: Stack[], singles: Run[]): boolean {
  const down = stacks.flatMap((s) => s.glyphs.slice(1).map((g, i) => g.y - s.glyphs[i].y));
  const side: number[] = [];
  for (const g of stacks.flatMap((s) => s.glyphs)) {
    let best = Infinity;
    for (const o of singles)
      if (o !== g && Math.abs(o.y - g.y) <= 0.3 * g.size) best = Math.min(best, Math.abs(centre(o) - centre(g)));
    if (best < Infinity) side.push(best);
  }
  if (!side.length) return true; // a lone column
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
  return median(down) < 0.9 * median(side);
}

/**
 * Stacks → blocks → runs, one run per vertical paragraph. Stacks side by side (overlapping vertically, each within about
 * two and a half font sizes of the next) form a block, read from its rightmost column. A column starting
 * clearly lower than the block's top begins a paragraph (the first-line indent of vertical text). Each
 * paragraph is laid out as one horizontal line at the block's top, paragraphs four sizes apart (further than any
 * leading, so they stay apart), so the
 * rest of the page orders and groups them like any other text.
 */
function formBlocks(stacks: Stack[]): Stack[][] {
  const sorted = [...stacks].sort((a, b) => b.x - a.x);
  const blocks: Stack[][] = [];
  for (const s of sorted) {
    const block = blocks.find((b) => {
      const last = b[b.length - 1];
      const top = Math.min(...b.map((t) => t.top));
      return last.x - s.x <= 2.5 * s.size && s.top < Math.max(last.bottom, top + s.size) && top < s.bottom;
    });
    if (block) block.push(s);
    else blocks.push([s]);
  }
  return blocks;
}

function readBlock(block: Stack[]): Run[] {
  const top = Math.min(...block.map((s) => s.top));
  const x0 = Math.min(...block.flatMap((s) => s.glyphs.map((g) => g.x0)));
  const x1 = Math.max(...block.flatMap((s) => s.glyphs.map((g) => g.x1)));
  const size = block[0].size;
  const paragraphs: string[] = [];
  block.forEach((s, i) => {
    const text = s.glyphs.map((g) => g.text.trim()).join('');
    if (i === 0 || s.top > top + 0.7 * s.size) paragraphs.push(text);
    else paragraphs[paragraphs.length - 1] += text;
  });
  const first = block[0].glyphs[0];
  return paragraphs.map((text, k) => ({
    ...first,
    text,
    x0,
    x1,
    y: top + size + k * 4 * size,
    size,
    spaceBefore: false,
  }));
}
