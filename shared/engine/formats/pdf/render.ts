/**
 * A page with no usable text layer is rendered to PNG and handed to the OCR engine. Rendering uses pdf.js's
 * canvas path on @napi-rs/canvas; the bitmap is capped so a huge page cannot exhaust memory.
 */
import type { PdfPage } from './load.ts';

const DPI = 170;
const MAX_PIXELS = 24_000_000;

export async function renderPagePng(page: PdfPage): Promise<Uint8Array> {
  const { createCanvas } = await import('@napi-rs/canvas');
  const base = page.getViewport({ scale: 1 });
  let scale = DPI / 72;
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
  return new Uint8Array(await canvas.encode('png'));
}
