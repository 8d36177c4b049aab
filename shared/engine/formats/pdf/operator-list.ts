/**
 * One operator-list fetch per page, shared by everything that needs it (font names for bold/italic/monospace,
 * ruled lines for tables). Building an operator list is one of the costliest pdf.js calls per page (the whole
 * list is cloned across the worker boundary), so callers go through `operatorListOf(page)` and never call
 * `page.getOperatorList()` themselves. pdf.js keeps every page object of a document in its page cache until
 * the document is destroyed, so a cache keyed by the page alone would hold every page's list (the largest
 * per-page object) to the end: the converter calls `releaseOperatorList(page)` once the page is laid out.
 */
import type { PdfPage } from './load.ts';

export type OperatorList = Awaited<ReturnType<PdfPage['getOperatorList']>>;

const cache = new WeakMap<PdfPage, Promise<OperatorList>>();

export function operatorListOf(page: PdfPage): Promise<OperatorList> {
  let list = cache.get(page);
  if (!list) {
    list = page.getOperatorList();
    cache.set(page, list);
  }
  return list;
}

/** Drops the page's cached operator list (call when the page is done; a later `operatorListOf` fetches again). */
export function releaseOperatorList(page: PdfPage): void {
  cache.delete(page);
}
