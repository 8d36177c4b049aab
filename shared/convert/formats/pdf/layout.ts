/** One page's text runs → mdast blocks: lines, reading order, blocks, then paragraphs. */
import type { RootContent } from '../../mdast.ts';
import { paragraph, text } from '../../mdast.ts';
import type { Run } from './text-items.ts';
import { buildLines } from './lines.ts';
import { readingOrder } from './columns.ts';
import { blockText, linesToBlocks } from './blocks.ts';

export interface PageText {
  runs: Run[];
  width: number;
  height: number;
}

export function layoutPage(page: PageText): RootContent[] {
  const lines = buildLines(page.runs);
  const blocks = linesToBlocks(readingOrder(lines));
  const out: RootContent[] = [];
  for (const block of blocks) {
    const value = blockText(block).trim();
    if (value) out.push(paragraph([text(value)]));
  }
  return out;
}
