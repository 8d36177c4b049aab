/**
 * One operator-list fetch per page, shared by everything that needs it (font names for bold/italic/monospace,
 * ruled lines for tables). Building an operator list is one of the costliest pdf.js calls per page (the whole
 * list is cloned across the worker boundary), so callers go through `operatorListOf(page)` and never call
 * `page.getOperatorList()` themselves. The cache is keyed by the page object, so a released page releases it.
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
