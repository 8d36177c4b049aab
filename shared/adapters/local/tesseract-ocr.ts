/**
 * Local OCR with tesseract.js (WebAssembly, no native binary). Fully offline: the traineddata comes from the
 * installed `@tesseract.js-data/<lang>` npm packages, read from disk with caching off, so tesseract.js never
 * reaches for its CDN. Images tesseract's Leptonica build cannot read (WebP, GIF) are re-encoded to PNG first.
 *
 * Languages: the project installs the data of English, German, French, Spanish, Italian and Portuguese
 * (`INSTALLED_OCR_LANGUAGES`, `@tesseract.js-data/{eng,deu,fra,spa,ita,por}` in package.json); any other
 * language needs its `@tesseract.js-data/<code>` package added. The adapter's default set is `options.languages`,
 * else `DEFAULT_OCR_LANGUAGES` (English alone: more languages cost several times the CPU on a hard page, see
 * `engine/ocr-languages.ts`). A call may ask for another set (`recognize(image, { languages })`, fed by the
 * `ocrLanguages` conversion option / `--ocr-lang`); a set whose data is missing fails with
 * `OcrLanguageUnavailable` naming the missing codes and the installed ones, before any worker starts.
 *
 * Workers: tesseract.js runs one recognition per worker at a time, each on one core. Each language set gets up
 * to `workers` workers (default: one per core, `worker-slots.ts`), started only when a recognition finds all the
 * existing ones busy, so a caller reading one page at a time pays for one; `concurrency` says that ceiling, and a
 * PDF reader keeps as many scanned pages in flight. A process running several of these adapters at once (one per
 * conversion worker) divides the cores between them through `workers`.
 *
 * Orientation and script detection (`detect`): tesseract's OSD, from the `@tesseract.js-data/osd` package, on
 * one more worker of tesseract's legacy-capable core (the OSD model is a legacy shape classifier, which the
 * LSTM-only cores the recognition workers load do not carry). It is started on the first `detect` only (the
 * image reader asks only for pages whose first reading is doubtful: `formats/image/read-image.ts`), is the one
 * OSD worker of this adapter whatever `workers` says (a detection takes a fraction of a recognition, so one
 * keeps up), and is terminated by `close` with the others; it lives in the same sandbox, so the same time and
 * memory budgets end it (its memory counts in a process sandbox's resident-set ceiling). Measured on this
 * project's shared 2-core machine under load (CPU time of the process): starting it costs about 1 s of CPU and
 * 130 MB of resident memory, about what a recognition worker holds; a detection 0.3–0.5 s of CPU per page
 * (0.30–0.35 s at 1275 × 1650 pixels, 0.34–0.45 s at 1700 × 2200, 0.43–0.50 s at 2550 × 3300), where a
 * recognition of the same pages took 3–7 s: under a tenth of a recognition, paid only on doubtful pages.
 */
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { createWorker, type DetectData, type Worker, type Page, type Line } from 'tesseract.js';
import type { Ocr, OcrLine, OcrPage } from '../../service/ports.ts';
import { type OcrDetection, OcrLanguageUnavailable } from '../../engine/ocr.ts';
import { DEFAULT_OCR_LANGUAGES } from '../../engine/ocr-languages.ts';
import { encodeGrayPng } from '../../engine/formats/image/bitmap.ts';
import { defaultOcrWorkers, workerCeiling, WorkerSlots } from './worker-slots.ts';

export interface TesseractOcrOptions {
  /** Tesseract language codes, each with its `@tesseract.js-data/<code>` package. Default `DEFAULT_OCR_LANGUAGES`. */
  languages?: string[];
  /** Most workers per language set (recognitions queue on them). Default: one per core (`defaultOcrWorkers`). */
  workers?: number;
}

const require = createRequire(import.meta.url);
/** LSTM only: the `_best_int` data carries no legacy model, and LSTM is the better engine anyway. */
const OEM_LSTM_ONLY = 1;
/** The legacy engine only: OSD runs on the legacy classifier and its `osd` model has nothing else. */
const OEM_TESSERACT_ONLY = 0;

/**
 * When tesseract's OSD answer is trusted (`detect` reports a field only past its threshold):
 * - Orientation: the best of the four orientations must beat the runner-up by tesseract's own
 *   `min_orientation_margin` (7, the margin its page-segmentation mode with OSD requires before it turns a page).
 *   The margin is a difference of summed per-character log scores, so it grows with the text: a full page
 *   reads at 15–30, two lines about 8, while a page whose print is too small or whose "characters" are a
 *   picture's specks stays under 7, and there tesseract's answer is often wrong.
 * - Script: reported only with an adequate orientation, since it is scored at that orientation (a page whose
 *   orientation was unsure also got a wrong script: small Latin print came out as Tamil), and then whenever
 *   one script scores best. Tesseract's script confidence is (best / runner-up − 1) / (1.3 − 1), 1.3 being its
 *   `kScriptAcceptRatio`, but that ratio is out of reach for scripts that share letter shapes with Latin: six
 *   lines of Russian scored 0.4–1.6 (Cyrillic best every time), while Latin, Greek and Arabic pages score
 *   2–90. A script is acted on only together with a doubtful OCR reading (`formats/image/read-image.ts`), so
 *   two signals agree before an `uncovered_script` warning.
 */
const MIN_ORIENTATION_MARGIN = 7;
const MIN_SCRIPT_CONFIDENCE = 0;

/** The orientation and script detection model's package (`@tesseract.js-data/osd`): data, but no language. */
const OSD = 'osd';

/** The installed tesseract language data packages (`@tesseract.js-data/*`, the OSD model aside), by code. */
export function installedLanguages(): string[] {
  try {
    const scope = path.dirname(path.dirname(require.resolve('@tesseract.js-data/eng/package.json')));
    return fs
      .readdirSync(scope)
      .filter((name) => /^[a-z_]{3,12}$/i.test(name) && name !== OSD)
      .sort();
  } catch {
    return [];
  }
}

export function createTesseractOcr(options: TesseractOcrOptions = {}): Ocr {
  const defaults = options.languages?.length ? options.languages : [...DEFAULT_OCR_LANGUAGES];
  const maxWorkers = workerCeiling(options.workers ?? defaultOcrWorkers());
  /** Per language set (`eng+deu`): its worker slots. */
  const pools = new Map<string, WorkerSlots<Worker>>();
  /** The one OSD worker, started on the first `detect`. */
  let osd: WorkerSlots<Worker> | undefined;

  const slotFor = (languages: string[]) => {
    const key = languages.join('+');
    let pool = pools.get(key);
    if (!pool) {
      // Throws OcrLanguageUnavailable before any worker starts.
      const dir = languageDirectory(languages);
      pool = new WorkerSlots(() => startWorker(languages, dir), maxWorkers);
      pools.set(key, pool);
    }
    return pool.acquire();
  };

  return {
    concurrency: maxWorkers,
    languages: defaults,
    async detect(image) {
      osd ??= new WorkerSlots(startOsdWorker, 1);
      const slot = osd.acquire();
      slot.busy++;
      try {
        // Not enlarged as for recognition: OSD classifies a sample of characters, and already decides on the
        // print of a 200 dpi page; an enlarged page only costs more.
        const bytes = needsReencoding(image)
          ? (await toTesseractInput(image, false)).bytes
          : Buffer.from(image.buffer, image.byteOffset, image.byteLength);
        const worker = await slot.worker;
        return toDetection((await worker.detect(withResolution(bytes))).data);
      } finally {
        slot.busy--;
      }
    },
    async recognize(image, recognizeOptions) {
      const languages = recognizeOptions?.languages?.length ? recognizeOptions.languages : defaults;
      const slot = slotFor(languages);
      slot.busy++;
      try {
        const input = await toTesseractInput(image);
        const worker = await slot.worker;
        // tesseract.js queues jobs per worker itself; `busy` only steers new work to idle workers.
        const result = await worker.recognize(input.bytes, {}, { text: true, blocks: true });
        return toOcrPage(result.data, input);
      } finally {
        slot.busy--;
      }
    },
    async close() {
      const all = [...pools.values(), ...(osd ? [osd] : [])].flatMap((p) => p.slots);
      pools.clear();
      osd = undefined;
      await Promise.all(
        all.map(async (s) => {
          try {
            await (await s.worker).terminate();
          } catch {
            // A worker that failed to start has nothing to terminate.
          }
        }),
      );
    },
  };
}

async function startWorker(languages: string[], langPath: string): Promise<Worker> {
  return createWorker(languages, OEM_LSTM_ONLY, { langPath, gzip: true, cacheMethod: 'none' });
}

/**
 * A worker on the legacy-capable core with the `osd` model. @throws Error when `@tesseract.js-data/osd` is not
 * installed (the image reader then falls back to the ink profiles).
 */
async function startOsdWorker(): Promise<Worker> {
  const file = traineddataFile(OSD, ['4.0.0', '4.0.0_best_int']);
  if (!file) throw new Error('OSD data not installed (npm package @tesseract.js-data/osd)');
  return createWorker(OSD, OEM_TESSERACT_ONLY, {
    langPath: path.dirname(file),
    gzip: true,
    cacheMethod: 'none',
    legacyCore: true,
    legacyLang: true,
  });
}

/**
 * Tesseract's OSD takes the page's resolution from the image file and, when it has none (the reader's PNGs
 * carry no pHYs chunk), prints "Invalid resolution 0 dpi. Using 70 instead." on every detection (its
 * `user_defined_dpi` is not consulted on that path). A pHYs chunk of 70 dpi, tesseract's own fallback
 * (`kMinCredibleResolution`), gives the same detection without the noise. Other images pass unchanged.
 */
function withResolution(image: Buffer, dpi = 70): Buffer {
  const png = image.length > 33 && image.readUInt32BE(0) === 0x89504e47 && image.toString('latin1', 12, 16) === 'IHDR';
  if (!png) return image;
  for (let at = 8; at + 8 <= image.length;) {
    const type = image.toString('latin1', at + 4, at + 8);
    if (type === 'pHYs') return image;
    if (type === 'IDAT' || type === 'IEND') break;
    at += 12 + image.readUInt32BE(at);
  }
  const body = Buffer.alloc(9);
  const perMetre = Math.round(dpi / 0.0254);
  body.writeUInt32BE(perMetre, 0);
  body.writeUInt32BE(perMetre, 4);
  body[8] = 1; // unit: metre
  const chunk = Buffer.alloc(21);
  chunk.writeUInt32BE(9, 0);
  chunk.write('pHYs', 4, 'latin1');
  body.copy(chunk, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 17)), 17);
  // After IHDR, which is always first (signature 8 bytes, IHDR 25).
  return Buffer.concat([image.subarray(0, 33), chunk, image.subarray(33)]);
}

/** tesseract.js's OSD answer → the port's, keeping only what passes the thresholds above. */
function toDetection(data: DetectData): OcrDetection {
  const degrees = data.orientation_degrees;
  const margin = data.orientation_confidence;
  if (degrees === null || margin === null || !(margin >= MIN_ORIENTATION_MARGIN)) return {};
  const detection: OcrDetection = { orientation: { degrees: ((degrees % 360) + 360) % 360, confidence: margin } };
  if (data.script && data.script_confidence !== null && data.script_confidence > MIN_SCRIPT_CONFIDENCE) {
    detection.script = { name: data.script, confidence: data.script_confidence };
  }
  return detection;
}

/**
 * The folder holding `<lang>.traineddata.gz` for every language (a temp folder of links when they span
 * packages). @throws OcrLanguageUnavailable naming every requested language whose data is missing.
 */
function languageDirectory(languages: string[]): string {
  // `osd` has a traineddata file but recognises nothing (it is the OSD model, read by `detect`).
  const invalid = languages.filter((l) => !/^[a-z_]{3,12}$/i.test(l) || l === OSD);
  if (invalid.length) throw new OcrLanguageUnavailable(invalid, installedLanguages(), 'not tesseract language codes');
  const found = languages.map((l) => traineddataFile(l));
  const missing = languages.filter((_, i) => !found[i]);
  if (missing.length) {
    const packages = missing.map((l) => `@tesseract.js-data/${l}`).join(', ');
    throw new OcrLanguageUnavailable(missing, installedLanguages(), `npm package ${packages}`);
  }
  const files = found as string[];
  const dirs = [...new Set(files.map((f) => path.dirname(f)))];
  if (dirs.length === 1) return dirs[0];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mdraft-tessdata-'));
  languages.forEach((lang, i) => fs.symlinkSync(files[i], path.join(dir, `${lang}.traineddata.gz`)));
  return dir;
}

function traineddataFile(language: string, versions = ['4.0.0_best_int', '4.0.0']): string | undefined {
  let packageDir: string;
  try {
    packageDir = path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
  } catch {
    return undefined;
  }
  for (const version of versions) {
    const file = path.join(packageDir, version, `${language}.traineddata.gz`);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
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

/**
 * Decode once with @napi-rs/canvas for the size; re-encode to PNG what Leptonica may not read, enlarged (unless
 * `enlarge` is false) as above.
 */
async function toTesseractInput(image: Uint8Array, enlarge = true): Promise<TesseractInput> {
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
    enlarge && longSide > 0 && longSide < TARGET_LONG_SIDE / 1.25
      ? Math.min(MAX_SCALE, TARGET_LONG_SIDE / longSide)
      : 1;
  if (scale === 1 && !needsReencoding(image)) return { bytes, width, height, scale };
  const canvas = createCanvas(Math.round(width * scale), Math.round(height * scale));
  const context = canvas.getContext('2d');
  // Transparent pixels become white paper, not black.
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  context.drawImage(decoded, 0, 0, canvas.width, canvas.height);
  // OCR reads luminance only: a greyscale PNG is a quarter of the pixels to compress and far faster to write
  // than the canvas's RGBA encoder (seconds for a 300 dpi page).
  const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const data = new Uint8Array(canvas.width * canvas.height);
  for (let i = 0, p = 0; i < data.length; i++, p += 4) {
    data[i] = (rgba[p] * 299 + rgba[p + 1] * 587 + rgba[p + 2] * 114 + 500) / 1000;
  }
  const png = encodeGrayPng({ width: canvas.width, height: canvas.height, data });
  return { bytes: Buffer.from(png.buffer, png.byteOffset, png.byteLength), width, height, scale };
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
