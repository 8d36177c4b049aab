/**
 * The resolution a PDF page is rendered at for OCR: what the OCR engine needs to read the page's text, and no
 * more (OCR time and memory grow with the pixel count).
 *
 * Source of the rule: Tesseract's documentation ("Improving the quality of the output", tessdoc) says accuracy
 * drops off below 10 pt text at 300 dpi, where the x-height is about 20 pixels, and that below an x-height of
 * 10 pixels there is little chance of an accurate result. So:
 * - a page whose text layer exists but is unreadable (fonts without a Unicode mapping) tells the text's sizes:
 *   the page is rendered so that its small text (the size 90% of its characters reach) gets a 20 px x-height,
 *   taking the x-height as half the em;
 * - a scanned page is rendered at its scan's own resolution (the largest image's pixels per inch as drawn):
 *   more pixels than the scan has add no detail, fewer lose it;
 * - a page with neither (text drawn as vector outlines) is rendered at the most, 300 dpi.
 * Always between 150 dpi (under it body text falls below a 10 px x-height) and 300 dpi, and never more than
 * 20 million pixels (a 300 dpi A3 page is about 17 million), the size the image analyses work at anyway
 * (`image/bitmap.ts`).
 */

/** Dots per inch bounds and the pixel budget of one rendered page. */
export const MIN_OCR_DPI = 150;
export const MAX_OCR_DPI = 300;
export const MAX_RENDER_PIXELS = 20_000_000;

/** The x-height (px) the text should get, and the x-height as a share of the em. */
const TARGET_X_HEIGHT_PX = 20;
const X_HEIGHT_EM = 0.5;
/** The share of characters whose size must reach the x-height target. */
const COVERED = 0.9;

const clampDpi = (dpi: number) => Math.min(MAX_OCR_DPI, Math.max(MIN_OCR_DPI, dpi));

/**
 * The dpi for a page whose text runs are known (sizes in points, one em per size unit), or undefined when the
 * runs hold no text. The size used is the one 90% of the characters are set at or above.
 */
export function dpiForText(runs: readonly { size: number; text: string }[]): number | undefined {
  const sized = runs
    .map((r) => ({ size: Math.abs(r.size), chars: r.text.replace(/\s+/g, '').length }))
    .filter((r) => r.chars > 0 && Number.isFinite(r.size) && r.size > 0)
    .sort((a, b) => a.size - b.size);
  const total = sized.reduce((n, r) => n + r.chars, 0);
  if (!total) return undefined;
  let below = 0;
  let size = sized[sized.length - 1].size;
  for (const r of sized) {
    below += r.chars;
    if (below > (1 - COVERED) * total) {
      size = r.size;
      break;
    }
  }
  return clampDpi((TARGET_X_HEIGHT_PX * 72) / (X_HEIGHT_EM * size));
}

/** The operator codes `scanDpi` reads (from pdf.js's `OPS`). */
export interface ImageOpCodes {
  save: number;
  restore: number;
  transform: number;
  paintFormXObjectBegin: number;
  paintFormXObjectEnd: number;
  paintImageXObject: number;
  paintInlineImageXObject: number;
  paintImageMaskXObject: number;
}

type Matrix = [number, number, number, number, number, number];

const isMatrix = (m: unknown): m is Matrix =>
  Array.isArray(m) && m.length === 6 && m.every((v) => typeof v === 'number' && Number.isFinite(v));
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** Pixel size of an image operator's image: `[objId, width, height]` or `[{ width, height, … }]`. */
function imagePixels(args: unknown[] | null): { width: number; height: number } | undefined {
  if (!args) return undefined;
  const [a, w, h] = args;
  if (typeof w === 'number' && typeof h === 'number') return { width: w, height: h };
  const data = a as { width?: unknown; height?: unknown } | null;
  if (data && typeof data.width === 'number' && typeof data.height === 'number')
    return { width: data.width, height: data.height };
  return undefined;
}

/**
 * The scan resolution of a page: the pixels per inch, as drawn, of the image covering the largest area (the
 * lower of its two directions), clamped to the OCR bounds; undefined when the page draws no image. Images are
 * drawn on the unit square, so the current transform's column lengths are the drawn size; `pageTransform` is
 * the page's viewport transform at scale 1 (points).
 */
export function scanDpi(
  ops: { fnArray: ArrayLike<number>; argsArray: unknown[] },
  codes: ImageOpCodes,
  pageTransform: number[],
): number | undefined {
  let ctm: Matrix = isMatrix(pageTransform) ? pageTransform : [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  const images = new Set([codes.paintImageXObject, codes.paintInlineImageXObject, codes.paintImageMaskXObject]);
  let best: { area: number; dpi: number } | undefined;
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i];
    const args = ops.argsArray[i] as unknown[] | null;
    if (fn === codes.save) stack.push(ctm);
    else if (fn === codes.restore) ctm = stack.pop() ?? ctm;
    else if (fn === codes.transform) {
      if (isMatrix(args)) ctm = multiply(ctm, args);
    } else if (fn === codes.paintFormXObjectBegin) {
      stack.push(ctm);
      if (args && isMatrix(args[0])) ctm = multiply(ctm, args[0]);
    } else if (fn === codes.paintFormXObjectEnd) ctm = stack.pop() ?? ctm;
    else if (images.has(fn)) {
      const pixels = imagePixels(args);
      const wide = Math.hypot(ctm[0], ctm[1]);
      const high = Math.hypot(ctm[2], ctm[3]);
      if (!pixels || wide < 1 || high < 1) continue;
      const dpi = Math.min((pixels.width * 72) / wide, (pixels.height * 72) / high);
      if (Number.isFinite(dpi) && (!best || wide * high > best.area)) best = { area: wide * high, dpi };
    }
  }
  return best ? clampDpi(best.dpi) : undefined;
}

/**
 * The dpi to render at: from the text's sizes when known, else from the scan, else the most the engine uses.
 */
export function ocrDpi(hints: { text?: number; scan?: number }): number {
  return hints.text ?? hints.scan ?? MAX_OCR_DPI;
}

/**
 * The render scale (pixels per point) for a page `width` × `height` points at `dpi`, shrunk so the bitmap holds
 * at most `MAX_RENDER_PIXELS`.
 */
export function renderScale(width: number, height: number, dpi: number): number {
  const scale = dpi / 72;
  const area = Math.max(1, width * height) * scale * scale;
  return area > MAX_RENDER_PIXELS ? scale * Math.sqrt(MAX_RENDER_PIXELS / area) : scale;
}
