/**
 * Which inputs can need OCR, from their first bytes: only PDFs and raster images (PNG, JPEG, GIF, WebP, TIFF,
 * BMP) carry text as pictures. A cheap magic-number check (signatures from each format's specification), made
 * before the OCR engine is loaded or a converter is chosen.
 */
export function mayNeedOcr(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  // Readers accept a PDF header anywhere in the first 1024 bytes, after junk such as a mail header.
  if (head.includes('%PDF-')) return true;
  const at = (sig: number[], offset = 0) => sig.every((v, i) => head[offset + i] === v);
  return (
    at([0x89, 0x50, 0x4e, 0x47]) ||
    at([0xff, 0xd8, 0xff]) ||
    at([0x47, 0x49, 0x46, 0x38]) ||
    (at([0x52, 0x49, 0x46, 0x46]) && at([0x57, 0x45, 0x42, 0x50], 8)) ||
    at([0x49, 0x49, 0x2a, 0x00]) ||
    at([0x4d, 0x4d, 0x00, 0x2a]) ||
    at([0x42, 0x4d])
  );
}
