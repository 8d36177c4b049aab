/**
 * One page's runs → ordered blocks; then, with the document's typography known, blocks → mdast nodes
 * (headings, lists, paragraphs).
 */
import type { List, RootContent } from '../../mdast.ts';
import { cell, code, heading, list, listItem, paragraph, row, table, text as textNode } from '../../mdast.ts';
import type { Run } from './text-items.ts';
import { buildLines, makeLine } from './lines.ts';
import { readingOrder } from './columns.ts';
import type { Block } from './blocks.ts';
import { blockPhrasing, blockText, codeText, linesToBlocks } from './blocks.ts';
import type { DocumentStyle } from './headings.ts';
import { headingDepth } from './headings.ts';
import type { ListMarker } from './lists.ts';
import { continuesList, listMarker } from './lists.ts';
import { extractTables } from './tables.ts';
import type { Segment } from './graphics.ts';
import { cellLines, ruledTables } from './ruled-tables.ts';
import { lineNumberColumn } from './line-numbers.ts';
import { withoutOverprint } from './overprint.ts';
import { withoutSeparatorColumns } from './separator-columns.ts';
import { withVerticalColumns } from './vertical-text.ts';
import { scriptPhrasing } from './scripts.ts';

/**
 * What a page's runs lose on purpose before lines are built, for the completeness check: `overprintCopies` holds
 * the characters of the glyph copies removed (fake bold: each glyph read once; spaces aside, in no particular
 * order), `lineNumbers` the margin line numbers taken out (one string per number, top-down).
 */
export interface PageRemovals {
  overprintCopies: string;
  lineNumbers: string[];
}

/** A page's runs → its blocks, and what was removed on purpose on the way (see `PageRemovals`). */
export function pageBlocksWithRemovals(
  allRuns: Run[],
  rules: Segment[] = [],
): { blocks: Block[]; removals: PageRemovals } {
  // Glyphs drawn twice (fake bold) are read once, on every path (paragraphs and table cells alike).
  const once = withoutOverprint(allRuns);
  // Margin line numbers (transcripts, pleadings) are no text: left in, they turn every line into a table row.
  const numbers = lineNumberColumn(once);
  const drop = new Set(numbers);
  const numbered = numbers.length ? once.filter((r) => !drop.has(r)) : once;
  const removals = {
    overprintCopies: once === allRuns ? '' : removedChars(allRuns, once),
    lineNumbers: numbers.map((r) => r.text.trim()),
  };
  return { blocks: pageBlocksOf(numbered, rules), removals };
}

/** The characters (spaces aside) of `before`'s runs that `after`'s runs no longer hold, as a multiset. */
function removedChars(before: Run[], after: Run[]): string {
  const left = new Map<string, number>();
  for (const r of before) for (const ch of r.text) if (ch.trim()) left.set(ch, (left.get(ch) ?? 0) + 1);
  for (const r of after) for (const ch of r.text) if (left.has(ch)) left.set(ch, left.get(ch)! - 1);
  return [...left].map(([ch, n]) => ch.repeat(Math.max(0, n))).join('');
}

export function pageBlocks(allRuns: Run[], rules: Segment[] = []): Block[] {
  return pageBlocksWithRemovals(allRuns, rules).blocks;
}

function pageBlocksOf(cleanRuns: Run[], rules: Segment[]): Block[] {
  // A column of lone colons between a case caption's two sides is layout, not text.
  // Vertical CJK columns are read top-down, right to left, before lines are built from baselines.
  const runs = withVerticalColumns(withoutSeparatorColumns(cleanRuns));
  // Ruled tables first (their runs leave the text flow), then borderless tables among the remaining lines.
  const ruled = ruledTables(rules, runs);
  const { rest, tables } = extractTables(buildLines(ruled.used.size ? runs.filter((r) => !ruled.used.has(r)) : runs));
  tables.push(...ruled.tables);
  tables.sort((a, b) => a.top - b.top);
  const ordered = readingOrder(rest);
  const blocks = linesToBlocks(ordered);
  // Each table goes before the first text block that starts below it and shares its horizontal extent.
  for (const t of tables) {
    const block: Block = {
      lines: [],
      x0: t.x0,
      x1: t.x1,
      top: t.top,
      bottom: t.bottom,
      size: 0,
      bold: false,
      table: t.rows,
    };
    const at = blocks.findIndex((b) => !b.table && b.top >= t.top && b.x0 < t.x1 && b.x1 > t.x0);
    // Notes under a ruled grid follow it, one paragraph each (a footnote line is a note of its own).
    // Their lines are banded as the cell text they were, so a raised footnote mark stays on its line.
    const notes = (t.notes ?? []).flatMap((note) => {
      const lines = cellLines(note).map(makeLine);
      return linesToBlocks(lines, [...ordered, ...lines]);
    });
    blocks.splice(at < 0 ? blocks.length : at, 0, block, ...notes);
  }
  return blocks;
}

export function blocksToNodes(blocks: Block[], style: DocumentStyle): RootContent[] {
  const out: RootContent[] = [];
  const lists = new ListBuilder(out);
  const texts = blocks.map((b) => (b.table ? '' : blockText(b).trim()));
  const markers = texts.map((t) => (t ? listMarker(t) : undefined));
  /** The marker of the next block with text, if it has one. */
  const nextMarker = (i: number) => {
    for (let j = i + 1; j < blocks.length; j++) if (blocks[j].table || texts[j]) return markers[j];
    return undefined;
  };
  blocks.forEach((block, i) => {
    if (block.table) {
      lists.flush();
      out.push(table(block.table.map((r) => row(r.map((c) => cell(c ? scriptPhrasing(c) : []))))));
      return;
    }
    const value = texts[i];
    if (!value) return;
    if (block.mono && !style.bodyMono && block.lines.length >= 2) {
      lists.flush();
      out.push(code(codeText(block)));
      return;
    }
    const marker = markers[i];
    const next = nextMarker(i);
    // A numbered or lettered block is an item of a list when its numbering runs on from the item before it or
    // into the next block; otherwise a letter or numeral (`A. Smith`) is prose, and a number heads a section
    // when it looks like a heading (`3. Results` in bold between paragraphs).
    const sibling = !!marker && (lists.continues(marker) || (!!next && continuesList(marker, next)));
    const item = marker && marker.rest.trim() && (marker.ordered ? sibling || !marker.weak : true) ? marker : undefined;
    const depth = headingDepth(block, style);
    if (depth !== undefined && !(item && (!item.ordered || sibling))) {
      lists.flush();
      out.push(heading(depth, blockPhrasing(block, value)));
      return;
    }
    if (item) {
      lists.add(block, item, value);
      return;
    }
    if (!marker && lists.continueItem(block, value)) return;
    lists.flush();
    out.push(paragraph(blockPhrasing(block, value)));
  });
  lists.flush();
  return out;
}

/** One open list level: where its markers sit, and the marker of its last item. */
interface ListLevel {
  x0: number;
  list: List;
  last: ListMarker;
}

/**
 * Items → lists, nested by indent: an item whose marker sits right of the open item's marker opens a list
 * inside that item; one back at an outer marker's position returns to that level. At one level a change of
 * marker kind (bullets to numbers, `1.` to `a.`) or numbering that starts again begins a new list. Decimal
 * numbers (`1.`, `1)`) make ordered lists starting at the first item's number (a list carried over from the page
 * before keeps counting); numbers in parentheses, letters and roman numerals, which Markdown cannot write, keep
 * their marker in the item's text.
 */
class ListBuilder {
  #out: RootContent[];
  #stack: ListLevel[] = [];
  /** The block the open item's text last came from. */
  #lastBlock: Block | undefined;

  constructor(out: RootContent[]) {
    this.#out = out;
  }

  /**
   * An item broken at a column's (or a column-like region's) end goes on at the top of the next: a block that
   * starts higher than the open item or right of it, in lower case, after an item without closing punctuation,
   * is the rest of that item. Returns whether the block was taken.
   */
  continueItem(block: Block, value: string): boolean {
    const top = this.#stack[this.#stack.length - 1];
    const last = this.#lastBlock;
    if (!top || !last || !/^\p{Ll}/u.test(value)) return false;
    const item = top.list.children[top.list.children.length - 1];
    const para = item.children[0];
    if (para?.type !== 'paragraph' || /[.!?:;]$/u.test(blockText(last).trim())) return false;
    const size = block.size || 10;
    if (!(block.top < last.top - size || block.x0 > last.x1)) return false;
    para.children.push(textNode(' '), ...blockPhrasing(block, value));
    // The lists' indents carry over to the new column, measured from the item's last line there and here.
    this.#rebase((block.lines[0]?.x0 ?? block.x0) - (last.lines[last.lines.length - 1]?.x0 ?? last.x0));
    this.#lastBlock = block;
    return true;
  }

  /** Whether `marker` continues the numbering of an open level's last item. */
  continues(marker: ListMarker): boolean {
    return this.#stack.some((level) => continuesList(level.last, marker));
  }

  add(block: Block, marker: ListMarker, value: string): void {
    const x0 = block.lines[0]?.x0 ?? block.x0;
    const slack = 0.5 * (block.size || 10);
    // An item at the top of another column: indents there are not comparable; it is at the open item's level.
    const last = this.#lastBlock;
    const open = this.#stack[this.#stack.length - 1];
    if (last && open && (block.x0 > last.x1 || block.x1 < last.x0)) this.#rebase(x0 - open.x0);
    this.#lastBlock = block;
    // Back out to the level this marker sits at; left of the outermost list's marker, a new list begins.
    while (this.#stack.length && x0 < this.#stack[this.#stack.length - 1].x0 - slack) {
      if (this.#stack.length === 1) this.flush();
      else this.#stack.pop();
    }
    const numbered = marker.ordered && marker.kind === 'decimal';
    const text = numbered || !marker.ordered ? marker.rest.trim() : value;
    const entry = listItem([paragraph(blockPhrasing(block, text))]);
    const fresh = (): List => list(numbered, [entry], marker.number);
    const top = this.#stack[this.#stack.length - 1];
    if (!top) {
      this.#stack.push({ x0, list: fresh(), last: marker });
      return;
    }
    const parentItem = top.list.children[top.list.children.length - 1];
    if (x0 > top.x0 + slack) {
      const nested = fresh();
      parentItem.children.push(nested);
      this.#stack.push({ x0, list: nested, last: marker });
      return;
    }
    if (sameList(top.last, marker)) {
      top.list.children.push(entry);
      top.last = marker;
      return;
    }
    // A different list at the same level: beside the old one at the top, or inside the same parent item.
    const replaced = fresh();
    if (this.#stack.length === 1) {
      this.flush();
      this.#stack.push({ x0, list: replaced, last: marker });
      return;
    }
    const parent = this.#stack[this.#stack.length - 2].list;
    parent.children[parent.children.length - 1].children.push(replaced);
    this.#stack[this.#stack.length - 1] = { x0, list: replaced, last: marker };
  }

  #rebase(shift: number): void {
    for (const level of this.#stack) level.x0 += shift;
  }

  flush(): void {
    if (this.#stack.length) this.#out.push(this.#stack[0].list);
    this.#stack = [];
  }
}

/** Whether an item with `next` goes on the list whose last item had `prev`. */
function sameList(prev: ListMarker, next: ListMarker): boolean {
  if (prev.ordered !== next.ordered) return false;
  if (!prev.ordered) return true;
  // Only the next number: Markdown numbers a list's items itself, so a gap (footnotes 3 and 5 after a list
  // ending at 2) is a list of its own with its own start, never renumbered.
  return continuesList(prev, next);
}
