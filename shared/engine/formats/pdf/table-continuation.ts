/**
 * Tables continued across a page break become one table. Runs after running headers and footers are gone, over
 * the laid-out pages in order: when the last block of page N is a table that reaches into the lower part of the
 * page, and the first block of page N+1 is a table in the upper part with the same number of columns at the same
 * x-positions, the second table's rows are appended to the first. Rows at the top of the continuation that repeat
 * the first table's header rows (a header reprinted on every page) are dropped.
 *
 * Page provenance: the joined table stays on the page where it starts, and page N+1's `pageBreak` keeps its place
 * (after the joined table, before the rest of page N+1). Page markers therefore stay in order and every page keeps
 * its entry in `pages[]`; the continued rows are reported with the page the table starts on, which is where a
 * reader looking for the table would go.
 */
import type { Block } from './blocks.ts';

/**
 * Column boundaries of a detected table (n + 1 x-positions for n columns, left to right), keyed by the table's
 * rows array. The table detectors record it here so the join can compare column positions without widening the
 * block type that every layout stage shares.
 */
const columnBoundaries = new WeakMap<string[][], number[]>();

export function recordColumns(rows: string[][], boundaries: number[]): void {
  if (boundaries.length >= 2 && boundaries.every(Number.isFinite)) columnBoundaries.set(rows, boundaries);
}

export interface ContinuablePage {
  page: number;
  blocks: Block[];
  height: number;
}

/** A table ending below this fraction of the page height can continue on the next page. */
const ENDS_LOW = 0.55;
/** A table starting above this fraction of the page height can be a continuation. */
const STARTS_HIGH = 0.45;

/** Joins continued tables in place; returns the repeated header rows it dropped, by page (cells joined by spaces). */
export function joinContinuedTables(pages: ContinuablePage[]): { page: number; rows: string[] }[] {
  const dropped: { page: number; rows: string[] }[] = [];
  // The table that may go on over the next page: the last block of the page before, when it reaches low enough.
  let open: { block: Block; page: number } | undefined;
  for (const p of pages) {
    if (open && p.page === open.page + 1) {
      const first = firstContent(p.blocks);
      if (first?.table && first.top <= STARTS_HIGH * p.height && sameColumns(open.block, first)) {
        const repeated = repeatedHeaderRows(open.block.table!, first.table);
        if (repeated) dropped.push({ page: p.page, rows: first.table.slice(0, repeated).map((r) => r.join(' ')) });
        open.block.table!.push(...first.table.slice(repeated));
        p.blocks = p.blocks.filter((b) => b !== first);
        // A page that held nothing but the continuation passes the table on to the page after it.
        if (!p.blocks.some(hasContent) && first.bottom >= ENDS_LOW * p.height) {
          open = { block: open.block, page: p.page };
          continue;
        }
      }
    }
    const last = lastContent(p.blocks);
    open = last?.table && last.bottom >= ENDS_LOW * p.height ? { block: last, page: p.page } : undefined;
  }
  return dropped;
}

const hasContent = (b: Block) => Boolean(b.table?.length) || b.lines.some((l) => l.text.trim());
const lastContent = (blocks: Block[]) => [...blocks].reverse().find(hasContent);
const firstContent = (blocks: Block[]) => blocks.find(hasContent);

/**
 * Same column count, inner column boundaries close together, and each column of one table lies over the same
 * column of the other (column centres fall within the other table's column span). Tables without recorded boundaries fall back to their overall extent.
 */
function sameColumns(a: Block, b: Block): boolean {
  const ta = a.table!;
  const tb = b.table!;
  const width = (t: string[][]) => Math.max(0, ...t.map((r) => r.length));
  const n = width(ta);
  if (n < 2 || n !== width(tb)) return false;
  const ca = columnBoundaries.get(ta);
  const cb = columnBoundaries.get(tb);
  const extent = Math.max(a.x1 - a.x0, b.x1 - b.x0);
  const slack = Math.max(4, 0.02 * extent);
  if (!ca || !cb || ca.length !== n + 1 || cb.length !== n + 1) {
    return Math.abs(a.x0 - b.x0) <= 2 * slack && Math.abs(a.x1 - b.x1) <= 2 * slack;
  }
  // Inner boundaries in about the same place (text-derived ones move with the cell text, so not exactly).
  for (let c = 1; c < n; c++) {
    const narrowest = Math.min(ca[c] - ca[c - 1], ca[c + 1] - ca[c], cb[c] - cb[c - 1], cb[c + 1] - cb[c]);
    if (Math.abs(ca[c] - cb[c]) > Math.max(slack, 0.3 * narrowest)) return false;
  }
  for (let c = 0; c < n; c++) {
    const centreA = (ca[c] + ca[c + 1]) / 2;
    const centreB = (cb[c] + cb[c + 1]) / 2;
    if (centreA < cb[c] - slack || centreA > cb[c + 1] + slack) return false;
    if (centreB < ca[c] - slack || centreB > ca[c + 1] + slack) return false;
  }
  return true;
}

const normalize = (row: string[]) => row.map((c) => c.replace(/\s+/g, ' ').trim().toLowerCase()).join('\u0000');

/** How many leading rows of the continuation repeat the leading (header) rows of the first table. */
function repeatedHeaderRows(first: string[][], continuation: string[][]): number {
  let n = 0;
  while (n < continuation.length - 1 && n < first.length - 1 && n < 4) {
    if (normalize(first[n]) !== normalize(continuation[n]) || !continuation[n].some((c) => c.trim())) break;
    n++;
  }
  return n;
}
