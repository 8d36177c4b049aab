/**
 * Running headers, footers and page numbers.
 *
 * Only blocks at a page's top or bottom edge are candidates: nothing but other short edge text lies between
 * them and the edge, and they sit in the outer band of the page (or, for a bare page number, are simply the
 * first or last text of the page — cropped pages put it far from the paper's edge). A candidate goes when:
 * - its text (digits ignored) repeats at the edges of other pages (multi-page documents), or
 * - it is a page number (`3`, `Page 3 of 10`, `3 / 10`, `- 3 -`, `iv`), or a short line carrying one as a
 *   separate piece (`JOURNAL TITLE    400    [Ch. XIX.`), or
 * - judged by typography, which is what a single page has to go on: a short line set no larger than the body
 *   text in the narrow outer band; or smaller than the body and set apart from it (a gap of two lines or more);
 *   or laid out as pieces spread across the line (left / centre / right, the usual footer layout).
 * The judgement keeps a title, a heading or a paragraph near the edge: those are larger than body text, long,
 * or close to the text they belong to. A single-page document loses a footer that may carry meaning (a date,
 * a revision): for LLM and search use the page's body matters more, and the same text is usually in the
 * document's metadata.
 */
import type { Block } from './blocks.ts';
import { blockText } from './blocks.ts';
import type { DocumentStyle } from './headings.ts';

export interface LaidOutPage {
  blocks: Block[];
  height: number;
}

/** The narrow outer band (a fraction of the page height) where running heads live. */
const MARGIN = 0.075;
/** The wider band for edge text judged by typography. */
const WIDE_MARGIN = 0.15;

const PAGE_NUMBER =
  /^(?:(?:page|p\.|seite|pág\.?|página)\s*)?(?:\d{1,4}|[ivxlcdm]{1,7})(?:\s*(?:of|\/|de|von)\s*\d{1,4})?$|^[-–—]\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]$|^\d{1,3}\s*[-–]\s*\d{1,4}$/i;

export const isPageNumber = (text: string): boolean => PAGE_NUMBER.test(text.trim());

const signature = (text: string) => text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
const wordsOf = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** Distinct baselines of a block (a footer's pieces on one baseline count as one line). */
function visualLines(b: Block): number {
  const baselines: number[] = [];
  for (const l of b.lines)
    if (!baselines.some((y) => Math.abs(y - l.baseline) < 0.5 * l.size)) baselines.push(l.baseline);
  return baselines.length;
}

interface Edge {
  block: Block;
  side: 'top' | 'bottom';
  gap: number;
}

/**
 * Blocks at the top or bottom edge of a page: everything between them and the edge is itself short edge text.
 * `gap` is the distance to the nearest other block on the inner side (the body).
 */
function edgeBlocks(blocks: Block[]): Edge[] {
  const text = blocks.filter((b) => b.table || b.lines.length);
  const short = (b: Block) => !b.table && visualLines(b) <= 2 && wordsOf(blockText(b)) <= 30;
  const edges: Edge[] = [];
  for (const side of ['top', 'bottom'] as const) {
    // Walk inwards from the edge while blocks stay short; stop at the first body block.
    const order = [...text].sort((a, b) => (side === 'top' ? a.top - b.top : b.bottom - a.bottom));
    for (let i = 0; i < order.length && i < 4; i++) {
      const b = order[i];
      if (!short(b)) break;
      const inner = order.slice(i + 1).filter((o) => (side === 'top' ? o.top >= b.bottom - 1 : o.bottom <= b.top + 1));
      const gap = inner.length
        ? Math.min(...inner.map((o) => (side === 'top' ? o.top - b.bottom : b.top - o.bottom)))
        : Infinity;
      edges.push({ block: b, side, gap });
    }
  }
  return edges;
}

const inBand = (e: Edge, height: number, band: number) =>
  e.side === 'top' ? e.block.bottom < height * band : e.block.top > height * (1 - band);

/** A short line with a separate page-number piece at its start, middle or end (running heads of books). */
function carriesPageNumber(b: Block): boolean {
  if (visualLines(b) !== 1 || b.lines.length < 2) return false;
  if (wordsOf(blockText(b)) > 12) return false;
  return b.lines.some((l) => isPageNumber(l.text));
}

/** Pieces spread over the line with wide gaps between them: a left / centre / right footer layout. */
function spreadPieces(b: Block): boolean {
  if (visualLines(b) !== 1 || b.lines.length < 2) return false;
  const pieces = [...b.lines].sort((x, y) => x.x0 - y.x0);
  return pieces.every((p, i) => i === 0 || p.x0 - pieces[i - 1].x1 > 3 * p.size);
}

export function removeFurniture(pages: LaidOutPage[], style: DocumentStyle): void {
  const edgesByPage = pages.map((p) => edgeBlocks(p.blocks));
  const seen = new Map<string, number>();
  pages.forEach((page, i) => {
    const onPage = new Set<string>();
    for (const e of edgesByPage[i]) if (inBand(e, page.height, WIDE_MARGIN)) onPage.add(signature(blockText(e.block)));
    for (const s of onPage) seen.set(s, (seen.get(s) ?? 0) + 1);
  });
  const repeats = pages.length >= 2 ? Math.max(2, Math.ceil(pages.length * 0.4)) : Infinity;
  const body = style.bodySize;
  pages.forEach((page, i) => {
    const drop = new Set<Block>();
    // A page whose only text is at its edges (a short page of one line) has no body to tell furniture from:
    // only the narrow band and page numbers count there.
    const edgeSet = new Set(edgesByPage[i].map((e) => e.block));
    const hasBody = page.blocks.some((b) => !edgeSet.has(b));
    // Edge blocks come from the edge inwards. Once one is kept (a title at the top), a plain short line beyond
    // it is part of the page's content (a subtitle below a title), not a running head; spread pieces and page
    // numbers still are furniture there.
    const keptOn = new Set<Edge['side']>();
    for (const e of edgesByPage[i]) {
      const b = e.block;
      const value = blockText(b).trim();
      const words = wordsOf(value);
      const wide = inBand(e, page.height, WIDE_MARGIN);
      const narrow = inBand(e, page.height, MARGIN);
      const notLarger = b.size <= body * 1.05;
      const apart = e.gap >= 1.5 * body;
      const spread = wide && spreadPieces(b) && words <= 40;
      const numbered = b.lines.some((l) => isPageNumber(l.text));
      const outermost = !keptOn.has(e.side);
      if (isPageNumber(value) && (wide || apart)) drop.add(b);
      else if ((narrow || (wide && hasBody)) && (seen.get(signature(value)) ?? 0) >= repeats) drop.add(b);
      else if (wide && carriesPageNumber(b) && b.size <= body * 1.6) drop.add(b);
      else if (spread && (b.lines.length >= 3 || numbered) && b.size <= body * 1.3) drop.add(b);
      else if (spread && notLarger) drop.add(b);
      else if (!outermost) {
        /* a plain short line inside kept content: a subtitle, not a running head */
      } else if (narrow && notLarger && visualLines(b) <= 2 && words <= 20) drop.add(b);
      else if (wide && b.size <= body * 0.85 && e.gap >= 2 * body && words <= 20) drop.add(b);
      if (!drop.has(b)) keptOn.add(e.side);
    }
    if (drop.size) page.blocks = page.blocks.filter((b) => !drop.has(b));
  });
}
