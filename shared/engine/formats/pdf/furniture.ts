/**
 * Running headers, footers and page numbers.
 *
 * Only blocks at a page's top or bottom edge are candidates: nothing but other short edge text lies between
 * them and the edge, and they sit in the outer band of the page (or, for a bare page number, are simply the
 * first or last text of the page — cropped pages put it far from the paper's edge).
 *
 * Several pages (a running head is defined by repetition; losing body text is worse than keeping a header):
 * - a candidate goes when its text (digits ignored) repeats at the same edge and about the same height on other
 *   pages that also have body text, on at least 40% of the pages (two at least);
 * - pages that are copies of each other (an invoice printed as original and copy, a form repeated per
 *   recipient: most of their text is the same) count as one page, so their shared lines stay content;
 * - page numbers (`3`, `Page 3 of 10`, `3 / 10`, `- 3 -`, `iv`) and short running heads carrying one as a
 *   separate piece (`JOURNAL TITLE    400    [Ch. XIX.`) go too; nothing else is judged by typography: a
 *   ministry's name or an issue date on a title page, an invoice number at the top, are content.
 *
 * One page has no repetition to go on; its furniture is judged by typography: a footer in the bottom band set
 * no larger than the body, or smaller and set apart from it, or laid out as pieces spread across the line
 * (left / centre / right). At the top the page keeps its first lines unless they are set smaller than the body
 * and apart from it (a "Downloaded from …" stamp) or carry a page number. A single-page document may lose a
 * footer that carries meaning (a date, a revision); for LLM and search use the page's body matters more.
 *
 * A provenance stamp (`Downloaded from <site> on <date>`) is the one kind of top line judged by its words, and
 * never by them alone: an OCR'd page gives no reliable font size (OCR line sizes within about 12% are merged,
 * `image/ocr-runs.ts`), so a stamp set a little smaller than the body reads as body-sized. It goes when it is
 * the outermost text at its edge, inside the narrow band, set apart from the kept body by 1.5 body lines or
 * more, and every other line of its block is furniture too (a page number, a running head carrying one). A
 * letterhead's web address or a court's name carries no provenance phrase and stays.
 */
import type { Block } from './blocks.ts';
import { blockText, makeBlock } from './blocks.ts';
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

/**
 * A repository's or database's provenance stamp: a "downloaded / retrieved / accessed / printed … from / on /
 * by" phrase together with where or when (a web address, a domain or a year). The phrase alone is ordinary
 * prose; the locator alone is a letterhead.
 */
const PROVENANCE = /\b(?:downloaded|retrieved|accessed|printed|generated|archived)\s+(?:from|on|at|by|via)\b/i;
const LOCATOR =
  /\bhttps?:\/\/|\bwww\.|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net|edu|gov|int|info|ac\.[a-z]{2}|[a-z]{2})\b|\b(?:19|20)\d{2}\b/i;

export const isProvenanceStamp = (text: string): boolean => PROVENANCE.test(text) && LOCATOR.test(text);

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

/** Where an edge block sits, for matching a running head across pages. */
interface Placed {
  page: number;
  side: Edge['side'];
  top: number;
}

/**
 * Groups of pages that are copies of one another: at least 60% of the smaller page's text (exact, digits
 * included) is in blocks that the other page has too, at the same place (within 2 pt): the same page printed
 * again. Returns each page's group id.
 */
function copyGroups(pages: LaidOutPage[]): number[] {
  const texts = pages.map((p) => {
    const m = new Map<string, number>();
    for (const b of p.blocks) {
      const t = (b.table ? b.table.flat().join(' ') : blockText(b)).replace(/\s+/g, ' ').trim();
      if (t) m.set(`${Math.round(b.top / 2)}:${Math.round(b.x0 / 2)}:${t}`, t.length);
    }
    return m;
  });
  const total = texts.map((m) => [...m.values()].reduce((a, b) => a + b, 0));
  const group = pages.map((_, i) => i);
  // Copies sit next to each other or a fixed distance apart; comparing each page with the next few is enough
  // and keeps long documents linear.
  for (let i = 0; i < pages.length; i++) {
    for (let j = i + 1; j < pages.length && j <= i + 4; j++) {
      if (group[j] !== j || !total[i] || !total[j]) continue;
      let shared = 0;
      for (const [t, n] of texts[i]) if (texts[j].has(t)) shared += n;
      if (shared >= 0.6 * Math.min(total[i], total[j])) group[j] = group[i];
    }
  }
  return group;
}

export function removeFurniture(pages: LaidOutPage[], style: DocumentStyle): void {
  const edgesByPage = pages.map((p) => edgeBlocks(p.blocks));
  // A page whose only text is at its edges (a short page of one line) has no body to tell furniture from:
  // body text is a block that is no edge block, or one that lies outside both outer bands.
  const hasBody = pages.map((p, i) => {
    const edgeSet = new Set(edgesByPage[i].map((e) => e.block));
    const outsideBands = (b: Block) => b.top > p.height * WIDE_MARGIN && b.bottom < p.height * (1 - WIDE_MARGIN);
    return p.blocks.some((b) => !edgeSet.has(b) || outsideBands(b));
  });
  const body = style.bodySize;
  if (pages.length === 1) {
    dropOnSinglePage(pages[0], edgesByPage[0], hasBody[0], body);
    return;
  }
  const group = copyGroups(pages);
  const bySignature = new Map<string, Placed[]>();
  pages.forEach((page, i) => {
    if (!hasBody[i]) return;
    for (const e of edgesByPage[i]) {
      if (!inBand(e, page.height, WIDE_MARGIN)) continue;
      const key = signature(blockText(e.block));
      bySignature.set(key, [...(bySignature.get(key) ?? []), { page: i, side: e.side, top: e.block.top }]);
    }
  });
  const distinct = new Set(group).size;
  const repeats = Math.max(2, Math.ceil(distinct * 0.4));
  /** Distinct (non-copy) pages with this text at the same edge and about the same height. */
  const repeatCount = (e: Edge, i: number, height: number) => {
    const same = (bySignature.get(signature(blockText(e.block))) ?? []).filter(
      (p) => p.side === e.side && Math.abs(p.top - e.block.top) <= Math.max(0.03 * height, 2 * e.block.size),
    );
    return new Set([group[i], ...same.map((p) => group[p.page])]).size;
  };
  pages.forEach((page, i) => {
    const drop = new Set<Block>();
    for (const e of edgesByPage[i]) {
      const b = e.block;
      const value = blockText(b).trim();
      const wide = inBand(e, page.height, WIDE_MARGIN);
      const apart = e.gap >= 1.5 * body;
      if (isPageNumber(value) && (wide || apart)) drop.add(b);
      else if (wide && hasBody[i] && repeatCount(e, i, page.height) >= repeats) drop.add(b);
      else if (wide && carriesPageNumber(b) && b.size <= body * 1.6) drop.add(b);
    }
    if (drop.size) page.blocks = page.blocks.filter((b) => !drop.has(b));
  });
}

/** Typographic judgement for a document of one page (see the module comment). */
function dropOnSinglePage(page: LaidOutPage, edges: Edge[], hasBody: boolean, body: number): void {
  const drop = new Set<Block>();
  // Edge blocks come from the edge inwards. Once one is kept (a title at the top), a plain short line beyond
  // it is part of the page's content (a subtitle below a title), not a running head; spread pieces and page
  // numbers still are furniture there.
  const keptOn = new Set<Edge['side']>();
  for (const e of edges) {
    const b = e.block;
    const value = blockText(b).trim();
    const words = wordsOf(value);
    const wide = inBand(e, page.height, WIDE_MARGIN);
    const narrow = inBand(e, page.height, MARGIN);
    const notLarger = b.size <= body * 1.05;
    const smaller = b.size < body * 0.97;
    const apart = e.gap >= 1.5 * body;
    const spread = wide && spreadPieces(b) && words <= 40;
    const numbered = b.lines.some((l) => isPageNumber(l.text));
    const outermost = !keptOn.has(e.side);
    const bottom = e.side === 'bottom';
    if (isPageNumber(value) && (wide || apart)) drop.add(b);
    else if (wide && carriesPageNumber(b) && b.size <= body * 1.6) drop.add(b);
    else if (spread && (b.lines.length >= 3 || numbered) && b.size <= body * 1.3) drop.add(b);
    else if (spread && (bottom ? notLarger : smaller)) drop.add(b);
    else if (!outermost) {
      /* a plain short line inside kept content: a subtitle, not a running head */
    } else if (narrow && (bottom ? notLarger : smaller && apart) && visualLines(b) <= 2 && words <= 20) drop.add(b);
    else if (wide && b.size <= body * 0.85 && e.gap >= 2 * body && words <= 20 && (bottom || hasBody)) drop.add(b);
    if (!drop.has(b)) keptOn.add(e.side);
  }
  // Provenance stamps, once the other furniture is known: the gap that counts is the one to the kept text.
  for (const side of ['top', 'bottom'] as const) {
    const first = edges.find((e) => e.side === side && !drop.has(e.block));
    if (!first || !inBand(first, page.height, MARGIN) || !stampBlock(first.block)) continue;
    if (gapToKept(first, page.blocks, drop) >= 1.5 * body) drop.add(first.block);
  }
  if (drop.size) page.blocks = page.blocks.filter((b) => !drop.has(b));
}

/**
 * A short block whose lines (by baseline) are a provenance stamp and, beside it, only other stamps, page
 * numbers or running heads carrying a page number (the journal's head line under a download stamp: OCR and
 * the block builder put both in one block when they sit a line apart).
 */
function stampBlock(b: Block): boolean {
  if (b.table || visualLines(b) > 3 || wordsOf(blockText(b)) > 40) return false;
  const rows: Block['lines'][] = [];
  for (const l of [...b.lines].sort((x, y) => x.baseline - y.baseline)) {
    const row = rows.find((r) => Math.abs(r[0].baseline - l.baseline) < 0.5 * l.size);
    if (row) row.push(l);
    else rows.push([l]);
  }
  let stamps = 0;
  for (const row of rows) {
    const line = makeBlock([...row].sort((x, y) => x.x0 - y.x0));
    const value = blockText(line).trim();
    if (isProvenanceStamp(value) && wordsOf(value) <= 25) stamps++;
    else if (!isPageNumber(value) && !carriesPageNumber(line)) return false;
  }
  return stamps > 0;
}

/** Distance from an edge block to the nearest block on its inner side that is not dropped. */
function gapToKept(e: Edge, blocks: Block[], drop: Set<Block>): number {
  const b = e.block;
  const inner = blocks.filter(
    (o) => o !== b && !drop.has(o) && (e.side === 'top' ? o.top >= b.bottom - 1 : o.bottom <= b.top + 1),
  );
  return inner.length
    ? Math.min(...inner.map((o) => (e.side === 'top' ? o.top - b.bottom : b.top - o.bottom)))
    : Infinity;
}
