/**
 * The OCR engines the converter pool can be given. Each is named by its module, not imported here: only the
 * sandbox's worker threads load tesseract.js or the Document AI client, on their first image or PDF.
 */
import { createRequire } from 'node:module';
import type { OcrFactory } from '../engine/ocr.ts';
import type { Config } from '../service/config.ts';

// `.ts` when run from source (Node's type stripping, jest), `.js` from dist/: tsc does not rewrite these URLs.
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** Local tesseract.js with the npm-installed language data; a failed load means no OCR, not a failed job. */
export function tesseractOcrFactory(options: { languages?: string[]; workers?: number } = {}): OcrFactory {
  return { module: new URL(`./local/tesseract-ocr${ext}`, import.meta.url).href, options };
}

/**
 * A Document AI OCR processor (`projects/<p>/locations/<l>/processors/<id>`). Asked for explicitly, so a
 * failed set-up fails the job instead of converting without OCR.
 * @throws Error when `processor` is empty.
 */
export function documentAiOcrFactory(processor: string): OcrFactory {
  if (!processor) throw new Error('Document AI OCR needs a processor (projects/<p>/locations/<l>/processors/<id>)');
  return {
    module: new URL(`./gcp/document-ai-ocr${ext}`, import.meta.url).href,
    options: { processor },
    required: true,
  };
}

/** The engine `MDRAFT_OCR` chose: tesseract (default), documentai, or none (`false`). */
export function ocrFactoryFromConfig(ocr: Config['ocr']): OcrFactory | false {
  if (ocr.engine === 'off') return false;
  if (ocr.engine === 'documentai') return documentAiOcrFactory(ocr.documentAiProcessor ?? '');
  return tesseractOcrFactory();
}

/**
 * For the admin health check: whether the configured OCR engine can start, without starting it (OCR runs in
 * the sandbox; the server never loads it). tesseract: its module and the English language data resolve;
 * documentai: the processor is named. Undefined when OCR is off.
 */
export function ocrProbeFromConfig(ocr: Config['ocr']): (() => Promise<string>) | undefined {
  if (ocr.engine === 'off') return undefined;
  if (ocr.engine === 'documentai') {
    return async () => {
      if (!ocr.documentAiProcessor) throw new Error('Document AI OCR has no processor configured');
      return `Document AI processor ${ocr.documentAiProcessor}`;
    };
  }
  return async () => {
    const require = createRequire(import.meta.url);
    for (const specifier of ['tesseract.js', '@tesseract.js-data/eng/package.json']) require.resolve(specifier);
    return 'tesseract.js with English language data';
  };
}
