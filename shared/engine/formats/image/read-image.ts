/**
 * One page image → what the layout engine needs: confidently read words as positioned runs, the page's ruling
 * lines, and its picture regions. Shared by the image converter and the OCR path of scanned PDF pages.
 *
 * Steps (each explained in its module):
 * 1. Decode to luminance (`bitmap.ts`). A blank page stops here: no OCR, no text, no warning (`pictures.ts`).
 * 2. Find ruling lines and erase them from the image OCR sees (`rules.ts`): tesseract skips text boxed in by
 *    lines, so ruled tables lost whole rows; the rules go to the layout engine, which rebuilds the table.
 * 3. OCR once, upright, in the caller's languages; a page in prose columns (`columns.ts`) is read region by
 *    region (head, each column, foot), since tesseract garbles lines it reads across a narrow gutter. Only when
 *    that reading is poor is the page's orientation and script detected, once: by the OCR engine's own
 *    detection (`Ocr.detect`, tesseract's OSD) when it has one and is sure, else from the ink profiles
 *    (`orientation.ts`). A turned page is read once more at that turn, and the better reading kept; never at
 *    all four turns. A script none of the OCR languages reads is reported (`uncoveredScript`).
 * 4. Drop glyphs of one line read again as words of the next (`double-reads.ts`), then words under the
 *    confidence floor (`confidence.ts`); marked regions left without confident words become pictures
 *    (`pictures.ts`) instead of noise.
 *
 * Images this build cannot decode (TIFF) skip steps 1, 2, the turn and the pictures: OCR reads them as they are.
 */
import type { Ocr, OcrDetection, OcrPage } from '../../ocr.ts';
import { languagesReading, readsScript } from '../../ocr-scripts.ts';
import type { Run } from '../pdf/text-items.ts';
import type { Segment } from '../pdf/graphics.ts';
import { decodeGray, encodeGrayPng, flattenBackground, type Gray, paperLevel, rotateGray } from './bitmap.ts';
import { findRules } from './rules.ts';
import { detectOrientation } from './orientation.ts';
import { type Box, contains, isBlank, isWordLike, noisyRegions, pictureRegions, texture } from './pictures.ts';
import { readingDoubt, readingQuality, splitByConfidence } from './confidence.ts';
import { ocrRuns } from './ocr-runs.ts';
import { withoutDoubleReads } from './double-reads.ts';
import { cropRegion, findColumns, mergeRegionReadings, type Region } from './columns.ts';
import { pageBlocks } from '../pdf/layout.ts';
import type { Block } from '../pdf/blocks.ts';

/** A picture region in the output units (y down). */
export interface PictureArea {
  x0: number;
  x1: number;
  top: number;
  bottom: number;
}

export interface ImageReading {
  /** Confidently read words as runs for `pageBlocks`, in the output units. */
  runs: Run[];
  /** Ruling lines found in the image, in the output units. */
  rules: Segment[];
  pictures: PictureArea[];
  /** Page size in the output units. */
  width: number;
  height: number;
  /** False for a blank page, which is not sent to OCR. */
  ocrRan: boolean;
  /** Clockwise turn applied before the kept reading (0, 90, 180, 270). */
  turned: number;
  /**
   * The regions a page in prose columns was read in, in reading order (a head strip, the columns left to right,
   * a foot strip; `columns.ts`), in the output units; absent for a page read whole. `layOut` lays each out on
   * its own.
   */
  columns?: PictureArea[];
  /** Why the text may be wrong (low confidence or many unsure words), for a `garbled_text` warning. */
  doubt?: string;
  /**
   * The page's script as the OCR engine's orientation and script detection named it (`Latin`, `Cyrillic`,
   * `Han`…: `ocr-scripts.ts`), on a page whose first reading was doubtful, when the engine has that detection
   * and was sure.
   */
  script?: string;
  /** Set when `script` is one none of the OCR languages reads: why the text is likely garbage, for a warning. */
  uncoveredScript?: string;
}

export interface ReadImageOptions {
  /** OCR languages (tesseract codes), passed to the engine as they are. */
  languages?: string[];
  /**
   * Size of the page the image shows, in the output units (PDF points for a rendered PDF page); absent: the
   * output units are the image's pixels. Scaled by the sum of the sides, which a quarter turn leaves unchanged.
   */
  target?: { width: number; height: number };
}

/**
 * A reading doubtful enough to check the page's orientation and script: tesseract's mean confidence under 75
 * (upright print reads at 85–96), or most kept words not word-like (text read sideways, or a script the
 * languages do not read, comes out as short strings of symbols and capitals, some of them confidently). A
 * confident, word-like reading is upright text in a script the languages read, so a clean page pays for no
 * detection. Checking costs one detection (tesseract's OSD: 0.3–0.5 s of CPU per page, under a tenth of a
 * recognition, measured in the tesseract adapter) or only the ink profiles; a second OCR pass happens only when
 * they show a turn. Running OSD on every page instead would add that to each clean page for nothing: OSD also
 * mistakes Latin for Cyrillic on some clean English pages (a two-column English page scored Cyrillic), so its
 * script is only worth asking about, and believing, where the reading is in doubt.
 */
const SUSPECT_CONFIDENCE = 75;
const SUSPECT_WORDLIKE = 0.6;

function isSuspect(page: OcrPage): boolean {
  const { confidence, wordlike } = readingQuality(page);
  return Math.min(page.confidence, confidence) < SUSPECT_CONFIDENCE || wordlike < SUSPECT_WORDLIKE;
}

/**
 * Read one encoded page image. Errors of the OCR engine propagate (the caller turns them into `ocr_failed`, or
 * a retryable failure when transient).
 */
export async function readImage(image: Uint8Array, ocr: Ocr, options: ReadImageOptions = {}): Promise<ImageReading> {
  const recognizeOptions = options.languages?.length ? { languages: options.languages } : undefined;
  const gray = await decodeGray(image);
  if (!gray) {
    const page = await ocr.recognize(image, recognizeOptions);
    return assemble(page, undefined, [], 0, options.target);
  }
  if (isBlank(texture(gray))) {
    const { width, height } = options.target ?? gray;
    return { runs: [], rules: [], pictures: [], width, height, ocrRan: false, turned: 0 };
  }
  let best = await readGray(gray, ocr, recognizeOptions);
  let found: Pick<ImageReading, 'script' | 'uncoveredScript'> = {};
  if (isSuspect(best.page)) {
    const detected = await detect(ocr, best.flat);
    // The engine's orientation when it is sure (it classified characters at each turn); else the profiles.
    const degrees = detected?.orientation
      ? detected.orientation.degrees
      : profileTurn(detectOrientation(best.erased, Math.round(paperLevel(gray) * 0.5)));
    if (degrees !== 0) {
      const turned = await readGray(rotateGray(gray, degrees), ocr, recognizeOptions);
      turned.turned = degrees;
      // A sure detection is kept: it classified the page's characters at each turn, while reading quality
      // says little when the languages do not read the script (both readings are then poor). The profiles are
      // weak evidence (pictures, scripts without ascenders): their turn must read clearly better.
      if (detected?.orientation || readingQuality(turned.page).score > readingQuality(best.page).score * 1.2) {
        best = turned;
      }
    }
    const languages = options.languages?.length ? options.languages : ocr.languages;
    found = scriptOf(detected, languages, isSuspect(best.page));
  }
  const reading = { ...assemble(best.page, best.erased, best.rules, best.turned, options.target), ...found };
  if (!best.columns.length) return reading;
  const toOut = reading.width / best.erased.width;
  const columns = best.columns.map((c) => ({
    x0: c.x0 * toOut,
    x1: c.x1 * toOut,
    top: c.y0 * toOut,
    bottom: c.y1 * toOut,
  }));
  return { ...reading, columns };
}

/**
 * A reading's blocks in reading order: `pageBlocks` over the whole page, or, for a page read column by column,
 * over each column's runs and rules in turn (the layout engine's own column finding can pair lines of columns
 * set in different type sizes, since their lines sit at unrelated heights).
 */
export function layOut(reading: Pick<ImageReading, 'runs' | 'rules' | 'columns'>): Block[] {
  if (!reading.columns?.length) return pageBlocks(reading.runs, reading.rules);
  const regions = reading.columns;
  // Each run and rule goes to the region holding its centre (a run's baseline), else the nearest one: the
  // regions tile the page, so nothing read is left out.
  const regionOf = (x: number, y: number) => {
    let best = 0;
    let bestDistance = Infinity;
    regions.forEach((c, i) => {
      const distance = Math.hypot(Math.max(c.x0 - x, 0, x - c.x1), Math.max(c.top - y, 0, y - c.bottom));
      if (distance < bestDistance) [best, bestDistance] = [i, distance];
    });
    return best;
  };
  const runRegion = reading.runs.map((r) => regionOf((r.x0 + r.x1) / 2, r.y));
  const ruleRegion = reading.rules.map((r) => regionOf((r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2));
  return regions.flatMap((_, i) =>
    pageBlocks(
      reading.runs.filter((_, j) => runRegion[j] === i),
      reading.rules.filter((_, j) => ruleRegion[j] === i),
    ),
  );
}

/** The profiles' turn when they show one (`orientation.ts`), else 0. */
function profileTurn(orientation: { degrees: number; confidence: number }): number {
  return orientation.confidence > 0 ? orientation.degrees : 0;
}

/**
 * The engine's orientation and script detection of the page, once; undefined when the engine has none or it
 * failed (a missing model, say): the profiles then decide the turn, and no script is reported. A failed
 * detection loses no text, so it is no warning.
 */
async function detect(ocr: Ocr, flat: Gray): Promise<OcrDetection | undefined> {
  if (!ocr.detect) return undefined;
  try {
    return await ocr.detect(encodeGrayPng(flat));
  } catch {
    return undefined;
  }
}

/**
 * The detected script, and why the text is likely garbage when none of `languages` reads it (`ocr-scripts.ts`).
 * Two signals must agree: a script the languages do not read is only believed while the kept reading is still
 * doubtful (`doubtful`). A confident, word-like reading in those languages contradicts it (tesseract's OSD takes
 * Latin capitals in a serif face for Cyrillic, which shares their shapes), and then no script is claimed.
 */
function scriptOf(
  detected: OcrDetection | undefined,
  languages: readonly string[] | undefined,
  doubtful: boolean,
): Pick<ImageReading, 'script' | 'uncoveredScript'> {
  const script = detected?.script?.name;
  if (!script) return {};
  const reads = languages?.length ? readsScript(languages, script) : undefined;
  if (reads !== false) return { script };
  if (!doubtful || !languages) return {};
  const advice = languagesReading(script);
  return {
    script,
    uncoveredScript:
      `the text is in ${script} script (tesseract's script detection), which none of the OCR languages ` +
      `(${languages.join(', ')}) reads: what OCR made of it is likely wrong` +
      (advice.length ? `; ask for a language that reads it (e.g. ${advice.join(', ')})` : ''),
  };
}

interface GrayReading {
  page: OcrPage;
  /** The analysed bitmap with its rules erased. */
  erased: Gray;
  /** `erased` with its paper flattened: what OCR saw. */
  flat: Gray;
  /** Rules in `erased`'s pixels. */
  rules: Segment[];
  turned: number;
  /** Regions (head, columns, foot) read one by one, in `erased`'s pixels; empty when the page was read whole. */
  columns: Region[];
}

/** OCR a bitmap with its rules erased and its paper flattened (`bitmap.flattenBackground`). */
async function readGray(
  gray: Gray,
  ocr: Ocr,
  recognizeOptions: { languages: string[] } | undefined,
): Promise<GrayReading> {
  const { rules, erased } = findRules(gray);
  const flat = flattenBackground(erased);
  // A page in prose columns is read column by column (`columns.ts`): tesseract garbles lines it reads across
  // a narrow gutter.
  const regions = findColumns(flat, Math.round(paperLevel(flat) * 0.5));
  if (regions.length) {
    const pages: OcrPage[] = [];
    for (const r of regions) pages.push(await ocr.recognize(encodeGrayPng(cropRegion(flat, r)), recognizeOptions));
    return {
      page: mergeRegionReadings(pages, regions, flat.width, flat.height),
      erased,
      flat,
      rules,
      turned: 0,
      columns: regions,
    };
  }
  const page = await ocr.recognize(encodeGrayPng(flat), recognizeOptions);
  return { page, erased, flat, rules, turned: 0, columns: [] };
}

/** Filter, scale and place one reading; `analysed` is the bitmap the rules and texture come from. */
function assemble(
  raw: OcrPage,
  analysed: Gray | undefined,
  rules: Segment[],
  turned: number,
  target: { width: number; height: number } | undefined,
): ImageReading {
  // Words in regions whose reading is mostly noise (a photo) are dropped first, strong words excepted.
  const noisy = analysed && raw.width > 0 ? noisyRegionsOf(raw, analysed) : [];
  // Glyphs of one line read again as words of the next (a stray "P" in a header) go before anything else: they
  // are ink already read, not text lost, so they count neither as kept nor as dropped words.
  const split = splitByConfidence(withoutDoubleReads(noisy.length ? withoutNoise(raw, noisy) : raw).page);
  const page = split.kept;
  const runs0 = (scale: number) => ocrRuns(page, scale);
  if (!(raw.width > 0 && raw.height > 0)) {
    // An engine that reports no image size gives no usable boxes either: its lines are laid out in its own
    // units (`ocrRuns`), the page is as tall as the text needs, and rules and pictures cannot be matched.
    const runs = runs0(1);
    const doubt = readingDoubt(split, () => false);
    return {
      runs,
      rules: [],
      pictures: [],
      width: Math.max(target?.width ?? 0, ...runs.map((r) => r.x1)),
      height: Math.max(target?.height ?? 0, ...runs.map((r) => r.y + r.size * 5)),
      ocrRan: true,
      turned,
      ...(doubt ? { doubt } : {}),
    };
  }
  // OCR pixels per analysed pixel: the OCR engine may have seen the original, larger image.
  const ocrScale = analysed ? raw.width / analysed.width : 1;
  const scale = target ? (target.width + target.height) / (raw.width + raw.height) : 1;
  let pictures: Box[] = [];
  if (analysed) {
    const boxes = page.lines
      .flatMap((l) => (l.words.length ? l.words : [l]))
      .map((w) => scaleBox(w.bbox, 1 / ocrScale));
    pictures = pictureRegions(texture(analysed), boxes, analysed.width, analysed.height);
  }
  const runs = runs0(scale);
  const toOut = ocrScale * scale;
  const doubt = readingDoubt(split, (x, y) =>
    pictures.some((p) => x >= p.x0 * ocrScale && x <= p.x1 * ocrScale && y >= p.y0 * ocrScale && y <= p.y1 * ocrScale),
  );
  return {
    runs,
    rules: rules.map((r) => ({ x0: r.x0 * toOut, x1: r.x1 * toOut, y0: r.y0 * toOut, y1: r.y1 * toOut })),
    pictures: pictures.map((p) => ({ x0: p.x0 * toOut, x1: p.x1 * toOut, top: p.y0 * toOut, bottom: p.y1 * toOut })),
    width: raw.width * scale,
    height: raw.height * scale,
    ocrRan: true,
    turned,
    ...(doubt ? { doubt } : {}),
  };
}

/** Noisy regions in OCR pixels. */
function noisyRegionsOf(raw: OcrPage, analysed: Gray): Box[] {
  const ocrScale = raw.width / analysed.width;
  const words = raw.lines.flatMap((l) => (l.words.length ? l.words : [{ ...l }]));
  const scaled = words.map((w) => ({ ...w, bbox: scaleBox(w.bbox, 1 / ocrScale) }));
  return noisyRegions(texture(analysed), scaled, analysed.width, analysed.height).map((b) => scaleBox(b, ocrScale));
}

/** A word that stands out of the noise: confidently read and word-like. */
const STRONG = 85;

function withoutNoise(raw: OcrPage, noisy: Box[]): OcrPage {
  const inNoise = (b: Box) => noisy.some((n) => contains(n, (b.x0 + b.x1) / 2, (b.y0 + b.y1) / 2));
  const lines = raw.lines
    .map((l) => {
      if (!l.words.length) return inNoise(l.bbox) && !(l.confidence >= STRONG && isWordLike(l.text)) ? undefined : l;
      const words = l.words.filter((w) => !inNoise(w.bbox) || (w.confidence >= STRONG && isWordLike(w.text)));
      if (words.length === l.words.length) return l;
      return words.length ? { ...l, words, text: words.map((w) => w.text).join(' ') } : undefined;
    })
    .filter((l): l is OcrPage['lines'][number] => l !== undefined);
  return { ...raw, lines };
}

function scaleBox(b: Box, s: number): Box {
  return { x0: b.x0 * s, y0: b.y0 * s, x1: b.x1 * s, y1: b.y1 * s };
}
