/**
 * Column gutters of a scanned page, found in the ink before OCR, so each column is read on its own.
 *
 * Why before OCR: tesseract's page segmentation reads straight across a narrow gutter when the two columns' lines
 * happen to sit at similar heights, most of all when the columns are set in different type sizes (a large-type
 * abstract beside a body column). It then recognizes the far column's glyphs at the near column's line height
 * and both sides come out garbled ("depended h heir food d thei"), which no later regrouping of word boxes can
 * repair. Reading each column's strip separately avoids that.
 *
 * A gutter is a vertical band, at least `MIN_GUTTER` of the page wide, with no ink on any text row of
 * the page (a speck or two tolerated), between two regions that both read as prose columns: at least
 * `MIN_COLUMN_EMS` of its text-line heights wide, with `MIN_ROWS` text rows, most of which fill most of the region's width
 * (wrapped prose runs to the margin; a table's cells and a single column's short indented lines do not). Only a
 * gutter running the whole text height splits the page: a page whose full-width title crosses it is left whole,
 * as it was read before. Up to two lines at the top and at the bottom of the page may cross it (a running head,
 * a centred page number): they are read as a head and a foot strip, before and after the columns.
 */
import type { Gray } from './bitmap.ts';
import type { OcrPage } from '../../ocr.ts';

/** A column's horizontal extent, in the bitmap's pixels (x1 exclusive). */
export interface ColumnSpan {
  x0: number;
  x1: number;
}

/**
 * A gutter's least width as a share of the page width (a journal's gutter is 1.5–3 % of it; word spaces
 * never line up on every row of prose), and in pixels for small images.
 */
const MIN_GUTTER = 0.012;
const MIN_GUTTER_PX = 6;
const MIN_COLUMN_EMS = 12;
const MIN_ROWS = 6;
/** Share of a column's text rows that must reach this share of its width. */
const FULL_ROWS = 0.5;
const FULL_WIDTH = 0.75;
/** Ink pixels in a gutter pixel column tolerated as specks. */
const SPECKS = 2;

/** A region of the page read on its own, in the bitmap's pixels (x1, y1 exclusive). */
export interface Region extends ColumnSpan {
  y0: number;
  y1: number;
}

/** Lines at the top or bottom of the page that may cross the gutter (a running head, a centred folio). */
const EDGE_LINES = 2;
/** ... when they lie within this share of the page height from its edge. */
const EDGE_BAND = 0.15;

/**
 * The page's regions in reading order when it has at least one gutter between prose columns: a head strip
 * (running head lines that cross the gutter, if any), the columns left to right, a foot strip (a centred page
 * number, a footer line); otherwise `[]` (read the page whole). `ink`: the luminance under which a pixel is
 * ink (0..255).
 */
export function findColumns(gray: Gray, ink: number): Region[] {
  const { width, height, data } = gray;
  const rowInk = new Uint32Array(height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) if (data[row + x] < ink) rowInk[y]++;
  }
  const lines = textLines(rowInk);
  if (lines.length < MIN_ROWS) return [];
  // Fewest edge lines set apart first: a page whose columns run to its edges is split without a head or foot.
  const trims: [number, number][] = [];
  for (let sum = 0; sum <= 2 * EDGE_LINES; sum++) {
    for (let head = 0; head <= Math.min(sum, EDGE_LINES); head++) {
      if (sum - head <= EDGE_LINES) trims.push([head, sum - head]);
    }
  }
  for (const [head, foot] of trims) {
    if (head + foot >= lines.length - MIN_ROWS) break;
    if (head && lines[head - 1].y1 > EDGE_BAND * height) continue;
    if (foot && lines[lines.length - foot].y0 < (1 - EDGE_BAND) * height) continue;
    // Strips split halfway between the edge lines and the column text.
    const top = head ? Math.round((lines[head - 1].y1 + lines[head].y0) / 2) : 0;
    const last = lines.length - 1 - foot;
    const bottom = foot ? Math.round((lines[last].y1 + lines[last + 1].y0) / 2) : height;
    const spans = columnSpans(gray, ink, top, bottom);
    if (!spans.length) continue;
    return [
      ...(top > 0 ? [{ x0: 0, x1: width, y0: 0, y1: top }] : []),
      ...spans.map((c) => ({ ...c, y0: top, y1: bottom })),
      ...(bottom < height ? [{ x0: 0, x1: width, y0: bottom, y1: height }] : []),
    ];
  }
  return [];
}

/** The prose columns between rows `top` and `bottom`, strips reaching halfway into the gutters; else `[]`. */
function columnSpans(gray: Gray, ink: number, top: number, bottom: number): ColumnSpan[] {
  const { width, data } = gray;
  // Ink per pixel column, over every row of the band.
  const colInk = new Uint32Array(width);
  for (let y = top; y < bottom; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) if (data[row + x] < ink) colInk[x]++;
  }
  const minGutter = Math.max(MIN_GUTTER_PX, MIN_GUTTER * width);
  // Ink runs along x separated by bands wider than the minimum gutter.
  const regions: ColumnSpan[] = [];
  let start = -1;
  let blank = 0;
  for (let x = 0; x <= width; x++) {
    const inked = x < width && colInk[x] > SPECKS;
    if (inked) {
      if (start < 0) start = x;
      else if (blank >= minGutter) {
        regions.push({ x0: start, x1: x - blank });
        start = x;
      }
      blank = 0;
    } else blank++;
  }
  if (start >= 0) regions.push({ x0: start, x1: width - blank });
  if (regions.length < 2) return [];
  if (!regions.every((r) => isProseColumn(gray, ink, { ...r, y0: top, y1: bottom }))) return [];
  return regions.map((r, i) => ({
    x0: i === 0 ? 0 : Math.round((regions[i - 1].x1 + r.x0) / 2),
    x1: i === regions.length - 1 ? width : Math.round((r.x1 + regions[i + 1].x0) / 2),
  }));
}

/** Rows with ink grouped into text lines (bands of inked rows). */
function textLines(rowInk: Uint32Array): { y0: number; y1: number }[] {
  const lines: { y0: number; y1: number }[] = [];
  let y0 = -1;
  for (let y = 0; y <= rowInk.length; y++) {
    const inked = y < rowInk.length && rowInk[y] > 0;
    if (inked && y0 < 0) y0 = y;
    if (!inked && y0 >= 0) {
      lines.push({ y0, y1: y });
      y0 = -1;
    }
  }
  return lines;
}

/** Wide enough for prose, with enough text rows, most of them running nearly the whole width. */
function isProseColumn(gray: Gray, ink: number, region: Region): boolean {
  const span = region.x1 - region.x0;
  const { width, data } = gray;
  let rows = 0;
  let full = 0;
  // The region's own text lines: its inked rows, grouped.
  const rowInk = new Uint32Array(gray.height);
  const extent = new Map<number, { x0: number; x1: number }>();
  {
    for (let y = region.y0; y < region.y1; y++) {
      const row = y * width;
      for (let x = region.x0; x < region.x1; x++) {
        if (data[row + x] >= ink) continue;
        rowInk[y]++;
        const e = extent.get(y);
        if (!e) extent.set(y, { x0: x, x1: x + 1 });
        else e.x1 = x + 1;
      }
    }
  }
  const lines = textLines(rowInk);
  const em = median(lines.map((l) => l.y1 - l.y0));
  if (!lines.length || span < MIN_COLUMN_EMS * em) return false;
  for (const line of lines) {
    let x0 = Infinity;
    let x1 = -Infinity;
    for (let y = line.y0; y < line.y1; y++) {
      const e = extent.get(y);
      if (!e) continue;
      x0 = Math.min(x0, e.x0);
      x1 = Math.max(x1, e.x1);
    }
    rows++;
    if (x1 - x0 >= FULL_WIDTH * span) full++;
  }
  return rows >= MIN_ROWS && full >= FULL_ROWS * rows;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The part of `gray` a region covers. */
export function cropRegion(gray: Gray, r: Region): Gray {
  const width = r.x1 - r.x0;
  const height = r.y1 - r.y0;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = (r.y0 + y) * gray.width;
    data.set(gray.data.subarray(row + r.x0, row + r.x1), y * width);
  }
  return { width, height, data };
}

/**
 * The readings of a page's regions as one reading of the page: boxes shifted back to page pixels, lines
 * region after region (the reading order), confidence the mean of the strips' weighted by their text length.
 */
export function mergeRegionReadings(pages: OcrPage[], regions: Region[], width: number, height: number): OcrPage {
  const shift = (b: OcrPage['lines'][number]['bbox'], r: Region) => ({
    x0: b.x0 + r.x0,
    x1: b.x1 + r.x0,
    y0: b.y0 + r.y0,
    y1: b.y1 + r.y0,
  });
  const lines = pages.flatMap((p, i) =>
    p.lines.map((l) => ({
      ...l,
      bbox: shift(l.bbox, regions[i]),
      words: l.words.map((w) => ({ ...w, bbox: shift(w.bbox, regions[i]) })),
    })),
  );
  const weight = pages.map((p) => Math.max(1, p.text.trim().length));
  const total = weight.reduce((a, b) => a + b, 0);
  const confidence = pages.reduce((n, p, i) => n + p.confidence * weight[i], 0) / total;
  return { text: pages.map((p) => p.text.trim()).join('\n\n'), lines, confidence, width, height };
}
