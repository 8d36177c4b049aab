/**
 * A page with no usable text layer is rendered to PNG and handed to the OCR engine. Rendering uses pdf.js's
 * canvas path on @napi-rs/canvas, at the resolution `ocr-resolution.ts` chooses for the page; the bitmap is
 * capped (`MAX_RENDER_PIXELS`) so a huge page cannot exhaust memory.
 */
import type { PdfPage } from './load.ts';
import { loadPdfJs } from './load.ts';
import { encodeGrayPng, grayFromRgba } from '../image/bitmap.ts';
import { operatorListOf } from './operator-list.ts';
import { MAX_OCR_DPI, dpiForText, ocrDpi, renderScale, scanDpi } from './ocr-resolution.ts';

/**
 * The dpi to render `page` at for OCR (`ocr-resolution.ts`): from the sizes of its text runs (points) when it
 * has text, else from its scan's resolution (the page's operator list, fetched once and shared). `page` must come
 * from a document opened for rendering: the text-extraction instance leaves images out of its operator lists.
 */
export async function ocrRenderDpi(page: PdfPage, runs: readonly { size: number; text: string }[]): Promise<number> {
  const text = dpiForText(runs);
  if (text !== undefined) return text;
  const [{ OPS }, ops] = await Promise.all([loadPdfJs(), operatorListOf(page)]);
  return ocrDpi({ scan: scanDpi(ops, OPS, page.getViewport({ scale: 1 }).transform) });
}

/** Render `page` at `dpi` dots per inch (at most `MAX_RENDER_PIXELS` pixels) as a greyscale PNG on white paper. */
export async function renderPagePng(page: PdfPage, dpi: number = MAX_OCR_DPI): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const base = page.getViewport({ scale: 1 });
  const viewport = page.getViewport({ scale: renderScale(base.width, base.height, dpi) });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  // pdf.js types expect DOM canvas objects; @napi-rs/canvas implements the same 2D API.
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
  // A greyscale PNG with fast deflate: OCR and the image analyses read luminance only, and Skia's RGBA PNG
  // encoder took seconds on a 300 dpi page.
  return encodeGrayPng(grayFromRgba(context.getImageData(0, 0, width, height).data, width, height));
}
