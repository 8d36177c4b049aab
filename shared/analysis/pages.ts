/**
 * Page numbers for offsets of the Markdown. Two sources, in order:
 * 1. `<!-- page N -->` markers in the Markdown itself (the engine writes them with `pageSeparators`);
 * 2. `ConvertResult.pages` (per-page Markdown): `serialize` joins the pages in order with blank lines, so
 *    each page's text is found in the whole Markdown after the previous page's.
 * A document with neither has no pages (`pageAt` is undefined everywhere).
 */
import type { Root } from 'mdast';
import type { PageResult } from '../engine/types.ts';

export interface PageLocator {
  /** The 1-based page that `offset` lies on, or undefined when the document is not paged. */
  pageAt(offset: number): number | undefined;
  /** Every page a span [start, end) touches, ascending (empty when not paged). */
  pagesIn(start: number, end: number): number[];
}

const MARKER = /^<!--\s*page\s+(\d+)\s*-->$/;

export function pageLocator(markdown: string, root: Root, pages?: PageResult[]): PageLocator {
  /** `contentFrom`: where the page's content starts (after its marker), to tell a page touched from one merely reached. */
  const starts: { page: number; offset: number; contentFrom: number }[] = [];
  for (const node of root.children) {
    if (node.type !== 'html') continue;
    const m = MARKER.exec(node.value.trim());
    if (m && node.position?.start.offset !== undefined)
      starts.push({
        page: Number(m[1]),
        offset: node.position.start.offset,
        contentFrom: node.position.end.offset ?? node.position.start.offset,
      });
  }
  if (starts.length === 0 && pages?.length) {
    let cursor = 0;
    for (const p of pages) {
      const text = p.markdown.trim();
      if (!text) continue;
      // The first line is enough to place the page and stays stable even if the join trimmed its edges.
      const probe = text.split('\n')[0];
      const at = markdown.indexOf(probe, cursor);
      if (at < 0) continue;
      starts.push({ page: p.page, offset: at, contentFrom: at });
      cursor = at + probe.length;
    }
    // Text before the first located page (a title, say) belongs to that page.
    if (starts.length) starts[0] = { ...starts[0], offset: 0 };
  }
  starts.sort((a, b) => a.offset - b.offset);
  const pageAt = (offset: number): number | undefined => {
    if (starts.length === 0) return undefined;
    let lo = 0;
    let hi = starts.length - 1;
    let found = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid].offset <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return starts[found].page;
  };
  return {
    pageAt,
    pagesIn(start, end) {
      // A page counts when some of its content lies in the span, not just its marker or the blank lines after.
      if (starts.length === 0) return [];
      const out = new Set<number>();
      const first = pageAt(start);
      if (first !== undefined) out.add(first);
      for (const s of starts)
        if (s.offset > start && s.offset < end && markdown.slice(s.contentFrom, end).trim()) out.add(s.page);
      return [...out].sort((a, b) => a - b);
    },
  };
}
