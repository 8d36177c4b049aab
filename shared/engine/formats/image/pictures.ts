/**
 * Blank pages and pictures in a page image, from its texture.
 *
 * The page is cut into square cells (about 1/150 of its longer side, a few text lines). A cell is *marked* when it holds strong
 * local contrast — the darkest and lightest pixel differ by at least 96 levels: text strokes, lines and edges
 * do — or when it is clearly darker than the paper and grainy (photographic mid-tones). Paper, flat shading and
 * smooth gradients are not marked (so a shaded table header is not a picture). A page with hardly any marked cells is blank and is not sent to OCR at all.
 *
 * After OCR, the cells covered by confidently read words (with a margin) are cleared; what marked cells remain
 * and form a sizeable, dense connected region is a picture: it is reported as an image placeholder instead of
 * the noise an OCR engine reads into it. Sizes: at least 10% of the page wide, 5% high, 2% of its area, with a
 * quarter of the region's cells marked (thin outlines and scattered specks are not pictures).
 */
import { type Gray, paperLevel } from './bitmap.ts';

/** Minimum luminance range inside a cell for it to count as marked. */
const CONTRAST = 96;
/**
 * A cell darker than the paper by this much on average, with at least this much texture, is part of a photo
 * (mid-tones with grain) even without strong edges; flat shading has no texture and is not marked.
 */
const TONE_DEPTH = 32;
const TONE_TEXTURE = 24;
/** At most this many marked cells: nothing on the page but specks. */
const BLANK_CELLS = 8;

export interface Texture {
  /** Cell side in pixels. */
  cell: number;
  columns: number;
  rows: number;
  /** 1 where the cell is marked. */
  marked: Uint8Array;
  count: number;
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function texture(gray: Gray): Texture {
  const cell = Math.max(4, Math.round(Math.max(gray.width, gray.height) / 150));
  const columns = Math.ceil(gray.width / cell);
  const rows = Math.ceil(gray.height / cell);
  const lo = new Uint8Array(columns * rows).fill(255);
  const hi = new Uint8Array(columns * rows);
  const sum = new Float64Array(columns * rows);
  const area = new Uint32Array(columns * rows);
  const { width, height, data } = gray;
  for (let y = 0; y < height; y++) {
    const base = Math.floor(y / cell) * columns;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = data[row + x];
      const c = base + Math.floor(x / cell);
      if (v < lo[c]) lo[c] = v;
      if (v > hi[c]) hi[c] = v;
      sum[c] += v;
      area[c]++;
    }
  }
  const paper = paperLevel(gray);
  const marked = new Uint8Array(columns * rows);
  let count = 0;
  for (let c = 0; c < marked.length; c++) {
    const range = hi[c] - lo[c];
    const toned = sum[c] / area[c] <= paper - TONE_DEPTH && range >= TONE_TEXTURE;
    if (range >= CONTRAST || toned) {
      marked[c] = 1;
      count++;
    }
  }
  return { cell, columns, rows, marked, count };
}

/** A page with no text, lines or pictures: at most a few specks of dust. */
export function isBlank(t: Texture): boolean {
  return t.count <= BLANK_CELLS;
}

/**
 * Picture regions (image pixels) of a page: marked cells not covered by `words` (boxes in image pixels, each
 * widened by a third of its height), grouped into connected regions (cells up to two apart join), kept when
 * large and dense enough (see the module comment).
 */
export function pictureRegions(t: Texture, words: readonly Box[], imageWidth: number, imageHeight: number): Box[] {
  const free = new Uint8Array(t.marked);
  for (const w of words) {
    const margin = (w.y1 - w.y0) / 3;
    const c0 = Math.max(0, Math.floor((w.x0 - margin) / t.cell));
    const c1 = Math.min(t.columns - 1, Math.floor((w.x1 + margin) / t.cell));
    const r0 = Math.max(0, Math.floor((w.y0 - margin) / t.cell));
    const r1 = Math.min(t.rows - 1, Math.floor((w.y1 + margin) / t.cell));
    for (let r = r0; r <= r1; r++) free.fill(0, r * t.columns + c0, r * t.columns + c1 + 1);
  }
  return components(free, t, imageWidth, imageHeight)
    .filter((c) => isPicture(c.box, c.density, imageWidth, imageHeight))
    .map((c) => c.box);
}

/**
 * Large marked regions (same size rule as pictures) whose OCR words are mostly noise: the characters read
 * there have a median confidence under 75, or fewer than half of them are in word-like words. A photo or a
 * halftone makes OCR engines "read" strings of symbols and fragments, some of them with fair confidence;
 * judged per region, rather than per word, they stand out against text, which reads at 85–96.
 */
export function noisyRegions(
  t: Texture,
  words: readonly { text: string; confidence: number; bbox: Box }[],
  imageWidth: number,
  imageHeight: number,
): Box[] {
  return components(t.marked, t, imageWidth, imageHeight)
    .filter((c) => isPicture(c.box, c.density, imageWidth, imageHeight))
    .map((c) => c.box)
    .filter((box) => {
      const inside = words.filter((w) => contains(box, (w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.y0 + w.bbox.y1) / 2));
      if (!inside.length) return true;
      const chars = inside.map((w) => ({ value: w.confidence, weight: w.text.length }));
      const wordlike = inside.filter((w) => isWordLike(w.text)).reduce((n, w) => n + w.text.length, 0);
      const total = inside.reduce((n, w) => n + w.text.length, 0);
      return weightedMedian(chars) < NOISY_CONFIDENCE || wordlike < total / 2;
    });
}

const NOISY_CONFIDENCE = 75;

export function contains(b: Box, x: number, y: number): boolean {
  return x >= b.x0 && x <= b.x1 && y >= b.y0 && y <= b.y1;
}

/** Three or more characters, mostly letters or digits. */
export function isWordLike(text: string): boolean {
  const signs = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  return signs >= 3 && signs >= 0.6 * text.length;
}

function weightedMedian(items: { value: number; weight: number }[]): number {
  const sorted = [...items].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((n, x) => n + x.weight, 0);
  let seen = 0;
  for (const x of sorted) {
    seen += x.weight;
    if (seen >= total / 2) return x.value;
  }
  return 0;
}

/** Connected regions of set cells (cells up to two apart join), with their share of set cells. */
function components(
  mask: Uint8Array,
  t: Texture,
  imageWidth: number,
  imageHeight: number,
): { box: Box; density: number }[] {
  const label = new Uint8Array(mask.length);
  const out: { box: Box; density: number }[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start]) continue;
    let c0 = Infinity;
    let c1 = -1;
    let r0 = Infinity;
    let r1 = -1;
    let cells = 0;
    label[start] = 1;
    stack.push(start);
    while (stack.length) {
      const c = stack.pop()!;
      const cx = c % t.columns;
      const cy = (c - cx) / t.columns;
      cells++;
      c0 = Math.min(c0, cx);
      c1 = Math.max(c1, cx);
      r0 = Math.min(r0, cy);
      r1 = Math.max(r1, cy);
      for (let dy = -2; dy <= 2; dy++) {
        const ny = cy + dy;
        if (ny < 0 || ny >= t.rows) continue;
        for (let dx = -2; dx <= 2; dx++) {
          const nx = cx + dx;
          if (nx < 0 || nx >= t.columns) continue;
          const n = ny * t.columns + nx;
          if (mask[n] && !label[n]) {
            label[n] = 1;
            stack.push(n);
          }
        }
      }
    }
    const box = {
      x0: c0 * t.cell,
      y0: r0 * t.cell,
      x1: Math.min(imageWidth, (c1 + 1) * t.cell),
      y1: Math.min(imageHeight, (r1 + 1) * t.cell),
    };
    out.push({ box, density: cells / ((c1 - c0 + 1) * (r1 - r0 + 1)) });
  }
  return out;
}

function isPicture(box: Box, density: number, width: number, height: number): boolean {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  return w >= 0.1 * width && h >= 0.05 * height && w * h >= 0.02 * width * height && density >= 0.25;
}
