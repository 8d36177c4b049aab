/**
 * The pdf.js worker patches (pdfjs-patches.ts) match the installed pdf.js exactly once each, the parser
 * thread's text extraction hands fonts to the API side without an operator list, and the patched worker (the
 * parser thread) reads exactly what pdf.js as shipped reads (the in-process worker: jest loads it unpatched).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import zlib from 'node:zlib';
import { Worker } from 'node:worker_threads';
import { openPdf, loadPdfJs } from '../../shared/engine/formats/pdf/load.ts';
import { parserThread } from '../../shared/engine/formats/pdf/parser-thread.ts';
import { PDFJS_WORKER_PATCHES, applyPdfjsWorkerPatches } from '../../shared/engine/formats/pdf/pdfjs-patches.ts';
import { buildPdf, writeRawPdf } from '../fixtures/pdf.ts';

const workerSource = () =>
  fs.readFileSync(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'), 'utf8');

const latin1 = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);

/** Words that do not compress well, so a page's Flate stream passes pdf.js's 1 KB native-inflate threshold. */
function words(seed: number, n: number): string[] {
  let x = seed;
  const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31);
  return Array.from({ length: n }, () =>
    Array.from({ length: 3 + (next() % 7) }, () => String.fromCharCode(97 + (next() % 26))).join(''),
  );
}

/**
 * A page's content: text under a scaled and rotated CTM, horizontal scaling, text rise and a skewed text
 * matrix (every term of the text transform is exercised), Flate-compressed; `tail` is appended to the
 * compressed bytes (junk a producer left inside /Length), `cut` bytes are dropped from its end (truncation).
 */
function flatePage(seed: number, { tail = '', cut = 0 } = {}): Uint8Array {
  const lines = Array.from({ length: 40 }, (_, i) => {
    const rise = i % 5 === 0 ? 3 : 0;
    return `${i % 3 === 0 ? '1 0 0.2 1 ' : '1 0 0 1 '}${40 + (i % 4) * 3} ${760 - i * 18} Tm ${90 + (i % 3) * 10} Tz ${rise} Ts (${words(seed + i, 9).join(' ')}) Tj`;
  });
  const content = `q 0.9 0.1 -0.1 0.9 20 10 cm BT /F1 10 Tf ${lines.join('\n')} ET Q`;
  const deflated = zlib.deflateSync(Buffer.from(content, 'latin1'));
  const data = new Uint8Array([...deflated.subarray(0, deflated.length - cut), ...latin1(tail)]);
  return new Uint8Array([
    ...latin1(`<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`),
    ...data,
    ...latin1('\nendstream'),
  ]);
}

function flatePdf(): Uint8Array {
  // 1 catalog, 2 pages, 3 font, then per page: page object, content stream.
  const contents = [flatePage(1), flatePage(2, { tail: '\r\n%junk after the data\r\n' }), flatePage(3, { cut: 40 })];
  const kids = contents.map((_, i) => `${4 + 2 * i} 0 R`).join(' ');
  return writeRawPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${contents.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ...contents.flatMap((c, i) => [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`,
      c,
    ]),
  ]);
}

async function textItems(bytes: Uint8Array, worker?: Parameters<typeof openPdf>[2]) {
  const doc = await openPdf(bytes, undefined, worker);
  try {
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const { items } = await page.getTextContent();
      pages.push(
        items.map((i) =>
          'str' in i
            ? { str: i.str, dir: i.dir, transform: i.transform, width: i.width, height: i.height, eol: i.hasEOL }
            : i,
        ),
      );
    }
    return pages;
  } finally {
    await doc.loadingTask.destroy();
  }
}

describe('pdf.js worker patches', () => {
  it('every patch applies to the installed pdf.js', () => {
    const { applied, skipped, source } = applyPdfjsWorkerPatches(workerSource());
    expect(skipped).toEqual([]);
    expect(applied).toEqual(PDFJS_WORKER_PATCHES.map((p) => p.name));
    for (const p of PDFJS_WORKER_PATCHES) expect(source).toContain(p.replace);
  });

  it('skips a patch whose text is missing or occurs twice', () => {
    const patch = { name: 'x', why: '', find: 'abc', replace: 'ABC' };
    expect(applyPdfjsWorkerPatches('abc abc', [patch]).skipped).toEqual(['x']);
    expect(applyPdfjsWorkerPatches('nothing', [patch]).skipped).toEqual(['x']);
    expect(applyPdfjsWorkerPatches('1 abc 2', [patch])).toEqual({ source: '1 ABC 2', applied: ['x'], skipped: [] });
    // Several patches, given out of source order; of two overlapping texts the later one is left out.
    const b = { name: 'b', why: '', find: 'bcd', replace: 'BCD' };
    const z = { name: 'z', why: '', find: 'z', replace: 'ZZ' };
    expect(applyPdfjsWorkerPatches('abcde z', [z, patch, b])).toEqual({
      source: 'ABCde ZZ',
      applied: ['z', 'x'],
      skipped: ['b'],
    });
  });

  it('the patched worker reads the same items, transforms and all, as pdf.js as shipped, on whole, padded and cut Flate streams', async () => {
    const bytes = flatePdf();
    const thread = parserThread(await loadPdfJs())!;
    thread.hold();
    try {
      const patched = await textItems(bytes, { worker: thread.pdfWorker });
      const shipped = await textItems(bytes);
      expect(patched).toEqual(shipped);
      // Every page was read: the padded stream whole, the cut one up to where its data ends.
      expect(patched.map((p) => p.length)).toEqual([expect.any(Number), expect.any(Number), expect.any(Number)]);
      expect(patched[0].length).toBeGreaterThan(30);
      expect(patched[1].length).toBeGreaterThan(30);
      expect(patched[2].length).toBeGreaterThan(0);
      const skewed = patched[0].find(
        (i) => 'transform' in i && (i.transform as number[])[2] !== (i.transform as number[])[1] * -1,
      );
      expect(skewed).toBeDefined();
    } finally {
      thread.release();
    }
  });

  it('a page with a small Flate image mask renders, patched, in a real thread (pdf.js transfers the decoded bytes)', async () => {
    // A 1-bit image mask 600×240 (18,000 bytes decoded: under 32 KB, where zlib's output is a view into Node's
    // shared Buffer pool, which cannot be transferred), stored uncompressed in Flate so the data passes pdf.js's
    // 1 KB threshold for native inflation; the left half paints (0 bits), the right half does not.
    const w = 600;
    const h = 240;
    const row = w / 8;
    const bits = new Uint8Array(row * h).fill(0xff);
    for (let y = 0; y < h; y++) bits.fill(0, y * row, y * row + row / 2);
    const data = new Uint8Array(zlib.deflateSync(bits, { level: 0 }));
    const content = 'q 0 g 300 0 0 120 100 500 cm /Im1 Do Q';
    const bytes = writeRawPdf([
      '<< /Type /Catalog /Pages 2 0 R >>',
      '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>',
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
      new Uint8Array([
        ...latin1(
          `<< /Type /XObject /Subtype /Image /Width ${w} /Height ${h} /ImageMask true /BitsPerComponent 1 /Length ${data.length} /Filter /FlateDecode >>\nstream\n`,
        ),
        ...data,
        ...latin1('\nendstream'),
      ]),
    ]);
    // jest's module loader leaves pdf.js unpatched; a worker thread loads it as the engine does (load.ts).
    const url = (p: string) => new URL(p, import.meta.url).href;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      (async () => {
        const { openPdf } = await import(workerData.load);
        const { renderPagePng } = await import(workerData.render);
        const { createCanvas, loadImage } = await import('@napi-rs/canvas');
        const doc = await openPdf(workerData.bytes, undefined, { forRendering: true, maxImagePixels: 1e8 });
        const image = await loadImage(Buffer.from(await renderPagePng(await doc.getPage(1), 72)));
        const canvas = createCanvas(image.width, image.height);
        const g = canvas.getContext('2d');
        g.drawImage(image, 0, 0);
        const px = g.getImageData(0, 0, image.width, image.height).data;
        let dark = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i] < 128) dark++;
        await doc.loadingTask.destroy();
        parentPort.postMessage({ dark });
      })().catch((e) => parentPort.postMessage({ error: String(e) }));
    `;
    const worker = new Worker(code, {
      eval: true,
      workerData: {
        bytes,
        load: url('../../shared/engine/formats/pdf/load.ts'),
        render: url('../../shared/engine/formats/pdf/render.ts'),
      },
    });
    try {
      const result = await new Promise<{ dark?: number; error?: string }>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the render did not finish within 20 s')), 20_000);
        worker.once('message', (m) => (clearTimeout(timer), resolve(m)));
        worker.once('error', (e) => (clearTimeout(timer), reject(e)));
      });
      expect(result.error).toBeUndefined();
      // The painted half: 150 × 120 points at 72 dpi.
      expect(result.dark).toBeGreaterThan(150 * 120 * 0.9);
    } finally {
      await worker.terminate();
    }
  }, 30_000);

  it('text extraction in the parser thread delivers the fonts, bold included', async () => {
    const thread = parserThread(await loadPdfJs())!;
    thread.hold();
    const bytes = await buildPdf([
      [
        { text: 'Bold heading', x: 72, y: 100, size: 16, bold: true },
        { text: 'Plain body text.', x: 72, y: 140 },
      ],
    ]);
    const doc = await openPdf(bytes, undefined, { worker: thread.pdfWorker });
    try {
      const page = await doc.getPage(1);
      const content = await page.getTextContent();
      const ids = [...new Set(content.items.map((i) => ('fontName' in i ? i.fontName : '')))].filter(Boolean);
      expect(ids).toHaveLength(2);
      const names = ids.map((id) => (page.commonObjs.get(id) as { name: string }).name).sort();
      expect(names).toEqual(['Helvetica', 'Helvetica-Bold']);
    } finally {
      await doc.loadingTask.destroy();
      thread.release();
    }
  });
});
