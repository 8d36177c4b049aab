/**
 * A page with no usable text layer is rendered and handed to the OCR engine. Rendering uses pdf.js's canvas
 * path on @napi-rs/canvas.
 *
 * Resolution: 300 dpi, the resolution tesseract's LSTM models read best at (body text gets an x-height of
 * about 20 px) and no higher; pages larger than A4/Letter are rendered smaller, so the longer side stays within
 * 3508 px (A4 at 300 dpi) and the bitmap within 12 million pixels — OCR time grows with the pixel count.
 * The bitmap goes out as a greyscale PNG (`image/bitmap.ts`): OCR reads luminance only, and writing one
 * channel is far faster than the canvas's RGBA encoder.
 */
import type { PdfPage } from './load.ts';
import { encodeGrayPng } from '../image/bitmap.ts';

const DPI = 300;
const MAX_LONG_SIDE = 3508;
const MAX_PIXELS = 12_000_000;

export async function renderPagePng(page: PdfPage): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const base = page.getViewport({ scale: 1 });
  let scale = DPI / 72;
  scale = Math.min(scale, MAX_LONG_SIDE / Math.max(base.width, base.height));
  const area = base.width * base.height * scale * scale;
  if (area > MAX_PIXELS) scale *= Math.sqrt(MAX_PIXELS / area);
  const viewport = page.getViewport({ scale });
  const width = Math.max(1, Math.ceil(viewport.width));
  const height = Math.max(1, Math.ceil(viewport.height));
  const canvas = createCanvas(width, height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  // pdf.js types expect DOM canvas objects; @napi-rs/canvas implements the same 2D API.
  await page.render({ canvas: canvas as never, canvasContext: context as never, viewport }).promise;
  const rgba = context.getImageData(0, 0, width, height).data;
  const data = new Uint8Array(width * height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    data[i] = (rgba[p] * 299 + rgba[p + 1] * 587 + rgba[p + 2] * 114 + 500) / 1000;
  }
  return encodeGrayPng({ width, height, data });
}
