import type { Script } from './scripts.ts';

/**
 * pdf.js text items → positioned glyph runs in page space (y grows downward, the page's own rotation applied).
 * Whitespace-only items are dropped but remembered as a hint that a space separates their neighbours.
 */

/** One run of text in one font on one baseline, in viewport coordinates (points, y down). */
export interface Run {
  text: string;
  x0: number;
  x1: number;
  /** Baseline y. */
  y: number;
  /** Font size (em height) in points. */
  size: number;
  font: string;
  bold: boolean;
  italic: boolean;
  /** Set in a monospace (typewriter) font: code. */
  mono?: boolean;
  /** Target of a link annotation covering this run. */
  href?: string;
  /** The source had a whitespace item (or trailing space) right before this run. */
  spaceBefore: boolean;
  /** Raised or lowered against the text before it on its line (set when lines are built). */
  script?: Script;
}

export interface RawTextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
  hasEOL?: boolean;
}

export interface FontInfo {
  bold: boolean;
  italic: boolean;
  monospace: boolean;
}

type Matrix = [number, number, number, number, number, number];

const multiply = (m: Matrix, n: number[]): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/** Quadrant of the text direction in viewport space: 0 = left-to-right upright, 1 = 90° clockwise, … */
const quadrantOf = (m: Matrix): number => {
  const angle = Math.atan2(m[1], m[0]);
  return ((Math.round(angle / (Math.PI / 2)) % 4) + 4) % 4;
};

/**
 * Turn text items into runs. Text whose direction is not the page's dominant one (a rotated margin label, a
 * sideways axis title) is left out of the flow; if most text is sideways the whole page is turned so it reads
 * upright.
 */
export function itemsToRuns(
  items: RawTextItem[],
  viewportTransform: number[],
  viewport: { width: number; height: number },
  fontOf: (fontName: string) => FontInfo,
): { runs: Run[]; droppedRotated: number; rotatedText: string[]; quadrant: number } {
  const placed: { item: RawTextItem; m: Matrix; q: number }[] = [];
  const charsByQuadrant = [0, 0, 0, 0];
  for (const item of items) {
    if (!item.str) continue;
    const m = multiply(viewportTransform as Matrix, item.transform);
    const q = quadrantOf(m);
    placed.push({ item, m, q });
    charsByQuadrant[q] += item.str.trim().length;
  }
  const dominant = charsByQuadrant.indexOf(Math.max(...charsByQuadrant));
  const runs: Run[] = [];
  // A whitespace item (or trailing space) only means "space before the next run" when that run continues on
  // the same baseline right after it; stream order jumps between lines and columns.
  let pending: { x: number; y: number; size: number } | undefined;
  let droppedRotated = 0;
  const rotatedText: string[] = [];
  for (const { item, m, q } of placed) {
    if (q !== dominant) {
      droppedRotated += item.str.length;
      if (item.str.trim()) rotatedText.push(cleanText(item.str).trim());
      continue;
    }
    const [x, y] = toUpright(m[4], m[5], dominant, viewport);
    const size = Math.hypot(m[2], m[3]) || item.height || 1;
    const advance = Math.abs(item.width) || size * 0.5 * item.str.length;
    if (!item.str.trim()) {
      pending = { x: x + advance, y, size };
      continue;
    }
    const text = cleanText(item.str);
    if (!text.trim()) continue;
    const afterSpace =
      pending !== undefined && Math.abs(pending.y - y) < 0.3 * size && Math.abs(x - pending.x) < 1.5 * size;
    const font = fontOf(item.fontName);
    // A vertical font (Identity-V): pdf.js gives a whole column as one item, its height the glyphs' total
    // downward advance, its width one em. Its glyphs are stacked runs, as if each was placed under the last
    // (`vertical-text.ts` reads such stacks as columns).
    const glyphs = [...text.trim()];
    if (glyphs.length >= 2 && item.height > 1.5 * size && Math.abs(item.width) <= 1.2 * size) {
      const step = item.height / glyphs.length;
      glyphs.forEach((ch, i) =>
        runs.push({
          text: ch,
          x0: x,
          x1: x + advance,
          y: y + i * step,
          size,
          font: item.fontName,
          bold: font.bold,
          italic: font.italic,
          mono: font.monospace,
          spaceBefore: false,
        }),
      );
      pending = undefined;
      continue;
    }
    runs.push({
      text: text.trimStart(),
      x0: x,
      x1: x + advance,
      y,
      size,
      font: item.fontName,
      bold: font.bold,
      italic: font.italic,
      mono: font.monospace,
      spaceBefore: afterSpace || text.startsWith(' '),
    });
    pending = /\s$/.test(item.str) ? { x: x + advance, y, size } : undefined;
  }
  return { runs, droppedRotated, rotatedText, quadrant: dominant };
}

/**
 * Compatibility characters become their plain forms (NFKC: ligatures ﬁ/ﬂ, full-width letters, Arabic
 * presentation forms, no-break spaces); soft hyphens are invisible and go; control characters from broken
 * encodings are dropped; a pair of single quotes becomes the double quote it stands for. Superscript digits stay as they are: NFKC would glue a footnote marker to its word.
 */
const SUPERSCRIPTS = /[\u00b2\u00b3\u00b9\u2070-\u209f]/u;
const PLAIN = /^[\x20-\x7e]*$/;
export function cleanText(raw: string): string {
  if (PLAIN.test(raw)) return raw.replace(/ {2,}/g, ' ');
  let out = '';
  for (const ch of raw) {
    if (ch === '\u00ad' || /[\u0000-\u0008\u000e-\u001f\u007f]/u.test(ch)) continue;
    out += SUPERSCRIPTS.test(ch) ? ch : ch.normalize('NFKC');
  }
  // Two single quotes set as a pair are how TeX and old typesetting draw a double quote.
  return out
    .replace(/\s+/g, ' ')
    .replace(/\u2018\u2018/g, '\u201c')
    .replace(/\u2019\u2019/g, '\u201d');
}

export function toUpright(
  x: number,
  y: number,
  quadrant: number,
  viewport: { width: number; height: number },
): [number, number] {
  switch (quadrant) {
    case 1:
      return [y, viewport.width - x]; // text runs downward
    case 2:
      return [viewport.width - x, viewport.height - y];
    case 3:
      return [viewport.height - y, x]; // text runs upward
    default:
      return [x, y];
  }
}
