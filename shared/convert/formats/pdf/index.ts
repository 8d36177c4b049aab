/**
 * PDF → document tree with pdf.js: page by page from the text layer, a `pageBreak` before each page, OCR for
 * pages without usable text when an OCR engine is available. Limits are checked before any page is read.
 */
import type { Converter, ConvertContext, DocumentTree } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { pageBreak, paragraph, root, text } from '../../mdast.ts';
import { ConversionError, tooLarge } from '../../errors.ts';
import { openPdf } from './load.ts';
import type { PdfDocument, PdfPage } from './load.ts';
import { itemsToRuns } from './text-items.ts';
import type { RawTextItem } from './text-items.ts';
import { layoutPage } from './layout.ts';
import { assessText } from './quality.ts';
import { ocrPage, ocrParagraphs } from './render.ts';

export const pdfConverter: Converter = {
  name: 'pdf',
  accepts: (input) => input.format === 'pdf',
  async convert({ bytes }, ctx) {
    const doc = await openPdf(bytes, ctx.options.password);
    try {
      return await convertDocument(doc, ctx);
    } finally {
      await doc.loadingTask.destroy().catch(() => undefined);
    }
  },
};

async function convertDocument(doc: PdfDocument, ctx: ConvertContext): Promise<DocumentTree> {
  const pageCount = doc.numPages;
  if (pageCount > ctx.limits.maxPages) {
    throw tooLarge(`the PDF has ${pageCount} pages; the limit is ${ctx.limits.maxPages}`);
  }
  const { first, last } = pageRange(pageCount, ctx.options.pages);
  const children: RootContent[] = [];
  const ocrPages: number[] = [];
  for (let n = first; n <= last; n++) {
    children.push(pageBreak(n));
    let page: PdfPage | undefined;
    try {
      page = await doc.getPage(n);
      const content = await convertPage(page, n, ctx, ocrPages);
      children.push(...content);
    } catch (error) {
      if (error instanceof ConversionError) throw error;
      ctx.warn({ code: 'page_failed', message: `page ${n} could not be read: ${errorMessage(error)}`, page: n });
    } finally {
      page?.cleanup();
    }
  }
  const title = await documentTitle(doc);
  return { root: root(children), pageCount, ...(title ? { title } : {}), ...(ocrPages.length ? { ocrPages } : {}) };
}

function pageRange(pageCount: number, pages: { first: number; last: number } | undefined) {
  if (!pages) return { first: 1, last: pageCount };
  const first = Math.max(1, Math.floor(pages.first));
  const last = Math.min(pageCount, Math.floor(pages.last));
  if (!(first <= last)) {
    throw new ConversionError('empty', `page range ${pages.first}-${pages.last} selects no page of a ${pageCount}-page PDF`);
  }
  return { first, last };
}

async function convertPage(page: PdfPage, n: number, ctx: ConvertContext, ocrPages: number[]): Promise<RootContent[]> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  const items = content.items.filter((i): i is RawTextItem & typeof i => 'str' in i);
  const { runs } = itemsToRuns(items, viewport.transform, viewport, () => ({ bold: false, italic: false }));
  const quality = assessText(runs.map((r) => r.text).join(' '));
  if (quality === 'ok') return layoutPage({ runs, width: viewport.width, height: viewport.height });

  ctx.warn(quality === 'empty'
    ? { code: 'needs_ocr', message: `page ${n} has no text layer (a scan or an image)`, page: n }
    : { code: 'garbled_text', message: `page ${n} has an unreadable text layer (fonts without a Unicode mapping)`, page: n });
  if (!ctx.ocr) return [];
  try {
    const result = await ocrPage(page, ctx.ocr);
    ocrPages.push(n);
    return ocrParagraphs(result).map((p) => paragraph([text(p)]));
  } catch (error) {
    ctx.warn({ code: 'ocr_failed', message: `OCR of page ${n} failed: ${errorMessage(error)}`, page: n });
    return [];
  }
}

async function documentTitle(doc: PdfDocument): Promise<string | undefined> {
  try {
    const { info } = await doc.getMetadata();
    const title = (info as { Title?: unknown } | undefined)?.Title;
    if (typeof title === 'string' && /\p{L}{2}/u.test(title) && !/^(untitled|microsoft word|document\d*)\b/i.test(title.trim())) return title.trim();
  } catch {
    // Metadata is optional; a broken info dictionary must not fail the conversion.
  }
  return undefined;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
