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
 * much of the text too unsure to keep) adds `garbled_text`: the words may be wrong or incomplete.
 */
import type { Converter, DocumentTree } from '../../types.ts';
import { root } from '../../mdast.ts';
import { pageBlocks } from '../pdf/layout.ts';
import { documentStyle } from '../pdf/headings.ts';
import { removeFurniture } from '../pdf/furniture.ts';
import { readImage } from './read-image.ts';
import { nodesWithPictures } from './place-pictures.ts';
import { corrupt, throwIfTransientOcrFailure, tooLarge } from '../../errors.ts';
import { exceedsPixels, imageDimensions } from '../../image-header.ts';

export const imageConverter: Converter = {
  name: 'image',
  accepts: (input) => input.format === 'image',
  async convert({ bytes, detected }, ctx): Promise<DocumentTree> {
    // The decoders (Skia, tesseract's leptonica) allocate the whole bitmap outside the V8 heap before anything
    // can look at it: the size comes from the header, and an image over the cap is never decoded.
    const dims = imageDimensions(bytes);
    if (!dims) throw corrupt(`the ${detected.mediaType} image has no readable header (width and height)`);
    if (exceedsPixels(dims, ctx.limits.maxImagePixels)) {
      throw tooLarge(
        `the image is ${dims.width}×${dims.height} pixels (${megapixels(dims.width * dims.height)} MP); ` +
          `the limit is ${megapixels(ctx.limits.maxImagePixels)} MP`,
      );
    }
    if (!ctx.ocr) {
      ctx.warn({
        code: 'needs_ocr',
        message: `the ${detected.mediaType} image was not read: OCR is off or unavailable`,
        page: 1,
      });
      return { root: root(), pageCount: 1 };
    }
    let reading;
    try {
      reading = await readImage(bytes, ctx.ocr, { languages: ctx.options.ocrLanguages });
    } catch (error) {
      throwIfTransientOcrFailure(error);
      ctx.warn({ code: 'ocr_failed', message: `OCR failed: ${(error as Error)?.message ?? String(error)}`, page: 1 });
      return { root: root(), pageCount: 1 };
    }
    const laidOut = { blocks: pageBlocks(reading.runs, reading.rules), height: reading.height };
    const style = documentStyle(laidOut.blocks);
    if (looksLikeDocumentPage(reading)) removeFurniture([laidOut], style);
    const nodes = nodesWithPictures(laidOut.blocks, reading.pictures, style);
    if (reading.doubt) ctx.warn({ code: 'garbled_text', message: reading.doubt, page: 1 });
    return { root: root(nodes), pageCount: 1, ...(reading.ocrRan ? { ocrPages: [1] } : {}) };
  },
};

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
