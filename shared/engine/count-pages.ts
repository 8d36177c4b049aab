/**
 * How many pages (PDF) or slides (PPTX) a document has, read from its bytes with the engine's own readers
 * and without converting anything: pdf.js's `numPages` (the page tree's `/Count`, no page parsed) and the
 * `ppt/slides/slideN.xml` parts listed in the ZIP's central directory (nothing inflated).
 *
 * Untrusted bytes: call this only under a budget that can STOP it, i.e. in the sandbox
 * (`ConverterPool.countPages`, message `count` of `sandbox-worker.ts`), never on a server's own thread.
 */
import { openPdf } from './formats/pdf/load.ts';
import { ZipArchive } from './zip.ts';

/** Formats whose pages this counts; for every other format `countPages` answers undefined. */
export const PAGED_FORMATS: ReadonlySet<string> = new Set(['pdf', 'pptx']);

/**
 * Pages of `bytes` detected as `format` (`pdf` or `pptx`); undefined for other formats.
 * @throws ConversionError (`corrupt`, `encrypted`, …) when the document cannot be read.
 */
export async function countPages(bytes: Uint8Array, format: string): Promise<number | undefined> {
  if (format === 'pdf') {
    const doc = await openPdf(bytes);
    try {
      return doc.numPages;
    } finally {
      await doc.loadingTask.destroy().catch(() => undefined);
    }
  }
  if (format === 'pptx') {
    const zip = new ZipArchive(bytes, { maxEntryBytes: 1, maxInflatedBytes: 1, maxEntries: 100_000 });
    return zip.names().filter((n) => /^ppt\/slides\/slide\d+\.xml$/i.test(n)).length;
  }
  return undefined;
}
