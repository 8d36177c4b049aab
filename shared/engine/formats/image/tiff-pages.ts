/**
 * The pages of a multi-page TIFF, each as a TIFF of its own, so every page is read by OCR and reported apart.
 * OCR engines (tesseract through Leptonica) read only a TIFF's first image.
 *
 * A TIFF (TIFF 6.0, section 2 "TIFF Structure") is a header — byte order `II` or `MM`, the number 42, the offset
 * of the first image file directory (IFD) — and a chain of IFDs: a 2-byte entry count, 12-byte entries, then the
 * 4-byte offset of the next IFD (0 ends the chain). Each IFD describes one image and points at its strips or
 * tiles by absolute offsets. So page n is the same bytes with the header pointing at IFD n and that IFD's
 * next-offset set to 0: nothing moves, every offset stays valid, and the other pages' data is simply
 * unreferenced. BigTIFF (43) and anything unparseable stay one page, handed over as they are.
 */

/** Where one IFD starts and where its next-IFD offset lies. */
interface Directory {
  offset: number;
  nextAt: number;
}

/**
 * Split a TIFF into single-page TIFFs, in file order (at most `maxPages + 1`, so the caller can tell the
 * document is over its page limit). A file with one page, a BigTIFF or bytes that do not parse as a classic
 * TIFF come back as `[bytes]` unchanged. A loop in the IFD chain ends the chain.
 */
export function tiffPages(bytes: Uint8Array, maxPages = Number.MAX_SAFE_INTEGER): Uint8Array[] {
  const directories = tiffDirectories(bytes, maxPages + 1);
  if (directories.length < 2) return [bytes];
  const little = bytes[0] === 0x49;
  return directories.map((d) => {
    const page = bytes.slice();
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    view.setUint32(4, d.offset, little);
    view.setUint32(d.nextAt, 0, little);
    return page;
  });
}

function tiffDirectories(bytes: Uint8Array, limit: number): Directory[] {
  if (bytes.length < 8) return [];
  const little = bytes[0] === 0x49 && bytes[1] === 0x49;
  const big = bytes[0] === 0x4d && bytes[1] === 0x4d;
  if (!little && !big) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (view.getUint16(2, little) !== 42) return [];
  const out: Directory[] = [];
  const seen = new Set<number>();
  let offset = view.getUint32(4, little);
  while (offset !== 0 && out.length < limit && !seen.has(offset)) {
    if (offset + 2 > bytes.length) break;
    const entries = view.getUint16(offset, little);
    const nextAt = offset + 2 + entries * 12;
    if (nextAt + 4 > bytes.length) break;
    seen.add(offset);
    out.push({ offset, nextAt });
    offset = view.getUint32(nextAt, little);
  }
  return out;
}
