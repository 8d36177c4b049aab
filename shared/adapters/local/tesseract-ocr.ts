/**
 * Local OCR with tesseract.js (WebAssembly, no native binary). Fully offline: the traineddata comes from the
 * installed `@tesseract.js-data/<lang>` npm packages, read from disk with caching off, so tesseract.js never
 * reaches for its CDN. One worker is created on first use and reused; `close()` terminates it.
 * Images tesseract's Leptonica build cannot read (WebP, GIF) are re-encoded to PNG with @napi-rs/canvas first.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorker, type Worker, type Page, type Line } from 'tesseract.js';
import type { Ocr, OcrLine, OcrPage } from '../../service/ports.ts';

export interface TesseractOcrOptions {
  /** Tesseract language codes; each needs its `@tesseract.js-data/<code>` package installed. Default `['eng']`. */
  languages?: string[];
  /** Workers to run in parallel (recognitions queue on them). Default 1: OCR is CPU-bound. */
  workers?: number;
}

const require = createRequire(import.meta.url);
/** LSTM only: the `_best_int` data carries no legacy model, and LSTM is the better engine anyway. */
const OEM_LSTM_ONLY = 1;

export function createTesseractOcr(options: TesseractOcrOptions = {}): Ocr {
  const languages = options.languages?.length ? options.languages : ['eng'];
  const poolSize = Math.max(1, Math.floor(options.workers ?? 1));
  let pool: Promise<Worker>[] | undefined;
  let next = 0;
  // Per worker, the tail of its queue: tesseract.js runs one job per worker at a time anyway.
  const tails: Promise<unknown>[] = [];

  const workerFor = (): { worker: Promise<Worker>; slot: number } => {
    pool ??= Array.from({ length: poolSize }, () => startWorker(languages));
    const slot = next++ % pool.length;
    return { worker: pool[slot], slot };
  };

  return {
    async recognize(image, recognizeOptions) {
      const wanted = recognizeOptions?.languages;
      if (wanted?.length && wanted.join('+') !== languages.join('+')) {
        // A different language set needs its own worker; it lives only for this call.
        const ocr = createTesseractOcr({ languages: wanted, workers: 1 });
        try {
          return await ocr.recognize(image);
        } finally {
          await ocr.close?.();
        }
      }
      const input = await toTesseractInput(image);
      const { worker, slot } = workerFor();
      const run = (tails[slot] ?? Promise.resolve())
        .catch(() => undefined)
        .then(async () => {
          const result = await (await worker).recognize(input.bytes, {}, { text: true, blocks: true });
          return toOcrPage(result.data, input);
        });
      tails[slot] = run;
      return run;
    },
    async close() {
      const started = pool;
      pool = undefined;
      if (!started) return;
      await Promise.all(
        started.map(async (w) => {
          try {
            await (await w).terminate();
          } catch {
            // A worker that failed to start has nothing to terminate.
          }
        }),
      );
    },
  };
}

async function startWorker(languages: string[]): Promise<Worker> {
  return createWorker(languages, OEM_LSTM_ONLY, {
    langPath: languageDirectory(languages),
    gzip: true,
    cacheMethod: 'none',
  });
}

/** The folder holding `<lang>.traineddata.gz` for every language (a temp folder of links when they span packages). */
function languageDirectory(languages: string[]): string {
  const files = languages.map(traineddataFile);
  const dirs = [...new Set(files.map((f) => path.dirname(f)))];
  if (dirs.length === 1) return dirs[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-tessdata-'));
  languages.forEach((lang, i) => fs.symlinkSync(files[i], path.join(dir, `${lang}.traineddata.gz`)));
  return dir;
}

function traineddataFile(language: string): string {
  if (!/^[a-z_]{3,12}$/i.test(language)) throw new Error(`invalid OCR language code: ${language}`);
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
  } catch {
    throw new Error(
      `OCR language data for "${language}" is not installed (npm package @tesseract.js-data/${language})`,
    );
  }
  for (const version of ['4.0.0_best_int', '4.0.0']) {
    const file = path.join(packageDir, version, `${language}.traineddata.gz`);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`no traineddata found in @tesseract.js-data/${language}`);
}

interface TesseractInput {
  bytes: Buffer;
  /** Size of the original image (0 when it could not be decoded here). */
  width: number;
  height: number;
  /** How much the image was enlarged before OCR; boxes are scaled back by it. */
  scale: number;
}

/**
 * LSTM tesseract reads best at about 300 dpi; page scans and screenshots often come at 100–150 dpi, where
 * small print turns into look-alike characters. Smaller images are enlarged up to this size (longer side).
 */
const TARGET_LONG_SIDE = 3300;
const MAX_SCALE = 2.5;

/** Decode once with @napi-rs/canvas for the size; re-encode to PNG what Leptonica may not read. */
async function toTesseractInput(image: Uint8Array): Promise<TesseractInput> {
  const { loadImage, createCanvas } = await import('@napi-rs/canvas');
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.byteLength);
  let decoded: Awaited<ReturnType<typeof loadImage>>;
  try {
    decoded = await loadImage(bytes);
  } catch {
    // TIFF and other formats skia cannot decode: hand them to tesseract as they are.
    return { bytes, width: 0, height: 0, scale: 1 };
  }
  const { width, height } = decoded;
  const longSide = Math.max(width, height);
  const scale =
    longSide > 0 && longSide < TARGET_LONG_SIDE / 1.25 ? Math.min(MAX_SCALE, TARGET_LONG_SIDE / longSide) : 1;
  if (scale === 1 && !needsReencoding(image)) return { bytes, width, height, scale };
  const canvas = createCanvas(Math.round(width * scale), Math.round(height * scale));
  const context = canvas.getContext('2d');
  // Transparent pixels become white paper, not black.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(decoded, 0, 0, canvas.width, canvas.height);
  return { bytes: await canvas.encode('png'), width, height, scale };
}

function needsReencoding(b: Uint8Array): boolean {
  const webp = b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45;
  const gif = b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46;
  return webp || gif;
}

/** Tesseract's blocks → paragraphs → lines, flattened in its reading order (it already separates columns). */
function toOcrPage(page: Page, input: TesseractInput): OcrPage {
  const { width, height } = input;
  const toLine = (line: Line) => toOcrLine(line, input.scale);
  const lines: OcrLine[] = [];
  const paragraphs: string[] = [];
  for (const block of page.blocks ?? []) {
    for (const para of block.paragraphs) {
      const kept = para.lines.map(toLine).filter((l): l is OcrLine => l !== undefined);
      if (kept.length === 0) continue;
      lines.push(...kept);
      paragraphs.push(kept.map((l) => l.text).join('\n'));
    }
  }
  const extentX = Math.max(0, ...lines.map((l) => l.bbox.x1));
  const extentY = Math.max(0, ...lines.map((l) => l.bbox.y1));
  return {
    text: paragraphs.join('\n\n'),
    lines,
    confidence: page.confidence,
    width: width || extentX,
    height: height || extentY,
  };
}

function toOcrLine(line: Line, scale: number): OcrLine | undefined {
  const box = (b: Line['bbox']) => ({ x0: b.x0 / scale, y0: b.y0 / scale, x1: b.x1 / scale, y1: b.y1 / scale });
  const words = line.words
    .filter((w) => w.text.trim() !== '')
    .map((w) => ({ text: w.text, confidence: w.confidence, bbox: box(w.bbox) }));
  const text = line.text.replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  return { text, confidence: line.confidence, bbox: box(line.bbox), words };
}

/** The sandbox's OCR factory entry point (`shared/adapters/ocr-factories.ts`). */
export function createOcr(options: Record<string, unknown>): Ocr {
  return createTesseractOcr(options as TesseractOcrOptions);
}
