/**
 * The cap on a result's size. A document's Markdown is its text plus a little syntax, so it is rarely larger
 * than the document itself; inputs that expand far beyond their size are decompression bombs (a 256 KB DOCX
 * whose one ZIP entry inflates to 250 MB of letters). Their results would be stored, billed and downloaded
 * whole, so the engine refuses them with `too_large` rather than cutting them with a `truncated` warning: a
 * cut bomb is still useless, and a half result must not look like a document.
 *
 * The budget is `min(maxResultBytes, max(RESULT_FLOOR_BYTES, maxResultRatio × input bytes))`: with the
 * defaults (64 MiB, 100×, 1 MiB) a 256 KB input may produce 25.6 MB, a 1 KB CSV 1 MiB, and nothing more than
 * 64 MiB. A spreadsheet whose repeated cells deflate 30-fold stays well inside the ratio.
 */
import { tooLarge } from './errors.ts';
import type { ConvertLimits } from './types.ts';

/** The least any input may produce, bytes (1 MiB): a small input is not held to a tiny cap. */
export const RESULT_FLOOR_BYTES = 1024 * 1024;

/** Bytes of Markdown an input of `inputBytes` bytes may produce under `limits`. */
export function resultBudget(
  inputBytes: number,
  limits: Pick<ConvertLimits, 'maxResultBytes' | 'maxResultRatio'>,
): number {
  return Math.min(limits.maxResultBytes, Math.max(RESULT_FLOOR_BYTES, Math.ceil(limits.maxResultRatio * inputBytes)));
}

/**
 * @throws ConversionError `too_large` when `markdown` (measured in UTF-8 bytes) is over `budget`.
 */
export function checkResultSize(markdown: string, budget: number, inputBytes: number): void {
  // Bytes ≥ UTF-16 code units / 1 and ≤ ×3: only measure exactly near the line.
  if (markdown.length <= budget / 3) return;
  const bytes = Buffer.byteLength(markdown, 'utf8');
  if (bytes > budget) throw overBudget(bytes, budget, inputBytes);
}

/** The `too_large` error for a result of `bytes` (or at least that many) over `budget`. */
export function overBudget(bytes: number, budget: number, inputBytes: number) {
  return tooLarge(
    `the result would be ${formatMb(bytes)} or more, over the ${formatMb(budget)} cap for a ${formatMb(inputBytes)} input ` +
      '(a result may be at most a multiple of its input and never over an absolute size)',
  );
}

function formatMb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}
