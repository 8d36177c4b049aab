/**
 * Billable units: what a plan's `monthlyUnits` counts, defined once here and in `functions/README.md`.
 *
 * - PDF: one unit per page.
 * - PPTX: one unit per slide.
 * - Image (PNG, JPEG, GIF, WebP, TIFF, BMP): one unit per file.
 * - Formats without pages (DOCX, XLSX, XLS, EPUB, HTML, CSV/TSV, JSON, Markdown, plain text): one unit per
 *   started 100 KB (102 400 bytes) of upload, at least 1. Those formats have no page a reader and the
 *   service would agree on (a DOCX's pages depend on the renderer), while the byte size is known before
 *   conversion and is what the conversion's cost grows with; so the price is predictable from `size` alone.
 *
 * Units are counted from the uploaded bytes before conversion (`count-units.ts`), reserved against the
 * month's allowance, and settled on success at the count the conversion produced — never above the
 * reservation, so what was reserved (and confirmed) is the most a job is charged.
 */

/** Bytes per unit for formats without pages. */
export const BYTES_PER_UNIT = 100 * 1024;

/** Formats (from `detectFormat`) billed by page or slide. */
const PAGED_FORMATS = new Set(['pdf', 'pptx']);

/** Whether `format` is billed per page/slide (its unit count is known only by reading the document). */
export function isPaged(format: string): boolean {
  return PAGED_FORMATS.has(format);
}

/** Units of a document by size alone: `ceil(size / 100 KB)`, at least 1. */
export function unitsBySize(size: number): number {
  return Math.max(1, Math.ceil(size / BYTES_PER_UNIT));
}

/**
 * The billable units of one document.
 * @param format a format id from `detectFormat` (`pdf`, `pptx`, `image`, `docx`, …).
 * @param doc `pages`: pages (PDF) or slides (PPTX) when known; `size`: upload size in bytes.
 * @returns an integer ≥ 1. A paged format without a known count falls back to the size rule.
 */
export function billableUnits(format: string, doc: { pages?: number; size: number }): number {
  if (format === 'image') return 1;
  if (isPaged(format) && doc.pages !== undefined) return Math.max(1, Math.floor(doc.pages));
  return unitsBySize(doc.size);
}

/** Content types (essence) → the format they are billed as, for estimates before any byte is seen. */
const FORMAT_BY_TYPE: Record<string, string> = {
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/gif': 'image',
  'image/webp': 'image',
  'image/tiff': 'image',
  'image/bmp': 'image',
};

/** The billing format of a declared content type (`other` for the formats billed by size). */
export function billingFormatOf(contentType: string): string {
  return FORMAT_BY_TYPE[contentType.split(';')[0].trim().toLowerCase()] ?? 'other';
}

/**
 * A range of units for a document not yet uploaded (`POST /v1/estimate`).
 * - Exact (`min === max`) for images, for size-billed formats, and for PDF/PPTX when `pages` is given.
 * - PDF/PPTX without `pages`: from 1 to `maxPages` (the plan's most pages per document), narrowed by the
 *   size: no document has more pages than bytes / 100 (a page object alone is larger), so
 *   `max = min(maxPages, ceil(size / 100))`.
 */
export function estimateUnits(
  contentType: string,
  doc: { size: number; pages?: number; maxPages: number },
): { min: number; max: number } {
  const format = billingFormatOf(contentType);
  if (format === 'image') return { min: 1, max: 1 };
  if (format === 'other') {
    const n = unitsBySize(doc.size);
    return { min: n, max: n };
  }
  if (doc.pages !== undefined) {
    const n = Math.max(1, Math.floor(doc.pages));
    return { min: n, max: n };
  }
  return { min: 1, max: Math.max(1, Math.min(doc.maxPages, Math.ceil(doc.size / 100))) };
}
