/**
 * Picture regions of an OCR'd page become image placeholders (the engine's convention for images whose bytes
 * are not embedded: `![image]()`, `mdast.imagePlaceholder`) in reading order: each goes before the first text
 * block that starts below its top and shares its horizontal extent — the rule `pageBlocks` uses for tables.
 */
import type { RootContent } from '../../mdast.ts';
import { imagePlaceholder, paragraph } from '../../mdast.ts';
import type { Block } from '../pdf/blocks.ts';
import type { DocumentStyle } from '../pdf/headings.ts';
import { blocksToNodes } from '../pdf/layout.ts';
import type { PictureArea } from './read-image.ts';

export function nodesWithPictures(blocks: Block[], pictures: PictureArea[], style: DocumentStyle): RootContent[] {
  if (!pictures.length) return blocksToNodes(blocks, style);
  const before = new Map<number, PictureArea[]>();
  for (const p of [...pictures].sort((a, b) => a.top - b.top)) {
    const at = blocks.findIndex((b) => b.top >= p.top && b.x0 < p.x1 && b.x1 > p.x0);
    const index = at < 0 ? blocks.length : at;
    before.set(index, [...(before.get(index) ?? []), p]);
  }
  const out: RootContent[] = [];
  let start = 0;
  for (let i = 0; i <= blocks.length; i++) {
    const here = before.get(i);
    if (!here) continue;
    // Blocks are turned into nodes in runs between pictures, so a list is not carried across a picture.
    out.push(...blocksToNodes(blocks.slice(start, i), style));
    for (let k = 0; k < here.length; k++) out.push(paragraph([imagePlaceholder(undefined)]));
    start = i;
  }
  out.push(...blocksToNodes(blocks.slice(start), style));
  return out;
}
