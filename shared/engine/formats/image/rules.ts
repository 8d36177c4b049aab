/**
 * Ruling lines (table borders, separators) found in a page image, and erased before OCR.
 *
 * Why: tesseract's page layout analysis takes text boxed in by lines for pictures or separators and skips it
 * (tesseract issues 1979, 2623, 2730: whole table rows vanish). Removing the lines from the image before
 * recognition is the usual remedy (Leptonica's line-removal example does the same), and the lines themselves go
 * to the layout engine as rules, so a ruled table is rebuilt from them exactly as for a PDF's drawn rules.
 *
 * How: a horizontal rule is a run of dark pixels, much longer than any letter stroke, in a band only a few
 * pixels thick (a vertical rule: the same down a column). Runs in adjacent rows that overlap form one band; a
 * band thicker than a rule is a filled shape (a bar, a photo), not a rule, and is left alone. Small breaks in a
 * run (anti-aliasing, a scan's dropouts) are bridged.
 */
import type { Segment } from '../pdf/graphics.ts';
import { type Gray, paperLevel, transpose } from './bitmap.ts';

/** A rule as found: a band of rows `[y0, y1]` (inclusive) over columns `[x0, x1]`. */
interface Band {
  y0: number;
  y1: number;
  x0: number;
  x1: number;
}

/** Light pixels inside a run still counted as the run (px). */
const MAX_BREAK = 1;
/** A rule is at least this many times longer than it is thick. */
const SLENDER = 12;
/** A rule that meets no rule across it must be this many times the shortest rule length. */
const LONE = 3;
/**
 * Share of a band's length that must have paper just above and just below it. A rule is a lone line; the
 * baseline or x-height row of a bold word, whose letters touch, has stems and bowls on one side.
 */
const CLEAR_SIDES = 0.7;

export interface RuleScan {
  /** Rules in image pixels (horizontal `y0 === y1`, vertical `x0 === x1`), as the layout engine reads them. */
  rules: Segment[];
  /** The bitmap with the rules painted over in the paper colour of their surroundings (a copy when changed). */
  erased: Gray;
}

/**
 * Find the horizontal and vertical rules of a page bitmap and return them with a copy of the bitmap from which
 * they are erased. Shortest rule: 40 px or 2.5% of the longer side, whichever is more (longer than a word's
 * stroke at any text size OCR reads); thickest: 4 px or 0.4% of the longer side (about 3 pt on a page).
 */
export function findRules(gray: Gray): RuleScan {
  const longSide = Math.max(gray.width, gray.height);
  const minLength = Math.max(40, Math.round(0.025 * longSide));
  const maxThickness = Math.max(4, Math.round(0.004 * longSide));
  const dark = Math.min(160, Math.round(paperLevel(gray) * 0.62));
  const h = bands(gray, dark, minLength, maxThickness);
  const columns = transpose(gray);
  const v = bands(columns, dark, minLength, maxThickness).map((b) => ({ y0: b.x0, y1: b.x1, x0: b.y0, x1: b.y1 }));
  // A letter's stem or bar can be long and thin at display sizes; a rule is much longer than thick, and is
  // either part of a grid (it meets a rule across it) or long on its own (a separator, a booktabs rule).
  const slender = (b: Band, length: number, thickness: number) => length >= SLENDER * thickness;
  const touches = (a: Band, b: Band) =>
    a.x0 <= b.x1 + maxThickness &&
    a.x1 >= b.x0 - maxThickness &&
    a.y0 <= b.y1 + maxThickness &&
    a.y1 >= b.y0 - maxThickness;
  const hs = h.filter((b) => slender(b, b.x1 - b.x0 + 1, b.y1 - b.y0 + 1));
  const vs = v.filter((b) => slender(b, b.y1 - b.y0 + 1, b.x1 - b.x0 + 1));
  const horizontal = hs.filter((b) => b.x1 - b.x0 + 1 >= LONE * minLength || vs.some((o) => touches(b, o)));
  const vertical = vs.filter((b) => b.y1 - b.y0 + 1 >= LONE * minLength || hs.some((o) => touches(b, o)));
  if (!horizontal.length && !vertical.length) return { rules: [], erased: gray };
  const erased = { ...gray, data: new Uint8Array(gray.data) };
  for (const b of horizontal) eraseHorizontal(erased, b, dark);
  for (const b of vertical) eraseVertical(erased, b, dark);
  const rules: Segment[] = [
    ...horizontal.map((b) => ({ x0: b.x0, x1: b.x1, y0: (b.y0 + b.y1) / 2, y1: (b.y0 + b.y1) / 2 })),
    ...vertical.map((b) => ({ x0: (b.x0 + b.x1) / 2, x1: (b.x0 + b.x1) / 2, y0: b.y0, y1: b.y1 })),
  ];
  return { rules, erased };
}

/** Horizontal bands of long dark runs, at most `maxThickness` rows thick. */
function bands(gray: Gray, dark: number, minLength: number, maxThickness: number): Band[] {
  const { width, height, data } = gray;
  const done: Band[] = [];
  /** Bands still growing (they had a run in the previous row), with whether they were seen in this row. */
  let open: (Band & { seen: boolean })[] = [];
  const rejected = new Set<Band>();
  for (let y = 0; y < height; y++) {
    for (const b of open) b.seen = false;
    const row = y * width;
    let x = 0;
    while (x < width) {
      if (data[row + x] >= dark) {
        x++;
        continue;
      }
      const start = x;
      let end = x;
      let gap = 0;
      for (x++; x < width; x++) {
        if (data[row + x] < dark) {
          end = x;
          gap = 0;
        } else if (++gap > MAX_BREAK) break;
      }
      if (end - start + 1 < minLength) continue;
      const band = open.find((b) => b.y1 === y - 1 && start <= b.x1 && end >= b.x0);
      if (band) {
        band.y1 = y;
        band.x0 = Math.min(band.x0, start);
        band.x1 = Math.max(band.x1, end);
        band.seen = true;
        if (band.y1 - band.y0 + 1 > maxThickness) rejected.add(band);
      } else open.push({ y0: y, y1: y, x0: start, x1: end, seen: true });
    }
    const still: typeof open = [];
    for (const b of open) (b.seen ? still : done).push(b);
    open = still;
  }
  done.push(...open);
  return done
    .filter((b) => !rejected.has(b) && clearSides(gray, b, dark))
    .map(({ y0, y1, x0, x1 }) => ({ y0, y1, x0, x1 }));
}

/** Paper two rows above and two rows below the band along most of its length. */
function clearSides(gray: Gray, b: Band, dark: number): boolean {
  const { width, height, data } = gray;
  const above = b.y0 - 2;
  const below = b.y1 + 2;
  let clear = 0;
  for (let x = b.x0; x <= b.x1; x++) {
    const up = above < 0 || data[above * width + x] >= dark;
    const down = below >= height || data[below * width + x] >= dark;
    if (up && down) clear++;
  }
  return clear >= CLEAR_SIDES * (b.x1 - b.x0 + 1);
}

/**
 * Paint a horizontal band (and the anti-aliased row on either side) with, column by column, the lighter of the
 * pixels just above and below it: a rule across a shaded cell leaves the shading, not a white stripe.
 */
function eraseHorizontal(gray: Gray, b: Band, dark: number): void {
  const { width, height, data } = gray;
  const top = Math.max(0, b.y0 - 1);
  const bottom = Math.min(height - 1, b.y1 + 1);
  const above = Math.max(0, top - 1);
  const below = Math.min(height - 1, bottom + 1);
  for (let x = b.x0; x <= b.x1; x++) {
    const fill = Math.max(data[above * width + x], data[below * width + x], dark);
    for (let y = top; y <= bottom; y++) data[y * width + x] = fill;
  }
}

function eraseVertical(gray: Gray, b: Band, dark: number): void {
  const { width, data } = gray;
  const left = Math.max(0, b.x0 - 1);
  const right = Math.min(width - 1, b.x1 + 1);
  const before = Math.max(0, left - 1);
  const after = Math.min(width - 1, right + 1);
  for (let y = b.y0; y <= b.y1; y++) {
    const fill = Math.max(data[y * width + before], data[y * width + after], dark);
    for (let x = left; x <= right; x++) data[y * width + x] = fill;
  }
}
