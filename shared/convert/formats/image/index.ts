/**
 * Images (PNG, JPEG, GIF, WebP, TIFF, BMP): text through the OCR port, built into paragraphs.
 *
 * Without an OCR engine (none configured, or the caller passed `ocr: false`) the result is an empty document
 * with a `needs_ocr` warning rather than an error: the image itself is valid, nothing is silently lost (the
 * warning travels with the result), and the caller can convert again with OCR on. If the OCR engine fails, the
 * result is empty with an `ocr_failed` warning for the same reason. Very low OCR confidence adds
 * `garbled_text`: the words may be wrong.
 */
import type { Converter, DocumentTree } from '../../types.ts';
import { paragraph, root, text } from '../../mdast.ts';
import { paragraphsFromLines } from './paragraphs.ts';
import { splitColumns } from './columns.ts';

/** Mean word confidence (0..100) below which the text is flagged as probably garbled. */
const GARBLED_CONFIDENCE = 45;

export const imageConverter: Converter = {
  name: 'image',
  accepts: (input) => input.format === 'image',
  async convert({ bytes, detected }, ctx): Promise<DocumentTree> {
    if (!ctx.ocr) {
      ctx.warn({ code: 'needs_ocr', message: `the ${detected.mediaType} image was not read: OCR is off or unavailable`, page: 1 });
      return { root: root(), pageCount: 1 };
    }
    let page;
    try {
      page = await ctx.ocr.recognize(bytes);
    } catch (error) {
      ctx.warn({ code: 'ocr_failed', message: `OCR failed: ${(error as Error)?.message ?? String(error)}`, page: 1 });
      return { root: root(), pageCount: 1 };
    }
    const paragraphs = paragraphsFromLines(splitColumns(page.lines));
    if (paragraphs.length && page.confidence < GARBLED_CONFIDENCE) {
      ctx.warn({ code: 'garbled_text', message: `OCR confidence is low (${Math.round(page.confidence)}%): the text may be wrong`, page: 1 });
    }
    return {
      root: root(paragraphs.map((p) => paragraph([text(p.text)]))),
      pageCount: 1,
      ocrPages: [1],
    };
  },
};
