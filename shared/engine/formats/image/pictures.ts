/**
 * Blank pages and pictures in a page image, from its texture.
 *
 * The page is cut into square cells (about 1/400 of its longer side). A cell is *marked* when it holds strong
 * local contrast — the darkest and lightest pixel differ by at least 96 levels: text strokes, lines, edges and
 * photographic texture do; paper, flat shading and smooth gradients do not (so a shaded table header is not a
 * picture). A page with hardly any marked cells is blank and is not sent to OCR at all.
 *
 * After OCR, the cells covered by confidently read words (with a margin) are cleared; what marked cells remain
 * and form a sizeable, dense connected region is a picture: it is reported as an image placeholder instead of
 * the noise an OCR engine reads into it. Sizes: at least 10% of the page wide, 5% high, 2% of its area, with a
 * quarter of the region's cells marked (thin outlines and scattered specks are not pictures).
 */
import type { Gray } from './bitmap.ts';

/** Minimum luminance range inside a cell for it to count as marked. */
const CONTRAST = 96;
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
  const cell = Math.max(3, Math.round(Math.max(gray.width, gray.height) / 400));
  const columns = Math.ceil(gray.width / cell);
  const rows = Math.ceil(gray.height / cell);
  const lo = new Uint8Array(columns * rows).fill(255);
  const hi = new Uint8Array(columns * rows);
  const { width, height, data } = gray;
  for (let y = 0; y < height; y++) {
    const base = Math.floor(y / cell) * columns;
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const v = data[row + x];
      const c = base + Math.floor(x / cell);
      if (v < lo[c]) lo[c] = v;
      if (v > hi[c]) hi[c] = v;
    }
  }
  const marked = new Uint8Array(columns * rows);
  let count = 0;
  for (let c = 0; c < marked.length; c++) {
    if (hi[c] - lo[c] >= CONTRAST) {
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
  const label = new Int32Array(free.length).fill(-1);
  const regions: Box[] = [];
  const stack: number[] = [];
  for (let start = 0; start < free.length; start++) {
    if (!free[start] || label[start] >= 0) continue;
    const id = regions.length;
    let c0 = Infinity;
    let c1 = -1;
    let r0 = Infinity;
    let r1 = -1;
    let cells = 0;
    label[start] = id;
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
          if (free[n] && label[n] < 0) {
            label[n] = id;
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
    const area = (c1 - c0 + 1) * (r1 - r0 + 1);
    regions.push(isPicture(box, cells / area, imageWidth, imageHeight) ? box : { x0: 0, y0: 0, x1: 0, y1: 0 });
  }
  return regions.filter((b) => b.x1 > b.x0);
}

function isPicture(box: Box, density: number, width: number, height: number): boolean {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  return w >= 0.1 * width && h >= 0.05 * height && w * h >= 0.02 * width * height && density >= 0.25;
}
