/** How the benchmarks convert one file: the engine in process, sources run directly by Node 24, local OCR. */
import fs from 'node:fs';
import path from 'node:path';
import { convert } from '../../shared/engine/engine.ts';
import { createTesseractOcr } from '../../shared/adapters/local/tesseract-ocr.ts';

/** Created on first use, so formats that never OCR do not pay for a worker. */
let ocr;
const lazyOcr = {
  recognize: (image, options) => (ocr ??= createTesseractOcr()).recognize(image, options),
};

export async function convertFile(file) {
  const bytes = new Uint8Array(fs.readFileSync(file));
  return convert(bytes, { fileName: path.basename(file) }, { ocr: lazyOcr });
}

export async function close() {
  await ocr?.close?.();
  ocr = undefined;
}
