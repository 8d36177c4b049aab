/**
 * One page's runs → ordered blocks; then, with the document's typography known, blocks → mdast nodes
 * (headings, lists, paragraphs).
 */
import type { RootContent, ListItem } from '../../mdast.ts';
import { cell, code, heading, list, listItem, paragraph, row, table } from '../../mdast.ts';
import type { Run } from './text-items.ts';
import { buildLines, makeLine } from './lines.ts';
import { readingOrder } from './columns.ts';
import type { Block } from './blocks.ts';
import { blockPhrasing, blockText, codeText, linesToBlocks } from './blocks.ts';
import type { DocumentStyle } from './headings.ts';
import { headingDepth } from './headings.ts';
import { listMarker } from './lists.ts';
import { extractTables } from './tables.ts';
import type { Segment } from './graphics.ts';
import { cellLines, ruledTables } from './ruled-tables.ts';
import { withoutLineNumbers } from './line-numbers.ts';
import { withoutOverprint } from './overprint.ts';
import { withoutSeparatorColumns } from './separator-columns.ts';
import { withVerticalColumns } from './vertical-text.ts';
import { scriptPhrasing } from './scripts.ts';

export function pageBlocks(allRuns: Run[], rules: Segment[] = []): Block[] {
  // Margin line numbers (transcripts, pleadings) are no text: left in, they turn every line into a table row.
  // Glyphs drawn twice (fake bold) are read once, on every path (paragraphs and table cells alike).
  // A column of lone colons between a case caption's two sides is layout, not text.
  // Vertical CJK columns are read top-down, right to left, before lines are built from baselines.
  const runs = withVerticalColumns(withoutSeparatorColumns(withoutLineNumbers(withoutOverprint(allRuns))));
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
  let items: ListItem[] = [];
  let ordered = false;
  let start = 1;
  const flushList = () => {
    if (items.length) out.push(list(ordered, items, start));
    items = [];
  };
  for (const block of blocks) {
    if (block.table) {
      flushList();
      out.push(table(block.table.map((r) => row(r.map((c) => cell(c ? scriptPhrasing(c) : []))))));
      continue;
    }
    const value = blockText(block).trim();
    if (!value) continue;
    if (block.mono && !style.bodyMono && block.lines.length >= 2) {
      flushList();
      out.push(code(codeText(block)));
      continue;
    }
    const depth = headingDepth(block, style);
    if (depth !== undefined && !listMarker(value)) {
      flushList();
      out.push(heading(depth, blockPhrasing(block, value)));
      continue;
    }
    const marker = listMarker(value);
    if (marker && marker.rest.trim()) {
      if (items.length && marker.ordered !== ordered) flushList();
      if (!items.length) {
        ordered = marker.ordered;
        start = marker.number ?? 1;
      }
      items.push(listItem([paragraph(blockPhrasing(block, marker.rest.trim()))]));
      continue;
    }
    flushList();
    out.push(paragraph(blockPhrasing(block, value)));
  }
  flushList();
  return out;
}
