/**
 * A PDF page without a usable text layer (a scan, or fonts without a Unicode mapping): rendered and read by
 * OCR through the same image reading as an image file (`image/read-image.ts`), in the page's own units (PDF
 * points), so its words, rules and pictures lay out like a text-layer page's.
 *
 * Warnings, one per page: `needs_ocr` only when OCR did not run (no engine, or `ocr: false`); `ocr_failed` when
 * the engine failed; `garbled_text` for an unreadable text layer that OCR could not replace (OCR off, failed,
 * or read no text from the rendered page), or an OCR reading that is doubtful; `uncovered_script` when OCR's
 * script detection found a script none of the OCR languages reads. A blank page without a text
 * layer yields nothing and no warning.
 */
import type { ConvertContext } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { throwIfTransientOcrFailure } from '../../errors.ts';
import type { Block } from './blocks.ts';
import { layOut, readImage, type PictureArea } from '../image/read-image.ts';

export type OcrPageContent =
  | { page: number; blocks: Block[]; height: number; pictures?: PictureArea[]; script?: string }
  | { page: number; nodes: RootContent[] };

/**
 * Read page `n` through OCR. `textLayer` says why: `empty` (no text at all) or `garbled` (text without usable
 * Unicode). `render` produces the page image (PNG) only when an OCR engine is there to read it. Pages read by
 * OCR are appended to `ocrPages`. Transient OCR failures propagate as a retryable `ConversionError`.
 */
export async function ocrPageContent(
  n: number,
  textLayer: 'empty' | 'garbled',
  render: () => Promise<Uint8Array>,
  viewport: { width: number; height: number },
  ctx: ConvertContext,
  ocrPages: number[],
): Promise<OcrPageContent> {
  const garbled = {
    code: 'garbled_text' as const,
    message: `page ${n} has an unreadable text layer (fonts without a Unicode mapping)`,
    page: n,
  };
  if (!ctx.ocr) {
    ctx.warn(
      textLayer === 'empty'
        ? {
            code: 'needs_ocr',
            message: `page ${n} has no text layer (a scan or an image) and OCR is off or unavailable`,
            page: n,
          }
        : garbled,
    );
    return { page: n, nodes: [] };
  }
  try {
    const reading = await readImage(await render(), ctx.ocr, {
      languages: ctx.options.ocrLanguages,
      target: viewport,
    });
    if (reading.ocrRan) ocrPages.push(n);
    if (reading.doubt) ctx.warn({ code: 'garbled_text', message: `page ${n}: ${reading.doubt}`, page: n });
    if (reading.uncoveredScript) {
      ctx.warn({ code: 'uncovered_script', message: `page ${n}: ${reading.uncoveredScript}`, page: n });
    } else if (textLayer === 'garbled' && !reading.runs.length) {
      // The page has glyphs, so an empty reading (nothing rendered, or nothing read confidently) loses them.
      ctx.warn({ ...garbled, message: `${garbled.message} and OCR read no text from the rendered page` });
    }
    return {
      page: n,
      blocks: layOut(reading),
      height: reading.height,
      ...(reading.pictures.length ? { pictures: reading.pictures } : {}),
      ...(reading.script ? { script: reading.script } : {}),
    };
  } catch (error) {
    throwIfTransientOcrFailure(error);
    if (textLayer === 'garbled') ctx.warn(garbled);
    const message = error instanceof Error ? error.message : String(error);
    ctx.warn({ code: 'ocr_failed', message: `OCR of page ${n} failed: ${message}`, page: n });
    return { page: n, nodes: [] };
  }
}
