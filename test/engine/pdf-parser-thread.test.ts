/**
 * pdf.js's parser in its own thread (parser-thread.ts): the text it reads is the same as pdf.js's in-process
 * worker reads, one thread serves document after document, and the engine's PDF output goes through it.
 */
import { convert } from '../../shared/engine/engine.ts';
import { loadPdfJs, openPdf } from '../../shared/engine/formats/pdf/load.ts';
import { DENSE_PAGE_ITEMS, PAGES_AHEAD, pagesAhead } from '../../shared/engine/formats/pdf/index.ts';
import { parserThread, startParserThread } from '../../shared/engine/formats/pdf/parser-thread.ts';
import { buildPdf } from '../fixtures/pdf.ts';

const pagesOf = (n: number) =>
  Array.from({ length: n }, (_, p) => [
    { text: `Heading of page ${p + 1}`, x: 72, y: 100, size: 18 },
    { text: `Body text on page ${p + 1} with a few words.`, x: 72, y: 140 },
  ]);

async function pageTexts(bytes: Uint8Array, worker?: Parameters<typeof openPdf>[2]) {
  const doc = await openPdf(bytes, undefined, worker);
  try {
    const out: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      out.push(content.items.map((i) => ('str' in i ? i.str : '')).join('|'));
      page.cleanup();
    }
    return out;
  } finally {
    await doc.loadingTask.destroy();
  }
}

describe('PDF parser thread', () => {
  it('reads the same text as the in-process worker, for one document after another', async () => {
    // Started before pdf.js's API is loaded, as the PDF converter does; idempotent.
    startParserThread();
    startParserThread();
    const thread = parserThread(await loadPdfJs());
    expect(thread).toBeDefined();
    thread!.hold();
    try {
      for (const pages of [3, 5]) {
        const bytes = await buildPdf(pagesOf(pages));
        const threaded = await pageTexts(bytes, { worker: thread!.pdfWorker });
        expect(threaded).toEqual(await pageTexts(bytes));
        expect(threaded).toHaveLength(pages);
        expect(threaded[pages - 1]).toContain(`page ${pages}`);
      }
    } finally {
      thread!.release();
    }
    // The same thread serves the next document.
    expect(parserThread(await loadPdfJs())).toBe(thread);
  });

  it('reads several pages ahead, but one only after a page of huge text content', () => {
    expect(PAGES_AHEAD).toBeGreaterThan(1);
    expect(pagesAhead(0)).toBe(PAGES_AHEAD);
    expect(pagesAhead(DENSE_PAGE_ITEMS)).toBe(PAGES_AHEAD);
    expect(pagesAhead(DENSE_PAGE_ITEMS + 1)).toBe(1);
  });

  it('converts a multi-page PDF in page order through the engine', async () => {
    const result = await convert(await buildPdf(pagesOf(12)), { fileName: 'long.pdf' });
    const order = [...result.markdown.matchAll(/Body text on page (\d+)/g)].map((m) => Number(m[1]));
    expect(order).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(result.pageCount).toBe(12);
  });
});
