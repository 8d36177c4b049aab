/**
 * Ink read twice. Tesseract cuts a page into text lines before it reads them; where one line's glyphs reach
 * down into the next line's box (the tail of the "p" in a header "Participants" set beside a two-line label),
 * the piece is read again as a word of that next line: a stray "P" after "Category", inside the box of
 * "Participants". Every glyph is ink of one word only, so a short word whose box lies mostly inside the box of
 * a longer word on another line is that word's ink read a second time, and is dropped. Words on the same line
 * never overlap like that (their boxes follow each other), and real words of neighbouring lines overlap only
 * at their edges (ascenders meeting descenders), far from half their box.
 */
import type { OcrLine, OcrPage, OcrWord } from '../../ocr.ts';

/** Longest word (characters) that can be a fragment of another word's glyphs. */
const MAX_FRAGMENT = 3;
/** Share of the fragment's box that must lie inside the other word's box. */
const INSIDE = 0.5;

type Box = OcrWord['bbox'];

const area = (b: Box) => Math.max(0, b.x1 - b.x0) * Math.max(0, b.y1 - b.y0);
const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));

/**
 * The page without words that re-read another line's ink, and those words. A word goes when it has at most
 * three characters, at least half its box (image pixels) lies inside the box of a longer word of another line,
 * and it was read with no more confidence than that word (0..100). Lines left without words go; a changed
 * line's text and box are rebuilt from its remaining words. Lines without word boxes are left alone. The input
 * is not changed.
 */
export function withoutDoubleReads(page: OcrPage): { page: OcrPage; dropped: OcrWord[] } {
  const dropped: OcrWord[] = [];
  const isDouble = (w: OcrWord, own: OcrLine) => {
    const text = w.text.trim();
    if (!text || text.length > MAX_FRAGMENT || area(w.bbox) <= 0) return false;
    return page.lines.some(
      (line) =>
        line !== own &&
        line.words.some(
          (o) =>
            o.text.trim().length > text.length &&
            o.confidence >= w.confidence &&
            overlap(w.bbox, o.bbox) >= INSIDE * area(w.bbox),
        ),
    );
  };
  const lines: OcrLine[] = [];
  for (const line of page.lines) {
    const words = line.words.filter((w) => {
      const double = isDouble(w, line);
      if (double) dropped.push(w);
      return !double;
    });
    if (words.length === line.words.length) lines.push(line);
    else if (words.length)
      lines.push({
        ...line,
        words,
        text: words.map((w) => w.text).join(' '),
        bbox: {
          x0: Math.min(...words.map((w) => w.bbox.x0)),
          y0: Math.min(...words.map((w) => w.bbox.y0)),
          x1: Math.max(...words.map((w) => w.bbox.x1)),
          y1: Math.max(...words.map((w) => w.bbox.y1)),
        },
      });
  }
  if (!dropped.length) return { page, dropped };
  return { page: { ...page, lines, text: lines.map((l) => l.text).join('\n') }, dropped };
}
