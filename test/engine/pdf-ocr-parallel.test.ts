/**
 * Scanned PDF pages are recognised in parallel (issue 13, OCR throughput): page n+1 is rendered and its
 * recognition started while page n's is still running, at most as many pages at once as the OCR engine says it
 * runs (`Ocr.concurrency`), and the result is the one a page-at-a-time reading gives: same Markdown, pages in
 * order, same warnings in the same order, same OCR'd pages and completeness figures.
 *
 * The overlap is proven with a fake engine that records how many recognitions run at once (a real engine's
 * timing on a shared machine proves nothing); that the pages still read right is proven with real tesseract.
 */
import { availableParallelism } from 'node:os';
import { createCanvas } from '@napi-rs/canvas';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { convert } from '../../shared/engine/engine.ts';
import type { Ocr, OcrLine, OcrPage } from '../../shared/engine/ocr.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';

/** The sentence scanned on page `i` (0-based). */
const SENTENCES = [
  'The harbour opens at dawn',
  'Fishing boats return by noon',
  'Markets close before sunset',
  'Lanterns light the quay at night',
  'Storms come from the west',
];

/**
 * A PDF whose pages are scans (a 2.5 px-per-point image, 180 dpi) of one sentence each, page `i` 400 pt wide and
 * `300 + 20 i` pt tall so a fake engine can tell the pages apart by the image's height; `textPages` are pages
 * with a real text layer instead.
 */
async function scannedPdf(count: number, textPages: number[] = []): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < count; i++) {
    const [w, h] = [400, 300 + 20 * i];
    const page = doc.addPage([w, h]);
    if (textPages.includes(i + 1)) {
      page.drawText(`Typed page ${i + 1} has a text layer`, { x: 40, y: h - 60, size: 16, font });
      continue;
    }
    const canvas = createCanvas(w * 2.5, h * 2.5);
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.fillStyle = '#000000';
    ctx.font = '44px sans-serif';
    ctx.fillText(SENTENCES[i], 100, 200);
    const image = await doc.embedPng(await canvas.encode('png'));
    page.drawImage(image, { x: 0, y: 0, width: w, height: h });
  }
  return doc.save();
}

/** What an engine "reads" on scanned page `i`: its sentence, word by word, where it was drawn (pixels). */
function lineFor(i: number): OcrLine {
  const words = SENTENCES[i].split(' ').map((text, k, all) => {
    const x0 = 100 + all.slice(0, k).reduce((n, s) => n + (s.length + 1) * 22, 0);
    return { text, confidence: 93, bbox: { x0, y0: 165, x1: x0 + text.length * 22, y1: 210 } };
  });
  return { text: SENTENCES[i], confidence: 93, words, bbox: { x0: 100, y0: 165, x1: 900, y1: 210 } };
}

/**
 * A fake engine that says it runs `concurrency` recognitions at once (absent: one) and records the most it had
 * running at once and the order they began. Timing-free: a recognition is held until as many are running as the
 * engine runs, or as all of the `scans` pages not yet begun, so a reader that overlaps pages shows it on any
 * machine (a reader that does not waits `patienceMs` per page and fails on `most`); `holdUntilDone` makes a
 * page wait until another page's recognition has finished; `failing` pages fail.
 */
function fakeOcr(
  concurrency: number | undefined,
  scans: number,
  options: { failing?: number[]; holdUntilDone?: Record<number, number>; patienceMs?: number } = {},
) {
  const record = { running: 0, most: 0, started: [] as number[], done: [] as number[] };
  let waiting: (() => void)[] = [];
  const doneWaiters: (() => void)[] = [];
  const ocr: Ocr = {
    ...(concurrency !== undefined ? { concurrency } : {}),
    async recognize(image: Uint8Array): Promise<OcrPage> {
      const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
      const [width, height] = [view.getUint32(16), view.getUint32(20)];
      const i = Math.round((height / 2.5 - 300) / 20);
      record.started.push(i + 1);
      record.most = Math.max(record.most, ++record.running);
      try {
        if (record.running >= Math.min(concurrency ?? 1, scans - record.started.length + record.running)) {
          waiting.forEach((release) => release());
          waiting = [];
        } else {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.patienceMs ?? 10_000);
            waiting.push(() => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
        const after = options.holdUntilDone?.[i + 1];
        while (after !== undefined && !record.done.includes(after)) await new Promise<void>((r) => doneWaiters.push(r));
        if (options.failing?.includes(i + 1)) throw new Error(`engine fault on the page ${i + 1} image`);
        const line = lineFor(i);
        return { text: line.text, lines: [line], confidence: 93, width, height };
      } finally {
        record.running--;
        record.done.push(i + 1);
        doneWaiters.splice(0).forEach((wake) => wake());
      }
    },
  };
  return { ocr, record };
}

/** The parts of a result that must not depend on how many pages were recognised at once. */
const observable = (r: Awaited<ReturnType<typeof convert>>) => ({
  markdown: r.markdown,
  pages: r.pages,
  ocrPages: r.ocrPages,
  warnings: r.warnings,
});

describe('scanned PDF pages recognised in parallel', () => {
  test('two at a time with a two-worker engine, and the same result as one page at a time', async () => {
    const pdf = await scannedPdf(5, [3]);
    const sequential = fakeOcr(undefined, 4, { failing: [4] });
    const parallel = fakeOcr(2, 4, { failing: [4] });
    const one = await convert(pdf, { pageSeparators: true }, { ocr: sequential.ocr });
    const two = await convert(pdf, { pageSeparators: true }, { ocr: parallel.ocr });
    expect(sequential.record.most).toBe(1);
    expect(parallel.record.most).toBe(2);
    expect(parallel.record.started).toEqual([1, 2, 4, 5]);
    expect(observable(two)).toEqual(observable(one));
    // And that result is right: pages in order, the typed page kept, the failed page warned once, in place.
    expect(one.markdown).toBe(
      [
        '<!-- page 1 -->',
        SENTENCES[0],
        '<!-- page 2 -->',
        SENTENCES[1],
        '<!-- page 3 -->',
        'Typed page 3 has a text layer',
        '<!-- page 4 -->',
        '<!-- page 5 -->',
        SENTENCES[4],
      ].join('\n\n') + '\n',
    );
    expect(one.ocrPages).toEqual([1, 2, 5]);
    expect(one.warnings.filter((w) => w.page !== undefined).map((w) => [w.code, w.page])).toEqual([['ocr_failed', 4]]);
  }, 240_000);

  test('never more pages in flight than the engine runs, and a slow first page does not reorder the output', async () => {
    const pdf = await scannedPdf(5);
    // Page 1 finishes only after page 3: the later pages finish first but wait for their turn.
    const { ocr, record } = fakeOcr(3, 5, { holdUntilDone: { 1: 3 } });
    const result = await convert(pdf, {}, { ocr });
    expect(record.most).toBe(3);
    expect(record.done.indexOf(3)).toBeLessThan(record.done.indexOf(1));
    expect(result.markdown).toBe(SENTENCES.join('\n\n') + '\n');
    expect(result.ocrPages).toEqual([1, 2, 3, 4, 5]);
    expect(result.pages?.map((p) => p.page)).toEqual([1, 2, 3, 4, 5]);
  }, 240_000);
});

describe('the tesseract adapter', () => {
  test('says how many recognitions it runs at once: its worker ceiling, whole and at least one', async () => {
    // No recognition, so no worker starts.
    expect(createTesseractOcr({ workers: 3 }).concurrency).toBe(3);
    expect(createTesseractOcr({ workers: 2.7 }).concurrency).toBe(2);
    expect(createTesseractOcr({ workers: 0 }).concurrency).toBe(1);
    expect(createTesseractOcr().concurrency).toBe(Math.max(1, availableParallelism()));
  });
});

describe('with the real tesseract adapter', () => {
  test('a 4-page scan read by two workers gives the output of one worker, every sentence in order', async () => {
    const pdf = await scannedPdf(4);
    const results: Awaited<ReturnType<typeof convert>>[] = [];
    for (const workers of [1, 2]) {
      const ocr = createTesseractOcr({ workers });
      try {
        const started = performance.now();
        results.push(await convert(pdf, {}, { ocr }));
        console.log(`4 scanned pages, ${workers} tesseract worker(s): ${Math.round(performance.now() - started)} ms`);
      } finally {
        await ocr.close?.();
      }
    }
    const [one, two] = results;
    expect(observable(two)).toEqual(observable(one));
    expect(one.markdown).toBe(SENTENCES.slice(0, 4).join('\n\n') + '\n');
    expect(one.ocrPages).toEqual([1, 2, 3, 4]);
  }, 240_000);
});
