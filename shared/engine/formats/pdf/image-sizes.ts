/**
 * Sizes of a PDF's image XObjects read from their dictionaries (`/Width`, `/Height`), without decoding: the
 * images a page render would decode at full size before scaling them down. An image XObject is a stream, and
 * streams are never stored inside object streams (ISO 32000-1 §7.5.7), so every image dictionary is plain
 * text in the file (encryption covers strings and stream data, not dictionary keys and numbers).
 *
 * pdf.js itself skips the oversized images while rendering (`maxImageSize`, see `load.ts`); this scan only
 * tells the caller that it will, so the skip is reported as a warning instead of happening silently.
 */

/** Bytes searched around one `/Image` subtype for its dictionary's width and height. */
const DICT_WINDOW = 4096;
/** Image dictionaries looked at, at most (a file of a million tiny images costs one bounded pass). */
const MAX_IMAGES = 10_000;

export interface OversizedImages {
  count: number;
  /** The largest one's size, pixels. */
  largest: { width: number; height: number };
}

/**
 * Image XObjects over `maxPixels` (width × height) in `bytes`, or undefined when none is. Linear in the file
 * size: one `indexOf` walk plus a bounded window per image.
 */
export function oversizedImages(bytes: Uint8Array, maxPixels: number): OversizedImages | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  let found: OversizedImages | undefined;
  let from = 0;
  for (let n = 0; n < MAX_IMAGES; n++) {
    const hit = text.indexOf('/Image', from);
    if (hit < 0) break;
    from = hit + 6;
    // `/Subtype /Image` (not `/ImageB`, `/ImageC`, `/ImageMask` or a name that merely starts with it).
    if (/[A-Za-z]/.test(text[from] ?? '') || !/\/Subtype\s*$/.test(text.slice(Math.max(0, hit - 20), hit))) continue;
    const start = Math.max(0, text.lastIndexOf('obj', hit), hit - DICT_WINDOW);
    const streamAt = text.indexOf('stream', hit);
    const end = Math.min(text.length, streamAt < 0 ? hit + DICT_WINDOW : streamAt, hit + DICT_WINDOW);
    const dict = text.slice(start, end);
    const width = Number(/\/Width\s+(\d{1,9})/.exec(dict)?.[1] ?? 0);
    const height = Number(/\/Height\s+(\d{1,9})/.exec(dict)?.[1] ?? 0);
    if (width * height <= maxPixels) continue;
    if (!found) found = { count: 0, largest: { width, height } };
    found.count++;
    if (width * height > found.largest.width * found.largest.height) found.largest = { width, height };
  }
  return found;
}
