/**
 * Counting a document's billable units from its bytes, before conversion (see `billable-units.ts`).
 * PDF pages are read with pdf.js (`numPages`: the page tree's count, without parsing any page) within a time
 * budget; PPTX slides are the `ppt/slides/slideN.xml` parts listed in the ZIP's central directory (nothing
 * is inflated). When a paged document cannot be counted (corrupt, encrypted, over the budget) the size rule
 * applies: the conversion will most likely fail and release it anyway, and settlement never charges more
 * than was reserved.
 */
import { openPdf } from '../../engine/formats/pdf/load.ts';
import { ZipArchive } from '../../engine/zip.ts';
import { billableUnits } from './billable-units.ts';

/** The most time spent counting one PDF's pages before falling back to the size rule. */
export const COUNT_BUDGET_MS = 10_000;

/** Units of `bytes` detected as `format`; `pages` is set when pages/slides were counted. */
export async function countUnits(bytes: Uint8Array, format: string): Promise<{ units: number; pages?: number }> {
  const pages = await countPages(bytes, format);
  return {
    units: billableUnits(format, { size: bytes.length, ...(pages !== undefined ? { pages } : {}) }),
    ...(pages !== undefined ? { pages } : {}),
  };
}

async function countPages(bytes: Uint8Array, format: string): Promise<number | undefined> {
  try {
    if (format === 'pdf') return await pdfPages(bytes);
    if (format === 'pptx') return pptxSlides(bytes);
  } catch {
    // Uncountable: the size rule applies (see the module comment).
  }
  return undefined;
}

async function pdfPages(bytes: Uint8Array): Promise<number | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), COUNT_BUDGET_MS);
  });
  const counted = (async () => {
    const doc = await openPdf(bytes);
    try {
      return doc.numPages;
    } finally {
      await doc.loadingTask.destroy().catch(() => undefined);
    }
  })();
  try {
    return await Promise.race([counted, timeout]);
  } finally {
    clearTimeout(timer);
    counted.catch(() => undefined);
  }
}

function pptxSlides(bytes: Uint8Array): number {
  const zip = new ZipArchive(bytes, { maxEntryBytes: 1, maxInflatedBytes: 1, maxEntries: 100_000 });
  return zip.names().filter((n) => /^ppt\/slides\/slide\d+\.xml$/i.test(n)).length;
}
