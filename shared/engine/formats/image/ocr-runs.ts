/**
 * OCR words → the positioned text runs the PDF layout engine works on (`Run` from `pdf/text-items.ts`), so a
 * scanned page or a photo of a document gets columns, headings, lists and tables from the same code as a PDF
 * text layer.
 *
 * Coordinates: OCR boxes are image pixels with y growing downward — the same orientation as the runs pdf.js
 * text yields after the viewport transform (points, y down, baseline y). So no flip is needed, only a scale
 * (pixels → the caller's unit, e.g. PDF points for an OCR'd PDF page) and two estimates the OCR engine does not
 * give: the baseline and the font size (em height).
 *
 * Font size: an OCR box holds ink only. Its height is the em height times the part of the em the word's glyphs
 * cover: caps, digits and ascenders reach about 0.72 em above the baseline, x-height letters about 0.5 em;
 * descenders go about 0.21 em below it. Each word's em is estimated from its letters, and a line's words share
 * the line's median em and baseline (so they stay on one baseline band). Without font information, sizes of
 * the same typeface vary a little from line to line; sizes within a few percent are merged into one, so body
 * text has one size and only clearly larger lines read as headings.
 */
import type { OcrLine, OcrPage, OcrWord } from '../../ocr.ts';
import type { Run } from '../pdf/text-items.ts';

const ASCENDER = /[\p{Lu}\p{N}bdfhiklt!?%&#@/\\()[\]{}|'"’”]/u;
const DESCENDER = /[gjpqy,;()[\]{}|]/u;
const X_HEIGHT = /[\p{Ll}]/u;
/** Fractions of the em above and below the baseline. */
const ASCENT = 0.72;
const MIDDLE = 0.5;
const DESCENT = 0.21;
/** Sizes closer than this ratio are taken as the same font size. */
const SAME_SIZE = 1.12;
/**
 * Word spaces: OCR engines read straight across a narrow column gutter or a table's cell gap and put both sides
 * in one line, so the OCR line does not prove the words belong together. A gap counts as a word space when it is
 * within a few times the page's usual word gap (justified text stretches spaces), between these bounds in ems.
 */
const SPACE_FACTOR = 2.2;
const MIN_SPACE = 0.6;
const MAX_SPACE = 1.2;

/**
 * OCR engines "read" pictures, rules and specks too, as words they give almost no confidence. Such a word is
 * dropped when it also does not look like a word (hardly any letters, or one character over and over); a real
 * but badly printed word keeps its place.
 */
const JUNK_CONFIDENCE = 10;

export function isJunkWord(word: OcrWord): boolean {
  if (word.confidence >= JUNK_CONFIDENCE) return false;
  const text = word.text.trim();
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  return letters < 2 || letters < text.length / 2 || /(.)\1{3,}/u.test(text) || /[\p{Lu}\p{Ll}]{25,}/u.test(text);
}

/** `scale`: how many output units one image pixel is (1 keeps pixels). */
export function ocrRuns(page: Pick<OcrPage, 'lines'> & Partial<Pick<OcrPage, 'text'>>, scale = 1): Run[] {
  const lines = page.lines.length ? page.lines : linesFromText(page.text ?? '');
  const placed = lines.map(placeLine).filter((l): l is PlacedLine => l !== undefined);
  const sizes = mergeSizes(placed.map((l) => ({ size: l.size, weight: l.chars })));
  const space = wordSpace(placed);
  const runs: Run[] = [];
  placed.forEach((line, i) => {
    const size = sizes[i];
    let prev: OcrWord | undefined;
    for (const word of line.words) {
      const text = word.text.replace(/\s+/g, ' ').trim();
      if (!text) continue;
      const gap = prev ? word.bbox.x0 - prev.bbox.x1 : Infinity;
      runs.push({
        text,
        x0: word.bbox.x0 * scale,
        x1: word.bbox.x1 * scale,
        y: line.baseline * scale,
        size: size * scale,
        font: 'ocr',
        bold: false,
        italic: false,
        spaceBefore: gap <= space * size,
      });
      prev = word;
    }
  });
  return runs;
}

/** The largest gap (in ems) still read as a space between words, from the page's median word gap. */
function wordSpace(lines: PlacedLine[]): number {
  const gaps: number[] = [];
  for (const line of lines) {
    for (let i = 1; i < line.words.length; i++) {
      const gap = line.words[i].bbox.x0 - line.words[i - 1].bbox.x1;
      if (gap > 0) gaps.push(gap / line.size);
    }
  }
  if (gaps.length < 5) return MAX_SPACE;
  return Math.min(MAX_SPACE, Math.max(MIN_SPACE, SPACE_FACTOR * median(gaps)));
}

/**
 * An OCR engine that reports only plain text (no boxes): its lines are stacked one under the other at an
 * ordinary leading, a blank line (its paragraph break) leaving a wider gap, so the layout still sees paragraphs.
 * They start a few lines down, clear of the band where running headers are looked for.
 */
const TEXT_EM = 20;
function linesFromText(text: string): OcrLine[] {
  const lines: OcrLine[] = [];
  let y = 5 * TEXT_EM;
  for (const raw of text.split('\n')) {
    const value = raw.replace(/\s+/g, ' ').trim();
    if (!value) {
      y += TEXT_EM;
      continue;
    }
    const width = value.length * TEXT_EM * 0.5;
    const { up, down } = inkExtent(value);
    const bbox = { x0: 0, y0: y - up * TEXT_EM, x1: width, y1: y + down * TEXT_EM };
    lines.push({ text: value, confidence: 100, bbox, words: [] });
    y += 1.2 * TEXT_EM;
  }
  return lines;
}

interface PlacedLine {
  words: OcrWord[];
  baseline: number;
  size: number;
  chars: number;
}

/** A line's em size and baseline from its words' boxes (words without letters or digits do not vote). */
function placeLine(line: OcrLine): PlacedLine | undefined {
  const words = line.words.length ? line.words : [{ text: line.text, confidence: line.confidence, bbox: line.bbox }];
  const kept = words.filter((w) => w.text.trim() && !isJunkWord(w));
  if (!kept.length) return undefined;
  const estimates = kept.map(wordMetrics).filter((m): m is { size: number; baseline: number } => m !== undefined);
  const size = median(estimates.map((m) => m.size)) || Math.max(1, line.bbox.y1 - line.bbox.y0);
  const baseline = estimates.length ? median(estimates.map((m) => m.baseline)) : line.bbox.y1 - DESCENT * size;
  return {
    words: [...kept].sort((a, b) => a.bbox.x0 - b.bbox.x0),
    baseline,
    size,
    chars: kept.reduce((n, w) => n + w.text.length, 0),
  };
}

function wordMetrics(word: OcrWord): { size: number; baseline: number } | undefined {
  if (!/[\p{L}\p{N}]/u.test(word.text)) return undefined;
  const height = word.bbox.y1 - word.bbox.y0;
  if (height <= 0) return undefined;
  const { up, down } = inkExtent(word.text);
  const size = height / (up + down);
  return { size, baseline: word.bbox.y1 - down * size };
}

/** How far the ink of a text reaches above and below the baseline, in ems. */
function inkExtent(text: string): { up: number; down: number } {
  const up = ASCENDER.test(text) ? ASCENT : X_HEIGHT.test(text) ? MIDDLE : ASCENT;
  return { up, down: DESCENDER.test(text) ? DESCENT : 0 };
}

/**
 * Cluster sizes (sorted, a new cluster where the next size is more than SAME_SIZE larger than the cluster's
 * smallest) and give every member its cluster's character-weighted median.
 */
export function mergeSizes(items: { size: number; weight: number }[]): number[] {
  const order = items.map((_, i) => i).sort((a, b) => items[a].size - items[b].size);
  const out = new Array<number>(items.length);
  let cluster: number[] = [];
  const flush = () => {
    if (!cluster.length) return;
    const value = weightedMedian(cluster.map((i) => items[i]));
    for (const i of cluster) out[i] = value;
    cluster = [];
  };
  for (const i of order) {
    if (cluster.length && items[i].size > items[cluster[0]].size * SAME_SIZE) flush();
    cluster.push(i);
  }
  flush();
  return out;
}

function weightedMedian(items: { size: number; weight: number }[]): number {
  const sorted = [...items].sort((a, b) => a.size - b.size);
  const total = sorted.reduce((n, x) => n + Math.max(1, x.weight), 0);
  let seen = 0;
  for (const x of sorted) {
    seen += Math.max(1, x.weight);
    if (seen >= total / 2) return x.size;
  }
  return sorted[sorted.length - 1].size;
}

function median(values: number[]): number {
  if (!values.length) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs of an OCR'd page rendered from a document page, in the page's own units (PDF points), so they lay out
 * and compare with the document's text-layer pages. The scale comes from the sum of the sides, which a quarter
 * turn (a sideways scan read upright) leaves unchanged; `height` is the upright page's height in those units.
 */
export function ocrRunsOnPage(
  page: OcrPage,
  target: { width: number; height: number },
): { runs: Run[]; height: number } {
  const pixels = page.width + page.height;
  const scale = pixels > 0 ? (target.width + target.height) / pixels : 1;
  const runs = ocrRuns(page, scale);
  // An engine that reports no image size: the page is as tall as the page, or as the text if that is taller.
  const height = pixels > 0 ? page.height * scale : Math.max(target.height, ...runs.map((r) => r.y + r.size * 5));
  return { runs, height };
}
