/**
 * The pdf.js worker patches (pdfjs-patches.ts) match the installed pdf.js exactly once each, and the parser
 * thread's text extraction hands fonts to the API side without an operator list.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { openPdf, loadPdfJs } from '../../shared/engine/formats/pdf/load.ts';
import { parserThread } from '../../shared/engine/formats/pdf/parser-thread.ts';
import { PDFJS_WORKER_PATCHES, applyPdfjsWorkerPatches } from '../../shared/engine/formats/pdf/pdfjs-patches.ts';
import { buildPdf } from '../fixtures/pdf.ts';

const workerSource = () =>
  fs.readFileSync(createRequire(import.meta.url).resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'), 'utf8');

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
  });

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
