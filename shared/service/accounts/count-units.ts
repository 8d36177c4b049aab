/**
 * Counting a document's billable units from its bytes, before conversion (see `billable-units.ts`).
 *
 * Pages and slides are counted by the engine in the SANDBOX (`PageCounter`: a converter under the
 * conversion's memory ceiling, stopped at `COUNT_BUDGET_MS`), never on the server's own thread: an upload is
 * untrusted, and a time budget that only stops waiting (a `Promise.race`) leaves a hostile PDF's parse
 * running. When a paged document cannot be counted (corrupt, encrypted, over the budget or the memory
 * ceiling, or no counter wired) the documented size rule applies instead: the conversion will most likely
 * fail and release the reservation anyway, and settlement never charges more than was reserved.
 */
import { billableUnits } from './billable-units.ts';
import type { PageCounter } from '../jobs/runner.ts';

/** The most time one upload's page count may take in the sandbox before the size rule applies. */
export const COUNT_BUDGET_MS = 5_000;

/** Formats billed by their pages; every other format is billed by size or as one unit without reading it. */
const PAGED = new Set(['pdf', 'pptx']);

/**
 * Units of `bytes` detected as `format`; `pages` is set when pages/slides were counted.
 * Never throws: an uncountable document is billed by the size rule.
 */
export async function countUnits(
  bytes: Uint8Array,
  format: string,
  countPages: PageCounter | undefined,
): Promise<{ units: number; pages?: number }> {
  // Read before counting: a counter may move the bytes to its converter.
  const size = bytes.length;
  const pages =
    PAGED.has(format) && countPages
      ? await countPages(bytes, format, { timeoutMs: COUNT_BUDGET_MS }).catch(() => undefined)
      : undefined;
  return {
    units: billableUnits(format, { size, ...(pages !== undefined ? { pages } : {}) }),
    ...(pages !== undefined ? { pages } : {}),
  };
}
