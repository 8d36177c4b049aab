/**
 * Images (PNG, JPEG, GIF, WebP, TIFF, BMP): text through the OCR port, laid out by the PDF layout engine. The
 * OCR words become positioned runs (`ocr-runs.ts`) and go through the same lines → reading order → blocks →
 * headings / lists / tables steps as a PDF text layer, so a scanned page keeps its columns and tables.
 *
 * Without an OCR engine (none configured, or the caller passed `ocr: false`) the result is an empty document
 * with a `needs_ocr` warning rather than an error: the image itself is valid, nothing is silently lost (the
 * warning travels with the result), and the caller can convert again with OCR on. If the OCR engine fails, the
 * result is empty with an `ocr_failed` warning for the same reason. Very low OCR confidence adds
 * `garbled_text`: the words may be wrong.
 */
import type { Converter, DocumentTree } from '../../types.ts';
import { root } from '../../mdast.ts';
import { blocksToNodes, pageBlocks } from '../pdf/layout.ts';
import { documentStyle } from '../pdf/headings.ts';
import { removeFurniture } from '../pdf/furniture.ts';
import { ocrRuns } from './ocr-runs.ts';
import { recognizeUpright } from './orientation.ts';
import { throwIfTransientOcrFailure } from '../../errors.ts';

/** Mean word confidence (0..100) below which the text is flagged as probably garbled. */
const GARBLED_CONFIDENCE = 45;

export const imageConverter: Converter = {
  name: 'image',
  accepts: (input) => input.format === 'image',
  async convert({ bytes, detected }, ctx): Promise<DocumentTree> {
    if (!ctx.ocr) {
      ctx.warn({
        code: 'needs_ocr',
        message: `the ${detected.mediaType} image was not read: OCR is off or unavailable`,
        page: 1,
      });
      return { root: root(), pageCount: 1 };
    }
    let page;
    try {
      page = await recognizeUpright(bytes, ctx.ocr);
    } catch (error) {
      throwIfTransientOcrFailure(error);
      ctx.warn({ code: 'ocr_failed', message: `OCR failed: ${(error as Error)?.message ?? String(error)}`, page: 1 });
      return { root: root(), pageCount: 1 };
    }
    const laidOut = { blocks: pageBlocks(ocrRuns(page)), height: page.height };
    const style = documentStyle(laidOut.blocks);
    if (looksLikeDocumentPage(page)) removeFurniture([laidOut], style);
    const nodes = blocksToNodes(laidOut.blocks, style);
    if (nodes.length && page.confidence < GARBLED_CONFIDENCE) {
      ctx.warn({
        code: 'garbled_text',
        message: `OCR confidence is low (${Math.round(page.confidence)}%): the text may be wrong`,
        page: 1,
      });
    }
    return { root: root(nodes), pageCount: 1, ocrPages: [1] };
  },
};

/**
 * Running headers, footers and page numbers exist only on pages of a document: a portrait, page-shaped scan
 * with a fair amount of text. A screenshot or a photo with a line of text near its edge keeps that line.
 */
function looksLikeDocumentPage(page: { width: number; height: number; lines: readonly unknown[] }): boolean {
  const ratio = page.height / Math.max(1, page.width);
  return ratio > 1.2 && ratio < 1.6 && page.lines.length >= 12;
}
