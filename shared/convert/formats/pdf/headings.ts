/**
 * Headings from typography relative to the body text: the body font size is the most common size by character
 * count across the document; a short block set clearly larger, or bold where the body is not, is a heading.
 * Levels are the ranks of the heading sizes used in the document (larger = higher), capped to keep them few.
 */
import type { Block } from './blocks.ts';
import { blockText } from './blocks.ts';

export interface DocumentStyle {
  bodySize: number;
  bodyBold: boolean;
  /** Distinct heading sizes, largest first. */
  headingSizes: number[];
}

const sizeKey = (size: number) => Math.round(size * 2) / 2;

export function documentStyle(blocks: Block[]): DocumentStyle {
  const bySize = new Map<number, number>();
  let chars = 0;
  let boldChars = 0;
  for (const b of blocks) {
    for (const l of b.lines) {
      const n = l.text.length;
      bySize.set(sizeKey(l.size), (bySize.get(sizeKey(l.size)) ?? 0) + n);
      chars += n;
      if (l.bold) boldChars += n;
    }
  }
  const bodySize = [...bySize.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
  const style: DocumentStyle = { bodySize, bodyBold: boldChars > chars * 0.6, headingSizes: [] };
  const sizes = new Set<number>();
  for (const b of blocks) if (headingKind(b, style) === 'size') sizes.add(sizeKey(b.size));
  style.headingSizes = [...sizes].sort((a, b) => b - a);
  return style;
}

function headingKind(block: Block, style: DocumentStyle): 'size' | 'bold' | undefined {
  if (block.lines.length > 3) return undefined;
  const text = blockText(block).trim();
  if (text.length < 2 || text.length > 200 || !/\p{L}\p{L}/u.test(text)) return undefined;
  const words = text.split(/\s+/).length;
  if (/[,;]$/.test(text)) return undefined;
  if (/[.!?]$/.test(text) && words > 10) return undefined;
  // Table-of-contents leaders and figure labels are not headings.
  if (/\.{4,}|…{2,}/.test(text)) return undefined;
  const ratio = block.size / style.bodySize;
  if (ratio >= 1.15 && words <= 25) return 'size';
  if (block.bold && !style.bodyBold && ratio >= 0.9 && words <= 14 && !/^[\d\s.,%$()-]+$/.test(text)) return 'bold';
  return undefined;
}

/** Heading depth (1…6) for a block, or undefined when it is body text. */
export function headingDepth(block: Block, style: DocumentStyle): number | undefined {
  const kind = headingKind(block, style);
  if (!kind) return undefined;
  const larger = style.headingSizes.filter((s) => s > sizeKey(block.size) + 0.01).length;
  if (kind === 'size') return Math.min(larger + 1, 3);
  return Math.min(larger + 1, 4);
}
