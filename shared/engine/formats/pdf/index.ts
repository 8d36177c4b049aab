/**
 * PDF → document tree with pdf.js: page by page from the text layer, a `pageBreak` before each page, OCR for
 * pages without usable text when an OCR engine is available. Limits are checked before any page is read.
 * Pages are laid out first (blocks in reading order) and turned into nodes once the document's body font is
 * known, so heading levels agree across pages.
 */
import type { Converter, ConversionWarning, ConvertContext, DocumentTree, PageSource } from '../../types.ts';
import type { RootContent } from '../../mdast.ts';
import { pageBreak, root } from '../../mdast.ts';
import { ConversionError, tooLarge } from '../../errors.ts';
import { loadPdfJs, openPdf } from './load.ts';
import { parserThread, startParserThread } from './parser-thread.ts';
import type { PdfDocument, PdfPage } from './load.ts';
import { itemsToRuns, toUpright } from './text-items.ts';
import type { RawTextItem, Run } from './text-items.ts';
import { fontLookup, needsFontNames } from './fonts.ts';
import { applyLinks, safeLinkUrl } from './links.ts';
import type { LinkArea } from './links.ts';
import { blockText } from './blocks.ts';
import { pageBlocksWithRemovals } from './layout.ts';
import { usableTitle } from '../../metadata-title.ts';
import { mayHoldTable, pageRules } from './graphics.ts';
import { operatorListOf, releaseOperatorList } from './operator-list.ts';
import { documentStyle } from './headings.ts';
import { removeFurniture } from './furniture.ts';
import { joinContinuedTables } from './table-continuation.ts';
import { assessText, garbledFonts } from './quality.ts';
import { segmentsUpright, uprightSize } from './upright.ts';
import { ocrRenderDpi, renderPagePng } from './render.ts';
import { oversizedImages } from './image-sizes.ts';
import { ocrPageContent, type OcrPageContent } from './ocr-page.ts';
import { EmbeddedFonts } from './embedded-fonts.ts';
import { ContentRules } from './content-rules.ts';
import { recoverGarbledFonts } from './font-recovery.ts';
import { nodesWithPictures } from '../image/place-pictures.ts';
import { COLLECT_AFTER_PAGES } from '../../collect-garbage.ts';

/**
 * How many pages past the one being laid out are requested from pdf.js. Measured on a 360-page text PDF (2-core
 * machine, whole process, medians of 5 interleaved runs): 1 ahead 6.49 s, 3 ahead 6.01 s, 6 ahead 5.60 s. A
 * page in flight holds its text content: ~100–250 bytes per text item, a few thousand items on a dense page.
 */
export const PAGES_AHEAD = 6;

/**
 * Text items on a page past which reading goes back to one page ahead (until a lighter page comes), so that a
 * document of huge pages holds two of them at a time, as before read-ahead, not seven: its memory ceiling must
 * not be reached where it was not. 20,000 items is ~5 MB; real dense pages have a few thousand.
 */
export const DENSE_PAGE_ITEMS = 20_000;

/** Pages to read ahead of the one being laid out, after reading a page of `items` text items. */
export const pagesAhead = (items: number): number => (items > DENSE_PAGE_ITEMS ? 1 : PAGES_AHEAD);

export const pdfConverter: Converter = {
  name: 'pdf',
  accepts: (input) => input.format === 'pdf',
  async convert({ bytes }, ctx) {
    // pdf.js parses in a thread of its own when it can (parser-thread.ts); a dead thread fails the document
    // with a typed error instead of leaving pdf.js's requests waiting.
    startParserThread(); // its start-up overlaps loading pdf.js's API here
    const thread = parserThread(await loadPdfJs());
    thread?.hold();
    const failed = <T>(work: Promise<T>): Promise<T> => (thread ? Promise.race([work, thread.failure]) : work);
    try {
      const doc = await failed(openPdf(bytes, ctx.options.password, { worker: thread?.pdfWorker }));
      const renderer = new LazyRenderer(bytes, ctx);
      try {
        return await failed(convertDocument(doc, bytes, ctx, renderer, new EmbeddedFonts(bytes)));
      } finally {
        await renderer.close();
        await failed(doc.loadingTask.destroy()).catch(() => undefined);
        if (doc.numPages >= COLLECT_AFTER_PAGES) thread?.collect();
      }
    } finally {
      thread?.release();
    }
  },
};

/**
 * What one page yields: laid-out blocks (from its text layer or OCR, with the pictures OCR found), or ready
 * nodes; with the source text the completeness check compares the page's Markdown against.
 */
type PageContent = OcrPageContent & { source?: PageSource };

/** A page read but not yet assembled: its content (still being recognised when OCR'd), what it said. */
interface PageTurn {
  n: number;
  page?: PdfPage;
  content: Promise<PageContent>;
  /** OCR still running on the page (its render is done). */
  recognizing?: boolean;
  /** Its warnings, passed on when the page is assembled, in page order. */
  warnings: ConversionWarning[];
  /** The page's number once OCR read it. */
  ocrPages: number[];
}

async function convertDocument(
  doc: PdfDocument,
  bytes: Uint8Array,
  ctx: ConvertContext,
  renderer: LazyRenderer,
  fonts: EmbeddedFonts,
): Promise<DocumentTree> {
  const pageCount = doc.numPages;
  if (pageCount > ctx.limits.maxPages) {
    throw tooLarge(`the PDF has ${pageCount} pages; the limit is ${ctx.limits.maxPages}`);
  }
  const { first, last } = pageRange(pageCount, ctx.options.pages);
  const pages: PageContent[] = [];
  const ocrPages: number[] = [];
  // Rules are read from the content streams (content-rules.ts); pdf.js's operator list only where that cannot.
  const contentRules = new ContentRules(bytes, pageCount);
  // Pages ahead: pdf.js (in its own thread, `parser-thread.ts`) reads the next pages while page N is laid out.
  // Each page's read is a chain (getPage, then its text content, then its links) whose next step this thread
  // must send, and it cannot while it lays out a page: with one page ahead the parser thread sat idle 40% of a
  // 360-page run waiting for the next request. Several pages ahead keep it busy.
  const request = (n: number) => {
    const page = doc.getPage(n);
    const read = page.then((p) => fetchPage(p, contentRules));
    read.catch(() => undefined); // awaited (and its failure handled) in the page's turn below
    return { page, read };
  };
  // Scanned pages overlap: page n+1 is rendered and its recognition started while page n's is still running,
  // with at most as many pages in flight as the OCR engine runs recognitions at once (memory stays bounded).
  // Each page's warnings and OCR'd page number wait in its turn, so pages assemble in order as before.
  const inFlight = Math.max(1, Math.floor(ctx.ocr?.concurrency ?? 1));
  const turns: PageTurn[] = [];
  const assemble = async (turn: PageTurn) => {
    try {
      pages.push(await turn.content);
    } catch (error) {
      if (error instanceof ConversionError) throw error;
      const n = turn.n;
      turn.warnings.push({
        code: 'page_failed',
        message: `page ${n} could not be read: ${errorMessage(error)}`,
        page: n,
      });
      pages.push({ page: n, nodes: [] });
    } finally {
      if (turn.page) releaseOperatorList(turn.page);
      turn.page?.cleanup();
    }
    turn.warnings.forEach((w) => ctx.warn(w));
    ocrPages.push(...turn.ocrPages);
  };
  const ahead: ReturnType<typeof request>[] = [];
  let requested = first - 1;
  // One page ahead until a page has been read (its size unknown), then PAGES_AHEAD while pages stay light.
  let window = 1;
  const topUp = (n: number) => {
    while (requested < Math.min(last, n + window)) ahead.push(request(++requested));
  };
  for (let n = first; n <= last; n++) {
    topUp(n);
    const current = ahead.shift()!;
    const turn: PageTurn = { n, warnings: [], ocrPages: [], content: Promise.resolve({ page: n, nodes: [] }) };
    const pageCtx: ConvertContext = { ...ctx, warn: (w) => turn.warnings.push(w) };
    try {
      turn.page = await current.page;
      const pageRead = await current.read;
      window = pagesAhead(pageRead.items.length);
      topUp(n); // before this page's layout, so pdf.js reads on meanwhile
      const read = await readPage(turn.page, pageRead, n, pageCtx, renderer, turn.ocrPages, fonts, contentRules);
      turn.recognizing = 'recognizing' in read;
      turn.content = 'recognizing' in read ? read.recognizing : Promise.resolve(read);
    } catch (error) {
      turn.content = Promise.reject(error);
    }
    turn.content.catch(() => undefined); // awaited (and its failure handled) in the page's turn to assemble
    turns.push(turn);
    while (turns.length >= inFlight || (turns.length && !turns[0].recognizing)) await assemble(turns.shift()!);
  }
  while (turns.length) await assemble(turns.shift()!);
  const laidOut = pages.filter((p) => 'blocks' in p);
  const style = documentStyle(laidOut.flatMap((p) => p.blocks));
  const before = new Map(laidOut.map((p) => [p, p.blocks]));
  removeFurniture(laidOut, style);
  for (const p of laidOut) {
    const kept = new Set(p.blocks);
    const removed = before.get(p)!.filter((b) => !kept.has(b));
    p.source?.furnitureLines.push(
      ...removed.map((b) => (b.table ? b.table.map((r) => r.join(' ')).join(' ') : blockText(b))),
    );
  }
  // After furniture: a running footer must not sit between a table and its continuation.
  for (const { page, rows } of joinContinuedTables(laidOut))
    laidOut.find((p) => p.page === page)?.source?.furnitureLines.push(...rows);
  const children: RootContent[] = [];
  for (const p of pages) {
    children.push(pageBreak(p.page));
    children.push(...('blocks' in p ? nodesWithPictures(p.blocks, p.pictures ?? [], style) : p.nodes));
  }
  const title = await documentTitle(doc);
  const pageSources = pages.flatMap((p) => (p.source ? [p.source] : []));
  return {
    root: root(children),
    pageCount,
    ...(title ? { title } : {}),
    ...(ocrPages.length ? { ocrPages } : {}),
    pageSources,
  };
}

function pageRange(pageCount: number, pages: { first: number; last: number } | undefined) {
  if (!pages) return { first: 1, last: pageCount };
  const first = Math.max(1, Math.floor(pages.first));
  const last = Math.min(pageCount, Math.floor(pages.last));
  if (!(first <= last)) {
    throw new ConversionError(
      'empty',
      `page range ${pages.first}-${pages.last} selects no page of a ${pageCount}-page PDF`,
    );
  }
  return { first, last };
}

/** What pdf.js gives for one page: requested ahead of the page's layout, all of it pdf.js work. */
interface PageRead {
  viewport: ReturnType<PdfPage['getViewport']>;
  items: RawTextItem[];
  hasText: boolean;
  placed: ReturnType<typeof itemsToRuns>;
  links: LinkArea[];
  /** The page's annotations as pdf.js gives them (`linkAreas` reads the links from them). */
  annotations: Promise<unknown[]>;
  /** The text content's font styles, for laying the items out again after a font's text is recovered. */
  styles: Parameters<typeof fontLookup>[1];
}

async function fetchPage(page: PdfPage, contentRules: ContentRules): Promise<PageRead> {
  const viewport = page.getViewport({ scale: 1 });
  // Asked for together with the text content, not after it: a request this thread sends later waits for this
  // thread's next free moment (it may be laying out a page), and the parser thread waits with it.
  const annotations = page.getAnnotations({ intent: 'display' });
  annotations.catch(() => undefined); // a page without text never reads them
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  const items = content.items.filter((i): i is RawTextItem & typeof i => 'str' in i);
  const hasText = items.some((i) => i.str.trim());
  // The fonts' real names (bold, italic, monospace) come with the text content from our patched worker
  // (pdfjs-patches.ts); without the patch only an operator list brings them, fetched for a page with a new font.
  if (hasText && needsFontNames(page.commonObjs, new Set(items.map((i) => i.fontName)))) await operatorListOf(page);
  const placed = itemsToRuns(items, viewport.transform, viewport, fontLookup(page.commonObjs, content.styles));
  // A page whose text looks tabular will want its rules (`pageRules`). When they cannot come from the content
  // streams (an encrypted or unparsable file), ask pdf.js now, so it builds the list while the page before is
  // laid out. The list is cached per page; an unused one is released with the page.
  if (hasText && mayHoldTable(placed.runs) && !(await contentRules.usable()))
    operatorListOf(page).catch(() => undefined);
  const links = hasText ? await linkAreas(annotations, viewport, placed.quadrant) : [];
  return { viewport, items, hasText, placed, links, annotations, styles: content.styles };
}

async function readPage(
  page: PdfPage,
  read: PageRead,
  n: number,
  ctx: ConvertContext,
  renderer: LazyRenderer,
  ocrPages: number[],
  fonts: EmbeddedFonts,
  contentRules: ContentRules,
): Promise<PageContent | { recognizing: Promise<PageContent> }> {
  const { viewport, hasText } = read;
  let { items, placed: laidOut, links } = read;
  // Text in a font without a usable Unicode mapping is garbage that looks like text: judged font by font, and
  // read through the embedded font's own cmap where it can be (font-recovery.ts).
  let garbled = hasText ? garbledFonts(items) : new Set<string>();
  if (garbled.size) {
    const recovery = await recoverGarbledFonts(page, n, items, garbled, fonts);
    if (recovery.recovered.size) {
      items = recovery.items;
      garbled = new Set([...garbled].filter((f) => !recovery.recovered.has(f)));
      laidOut = itemsToRuns(items, viewport.transform, viewport, fontLookup(page.commonObjs, read.styles));
      links = await linkAreas(read.annotations, viewport, laidOut.quadrant);
    }
  }
  const { runs: placed, quadrant, rotatedText } = laidOut;
  const runs = hasText ? applyLinks(placed, links) : placed;
  const readable = garbled.size ? runs.filter((r) => !garbled.has(r.font)) : runs;
  const quality = assessText(runs.map((r) => r.text).join(' '));
  const layOut = async (kept: Run[]): Promise<PageContent> => {
    // Rules are read in viewport space; the runs were turned into the reading direction: turn the rules too.
    const fromContent = () => contentRules.segments(n, viewport.transform, viewport);
    const rules = segmentsUpright(
      await pageRules(() => operatorListOf(page), kept, viewport, fromContent),
      quadrant,
      viewport,
    );
    // Text across the reading direction stays out of the flow. A little of it (a margin stamp, a sideways axis
    // label: at most a tenth of the page's characters) is furniture; more is content the page lost.
    const across = rotatedText.join(' ');
    const minor = across.length <= 0.1 * (across.length + kept.reduce((k, r) => k + r.text.length, 0));
    const { blocks, removals } = pageBlocksWithRemovals(kept, rules);
    // Margin line numbers are furniture (one removed line each, listed like a running header); overprinted
    // glyph copies are counted apart: both are removed on purpose, neither is loss.
    const source: PageSource = {
      page: n,
      text: [...kept.map((r) => r.text), across].join(' '),
      furnitureLines: [...(minor ? rotatedText : []), ...removals.lineNumbers],
      ...(removals.overprintCopies ? { overprintCopies: removals.overprintCopies } : {}),
    };
    return { page: n, blocks, height: uprightSize(quadrant, viewport).height, source };
  };
  if (quality === 'ok' && !garbled.size) return layOut(runs);

  // No usable text layer (a scan), or fonts without a Unicode mapping: OCR reads the rendered page when an
  // engine is there, and says which warning applies (`needs_ocr` only when OCR did not run).
  if (ctx.ocr || quality === 'empty') {
    const render = async () => {
      // The rendering instance: the text instance skips images, whose sizes give a scan's resolution.
      const shown = await renderer.page(n);
      return renderPagePng(shown, await ocrRenderDpi(shown, runs));
    };
    const readByOcr = async (render: () => Promise<Uint8Array>): Promise<PageContent> => {
      const content = await ocrPageContent(
        n,
        quality === 'empty' ? 'empty' : 'garbled',
        render,
        viewport,
        ctx,
        ocrPages,
      );
      const text = 'blocks' in content ? content.blocks.map(blockText).join(' ') : '';
      const ocrFailed = quality !== 'empty' && !('blocks' in content) && !ocrPages.includes(n);
      const ocrReadNothing = quality !== 'empty' && 'blocks' in content && !content.blocks.length;
      // OCR failed, or read nothing, on a page with some readable fonts: those fonts' text is still worth keeping
      // (warned in ocrPageContent).
      if (
        (ocrFailed || ocrReadNothing) &&
        quality === 'ok' &&
        assessText(readable.map((r) => r.text).join(' ')) === 'ok'
      ) {
        return layOut(readable);
      }
      const script = 'script' in content ? content.script : undefined;
      return { ...content, source: { page: n, text, furnitureLines: [], ...(script ? { script } : {}) } };
    };
    if (!ctx.ocr) return readByOcr(render);
    // Rendered in the page's turn (one page at a time on the one rendering instance); recognised later, while
    // the next pages are read. A failed render fails like a failed recognition (`ocrPageContent`).
    const rendered = render();
    await rendered.catch(() => undefined);
    return { recognizing: readByOcr(() => rendered) };
  }
  // No OCR: the garbage is kept out, and the warning says how much text that is.
  const keep = quality === 'ok' && assessText(readable.map((r) => r.text).join(' ')) === 'ok';
  // Glyphs as drawn (a word space read as a glyph id is a control character the runs no longer hold).
  const lost = (keep ? items.filter((i) => garbled.has(i.fontName)) : items).reduce((k, i) => k + i.str.length, 0);
  ctx.warn({
    code: 'garbled_text',
    message: `page ${n} has an unreadable text layer (fonts without a Unicode mapping): ${lost} glyphs left out; OCR was off or unavailable`,
    page: n,
  });
  return keep ? layOut(readable) : { page: n, nodes: [] };
}

/**
 * External link annotations of a page (`pending`: pdf.js's `page.getAnnotations()`), as rectangles in the same
 * upright space as the runs.
 */
async function linkAreas(
  pending: Promise<unknown[]>,
  viewport: { transform: number[]; width: number; height: number },
  quadrant: number,
): Promise<LinkArea[]> {
  let annotations: unknown[];
  try {
    annotations = await pending;
  } catch {
    return []; // a broken annotation array costs the links, not the page
  }
  const areas: LinkArea[] = [];
  for (const a of annotations as { subtype?: unknown; url?: unknown; unsafeUrl?: unknown; rect?: unknown }[]) {
    if (a?.subtype !== 'Link' || !Array.isArray(a.rect) || a.rect.length !== 4) continue;
    const url = safeLinkUrl(a.url ?? a.unsafeUrl);
    if (!url) continue;
    const t = viewport.transform;
    const [r0, r1, r2, r3] = (a.rect as unknown[]).map(Number);
    if (![r0, r1, r2, r3].every(Number.isFinite)) continue;
    const x0 = t[0] * r0 + t[2] * r1 + t[4];
    const y0 = t[1] * r0 + t[3] * r1 + t[5];
    const x1 = t[0] * r2 + t[2] * r3 + t[4];
    const y1 = t[1] * r2 + t[3] * r3 + t[5];
    const [ax, ay] = toUpright(Math.min(x0, x1), Math.min(y0, y1), quadrant, viewport);
    const [bx, by] = toUpright(Math.max(x0, x1), Math.max(y0, y1), quadrant, viewport);
    areas.push({ x0: Math.min(ax, bx), x1: Math.max(ax, bx), top: Math.min(ay, by), bottom: Math.max(ay, by), url });
    if (areas.length >= 2000) break;
  }
  return areas;
}

/**
 * A second, image-decoding instance of the document, opened only if some page has to be rendered for OCR.
 * Embedded images over `maxImagePixels` are left out of the renders (never decoded), with one `image_omitted`
 * warning naming how many and the largest.
 */
class LazyRenderer {
  #bytes: Uint8Array;
  #ctx: ConvertContext;
  #doc: Promise<PdfDocument> | undefined;
  #last: PdfPage | undefined;

  constructor(bytes: Uint8Array, ctx: ConvertContext) {
    this.#bytes = bytes;
    this.#ctx = ctx;
  }

  async page(n: number): Promise<PdfPage> {
    this.#last?.cleanup();
    if (!this.#doc) {
      const maxImagePixels = this.#ctx.limits.maxImagePixels;
      const oversized = oversizedImages(this.#bytes, maxImagePixels);
      if (oversized) {
        const { width, height } = oversized.largest;
        this.#ctx.warn({
          code: 'image_omitted',
          message:
            `${oversized.count} embedded image${oversized.count === 1 ? '' : 's'} over ${maxImagePixels / 1e6} MP ` +
            `(largest ${width}×${height} pixels) left out of the pages rendered for OCR`,
        });
      }
      this.#doc = openPdf(this.#bytes, this.#ctx.options.password, { forRendering: true, maxImagePixels });
    }
    this.#last = await (await this.#doc).getPage(n);
    return this.#last;
  }

  async close(): Promise<void> {
    if (!this.#doc) return;
    const doc = await this.#doc.catch(() => undefined);
    await doc?.loadingTask.destroy().catch(() => undefined);
  }
}

async function documentTitle(doc: PdfDocument): Promise<string | undefined> {
  try {
    const { info } = await doc.getMetadata();
    // A file name, a path or a placeholder is no title: the document then has none, as without the field.
    return usableTitle((info as { Title?: unknown } | undefined)?.Title);
  } catch {
    // Metadata is optional; a broken info dictionary must not fail the conversion.
  }
  return undefined;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
