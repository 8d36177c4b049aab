/**
 * Headings from typography relative to the body text: the body font size is the most common size by character
 * count across the document; a short block set clearly larger, or bold (or a lone italic line) where the body is not, is a heading.
 * Levels are the ranks of the heading sizes used in the document (larger = higher; sizes within a few percent
 * are one level), capped to keep them few. Numbered headings take their level from the numbering depth (`2` and
 * `2.` → 1, `2.3` → 2, `2.3.1` → 3), one deeper when an unnumbered heading (a document title) is set larger than
 * all of them, so a section keeps its level on every page whatever its size there.
 */
import type { Block } from './blocks.ts';
import { blockText } from './blocks.ts';

export interface DocumentStyle {
  bodySize: number;
  bodyBold: boolean;
  /** Most body text is italic: italics then do not set a line apart. */
  bodyItalic?: boolean;
  /** Distinct heading sizes, largest first. */
  headingSizes: number[];
  /** Most body text is monospace (a typewritten or OCR text layer): monospace then does not mean code. */
  bodyMono?: boolean;
  /** Levels added to numbering depth: 1 when a larger unnumbered title sits above numbered headings. */
  numberingShift?: number;
}

const NUMBERING = /^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+\p{L}/u;
/** Depth of a section number at the start of a heading (`2.3.1 Title` → 3), or undefined. */
export function numberingDepth(text: string): number | undefined {
  const m = NUMBERING.exec(text);
  return m ? m[1].split('.').length : undefined;
}

const sizeKey = (size: number) => Math.round(size * 2) / 2;

export function documentStyle(blocks: Block[]): DocumentStyle {
  const bySize = new Map<number, number>();
  let chars = 0;
  let boldChars = 0;
  let monoChars = 0;
  let italicChars = 0;
  for (const b of blocks) {
    for (const l of b.lines) {
      const n = l.text.length;
      if (l.mono) monoChars += n;
      if (l.italic) italicChars += n;
      bySize.set(sizeKey(l.size), (bySize.get(sizeKey(l.size)) ?? 0) + n);
      chars += n;
      if (l.bold) boldChars += n;
    }
  }
  const bodySize = [...bySize.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 10;
  const style: DocumentStyle = {
    bodySize,
    bodyBold: boldChars > chars * 0.6,
    headingSizes: [],
    bodyMono: monoChars > chars * 0.5,
    bodyItalic: italicChars > chars * 0.5,
  };
  const sizes = new Set<number>();
  let largestNumbered = 0;
  let largestUnnumbered = 0;
  for (const b of blocks) {
    const kind = headingKind(b, style);
    if (!kind) continue;
    if (kind === 'size') sizes.add(sizeKey(b.size));
    if (numberingDepth(blockText(b).trim()) !== undefined) largestNumbered = Math.max(largestNumbered, b.size);
    else largestUnnumbered = Math.max(largestUnnumbered, b.size);
  }
  // Sizes a few percent apart (rounding in the producer, 11.9 against 12) are one level.
  const sorted = [...sizes].sort((a, b) => b - a);
  style.headingSizes = sorted.filter((size, i) => i === 0 || sorted[i - 1] - size > 0.04 * size);
  style.numberingShift = largestNumbered > 0 && largestUnnumbered > largestNumbered * 1.1 ? 1 : 0;
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
  // A single italic line in the body size, capitalised and without closing punctuation, standing as its own
  // block: a run-in heading (captions and notes start with their label or end like sentences).
  if (
    block.italic &&
    !style.bodyItalic &&
    block.lines.length === 1 &&
    ratio >= 0.95 &&
    words <= 10 &&
    /^\p{Lu}/u.test(text) &&
    !/[.:;,!?]$/.test(text) &&
    !CAPTION.test(text)
  )
    return 'bold';
  return undefined;
}

const CAPTION = /^(?:fig(?:ure)?|tab(?:le)?|source|note|chart|plate|photo|image)\b/i;

/** Heading depth (1…6) for a block, or undefined when it is body text. */
export function headingDepth(block: Block, style: DocumentStyle): number | undefined {
  const kind = headingKind(block, style);
  if (!kind) return undefined;
  const numbered = numberingDepth(blockText(block).trim());
  if (numbered !== undefined) return Math.min(6, numbered + (style.numberingShift ?? 0));
  const larger = style.headingSizes.filter((s) => s > sizeKey(block.size) * 1.04).length;
  if (kind === 'size') return Math.min(larger + 1, 3);
  return Math.min(larger + 1, 4);
}
