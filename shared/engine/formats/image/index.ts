/**
 * Images (PNG, JPEG, GIF, WebP, TIFF, BMP): text through the OCR port, laid out by the PDF layout engine. The
 * image is read by `read-image.ts` (blank pages skipped, ruling lines found and erased, one upright OCR pass,
 * unsure words dropped, pictures found); the confident words become positioned runs and go through the same
 * lines → reading order → blocks → headings / lists / tables steps as a PDF text layer, with the ruling lines
 * as rules, so a scanned page keeps its columns and its ruled tables. Pictures become image placeholders.
 *
 * Without an OCR engine (none configured, or the caller passed `ocr: false`) the result is an empty document
 * with a `needs_ocr` warning rather than an error: the image itself is valid, nothing is silently lost (the
 * warning travels with the result), and the caller can convert again with OCR on. If the OCR engine fails, the
 * result is empty with an `ocr_failed` warning for the same reason. A doubtful reading (low confidence, or
 * much of the text too unsure to keep) adds `garbled_text`: the words may be wrong or incomplete; a script none
 * of the OCR languages reads (found by the engine's script detection) adds `uncovered_script`.
 *
 * A multi-page TIFF is split into its pages (`tiff-pages.ts`) and each is read and reported as a page, with a
 * page marker before it as PDF pages have. Every page read hands its confident OCR text and the lines removed
 * as furniture to the completeness check (`completeness.ts`), which reports per page what reached the Markdown
 * and warns with `content_dropped` / `content_repeated`.
 */
import type { ConvertContext, Converter, DocumentTree, PageSource } from '../../types.ts';
import { pageBreak, root, type RootContent } from '../../mdast.ts';
import { documentStyle } from '../pdf/headings.ts';
import { removeFurniture, type LaidOutPage } from '../pdf/furniture.ts';
import { blockText, type Block } from '../pdf/blocks.ts';
import { layOut, readImage, type ImageReading, type PictureArea } from './read-image.ts';
import { nodesWithPictures } from './place-pictures.ts';
import { tiffPages } from './tiff-pages.ts';
import { corrupt, throwIfTransientOcrFailure, tooLarge } from '../../errors.ts';
import { exceedsPixels, imageDimensions } from '../../image-header.ts';

/** One page read: its laid-out blocks and pictures, and the OCR text the completeness check compares against. */
interface ReadPage extends LaidOutPage {
  page: number;
  pictures: PictureArea[];
  /** A page-shaped scan with a fair amount of text, where running heads are looked for. */
  document: boolean;
  /** False for a blank page, which is not sent to OCR. */
  ocrRan: boolean;
  source: PageSource;
}

export const imageConverter: Converter = {
  name: 'image',
  accepts: (input) => input.format === 'image',
  async convert({ bytes, detected }, ctx): Promise<DocumentTree> {
    // The decoders (Skia, tesseract's leptonica) allocate the whole bitmap outside the V8 heap before anything
    // can look at it: the size comes from the header, and an image over the cap is never decoded.
    checkPixels(bytes, detected.mediaType, ctx.limits.maxImagePixels);
    if (!ctx.ocr) {
      ctx.warn({
        code: 'needs_ocr',
        message: `the ${detected.mediaType} image was not read: OCR is off or unavailable`,
        page: 1,
      });
      return { root: root(), pageCount: 1 };
    }
    // A multi-page TIFF (a fax, a scanned document) is read page by page.
    const images = detected.mediaType === 'image/tiff' ? tiffPages(bytes, ctx.limits.maxPages) : [bytes];
    if (images.length > ctx.limits.maxPages) {
      throw tooLarge(`the TIFF has more than ${ctx.limits.maxPages} pages, the limit`);
    }
    // Each page of a TIFF has its own size: the first page's header says nothing of the later ones.
    for (const image of images.slice(1)) checkPixels(image, detected.mediaType, ctx.limits.maxImagePixels);
    const read: (ReadPage | { page: number; failed: true })[] = [];
    for (let i = 0; i < images.length; i++) read.push(await readPage(images[i], i + 1, ctx));
    const laidOut = read.filter((p): p is ReadPage => !('failed' in p));
    const style = documentStyle(laidOut.flatMap((p) => p.blocks));
    // Running heads repeat across the pages of a document; a screenshot or photo keeps the text at its edges.
    const documentPages = laidOut.filter((p) => p.document);
    const before = new Map(documentPages.map((p) => [p, p.blocks]));
    if (documentPages.length) removeFurniture(documentPages, style);
    for (const [p, blocks] of before) {
      const kept = new Set(p.blocks);
      p.source.furnitureLines.push(...blocks.filter((b) => !kept.has(b)).map(furnitureText));
    }
    const children: RootContent[] = [];
    for (const p of read) {
      // One page needs no page marker (its Markdown is the page's); several get one each, as PDF pages do.
      if (images.length > 1) children.push(pageBreak(p.page));
      if (!('failed' in p)) children.push(...nodesWithPictures(p.blocks, p.pictures, style));
    }
    const ocrPages = laidOut.filter((p) => p.ocrRan).map((p) => p.page);
    return {
      root: root(children),
      pageCount: images.length,
      ...(ocrPages.length ? { ocrPages } : {}),
      ...(laidOut.length ? { pageSources: laidOut.map((p) => p.source) } : {}),
    };
  },
};

/**
 * Refuses an image whose header is unreadable (`corrupt`) or whose width × height exceeds `maxPixels`
 * (`too_large`), before any decoder allocates its bitmap.
 */
function checkPixels(bytes: Uint8Array, mediaType: string, maxPixels: number): void {
  const dims = imageDimensions(bytes);
  if (!dims) throw corrupt(`the ${mediaType} image has no readable header (width and height)`);
  if (exceedsPixels(dims, maxPixels)) {
    throw tooLarge(
      `the image is ${dims.width}×${dims.height} pixels (${megapixels(dims.width * dims.height)} MP); ` +
        `the limit is ${megapixels(maxPixels)} MP`,
    );
  }
}

/** OCR one page image and lay it out; an OCR failure is that page's `ocr_failed` warning (transient ones throw). */
async function readPage(
  image: Uint8Array,
  page: number,
  ctx: ConvertContext,
): Promise<ReadPage | { page: number; failed: true }> {
  let reading: ImageReading;
  try {
    reading = await readImage(image, ctx.ocr!, { languages: ctx.options.ocrLanguages });
  } catch (error) {
    throwIfTransientOcrFailure(error);
    ctx.warn({ code: 'ocr_failed', message: `OCR failed: ${(error as Error)?.message ?? String(error)}`, page });
    return { page, failed: true };
  }
  if (reading.doubt) ctx.warn({ code: 'garbled_text', message: reading.doubt, page });
  if (reading.uncoveredScript) ctx.warn({ code: 'uncovered_script', message: reading.uncoveredScript, page });
  return {
    page,
    blocks: layOut(reading),
    height: reading.height,
    pictures: reading.pictures,
    document: looksLikeDocumentPage(reading),
    ocrRan: reading.ocrRan,
    // The source is the text OCR read with confidence: words under the floor are noise, not content lost.
    source: {
      page,
      text: reading.runs.map((r) => r.text).join(' '),
      furnitureLines: [],
      ...(reading.script ? { script: reading.script } : {}),
    },
  };
}

/** A removed block as one line of the completeness figures (a table's rows joined). */
function furnitureText(b: Block): string {
  return b.table ? b.table.map((r) => r.join(' ')).join(' ') : blockText(b);
}

/**
 * Running headers, footers and page numbers exist only on pages of a document: a portrait, page-shaped scan
 * with a fair amount of text. A screenshot or a photo with a line of text near its edge keeps that line.
 */
function looksLikeDocumentPage(reading: { width: number; height: number; runs: readonly { y: number }[] }): boolean {
  const ratio = reading.height / Math.max(1, reading.width);
  // The runs of one OCR line share its baseline.
  const lines = new Set(reading.runs.map((r) => r.y)).size;
  return ratio > 1.2 && ratio < 1.6 && lines >= 12;
}

function megapixels(pixels: number): string {
  return (pixels / 1e6).toFixed(pixels < 1e7 ? 1 : 0);
}
