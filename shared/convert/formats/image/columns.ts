/**
 * OCR engines sometimes read straight across a narrow column gutter, giving lines that hold half a line of
 * each column. When many lines of a page split at a wide word gap at the same x (a gutter), each run of such
 * lines is re-cut there and read as the left column first, then the right one.
 */
import type { OcrLine, OcrWord } from '../../../ports.ts';

export function splitColumns(lines: readonly OcrLine[]): OcrLine[] {
  const gaps = lines.map(gutterGap);
  const centers = gaps.filter((g): g is { x0: number; x1: number } => g !== undefined).map((g) => (g.x0 + g.x1) / 2);
  if (centers.length < 5 || centers.length < lines.length * 0.25) return [...lines];
  const gutter = median(centers);
  const out: OcrLine[] = [];
  let left: OcrLine[] = [];
  let right: OcrLine[] = [];
  const flush = () => {
    out.push(...left, ...right);
    left = [];
    right = [];
  };
  lines.forEach((line) => {
    const crosses = line.words.length > 0 && line.bbox.x0 < gutter && line.bbox.x1 > gutter;
    if (!crosses) {
      if (line.bbox.x1 <= gutter) left.push(line);
      else right.push(line);
      return;
    }
    const leftWords = line.words.filter((w) => (w.bbox.x0 + w.bbox.x1) / 2 < gutter);
    const rightWords = line.words.filter((w) => (w.bbox.x0 + w.bbox.x1) / 2 >= gutter);
    const gap = gutterGap(line);
    if (!gap || gap.x0 > gutter || gap.x1 < gutter || !leftWords.length || !rightWords.length) {
      // A full-width line (title, figure caption): the two-column run ends here.
      flush();
      out.push(line);
      return;
    }
    left.push(lineOf(leftWords, line.confidence));
    right.push(lineOf(rightWords, line.confidence));
  });
  flush();
  return out;
}

/** The widest gap between neighbouring words, when it is wide enough to be a gutter rather than a space. */
function gutterGap(line: OcrLine): { x0: number; x1: number } | undefined {
  const h = line.bbox.y1 - line.bbox.y0;
  let best: { x0: number; x1: number } | undefined;
  for (let i = 1; i < line.words.length; i++) {
    const x0 = line.words[i - 1].bbox.x1;
    const x1 = line.words[i].bbox.x0;
    if (x1 - x0 > h * 1.2 && (!best || x1 - x0 > best.x1 - best.x0)) best = { x0, x1 };
  }
  return best;
}

function lineOf(words: OcrWord[], confidence: number): OcrLine {
  return {
    text: words.map((w) => w.text).join(' '),
    confidence,
    words,
    bbox: {
      x0: Math.min(...words.map((w) => w.bbox.x0)),
      y0: Math.min(...words.map((w) => w.bbox.y0)),
      x1: Math.max(...words.map((w) => w.bbox.x1)),
      y1: Math.max(...words.map((w) => w.bbox.y1)),
    },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
