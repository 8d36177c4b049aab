/**
 * One page's runs → ordered blocks; then, with the document's typography known, blocks → mdast nodes
 * (headings, lists, paragraphs).
 */
import type { RootContent, ListItem } from '../../mdast.ts';
import { heading, list, listItem, paragraph, text } from '../../mdast.ts';
import type { Run } from './text-items.ts';
import { buildLines } from './lines.ts';
import { readingOrder } from './columns.ts';
import type { Block } from './blocks.ts';
import { blockText, linesToBlocks } from './blocks.ts';
import type { DocumentStyle } from './headings.ts';
import { headingDepth } from './headings.ts';
import { listMarker } from './lists.ts';

export function pageBlocks(runs: Run[]): Block[] {
  return linesToBlocks(readingOrder(buildLines(runs)));
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
    const value = blockText(block).trim();
    if (!value) continue;
    const depth = headingDepth(block, style);
    if (depth !== undefined && !listMarker(value)) {
      flushList();
      out.push(heading(depth, [text(value)]));
      continue;
    }
    const marker = listMarker(value);
    if (marker && marker.rest.trim()) {
      if (items.length && marker.ordered !== ordered) flushList();
      if (!items.length) { ordered = marker.ordered; start = marker.number ?? 1; }
      items.push(listItem([paragraph([text(marker.rest.trim())])]));
      continue;
    }
    flushList();
    out.push(paragraph([text(value)]));
  }
  flushList();
  return out;
}
