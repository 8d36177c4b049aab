/**
 * Which OCR words to believe, and when to say the reading may be wrong.
 *
 * OCR engines read pictures, rules, stains and halftone as "words" and give them low confidence. Words under a
 * floor of 40 (tesseract's 0..100 scale; clean print reads at 85–96, noise mostly under 30) are dropped rather
 * than printed as noise. One exception keeps sentences whole: a word of at least 25 inside a line read at 75 or
 * more is a badly printed word, not noise, and keeps its place.
 *
 * The reading is doubtful — a `garbled_text` warning — when the kept words' mean confidence is under 60, or
 * when more than a quarter of the text OCR found outside picture regions was too unsure to keep.
 */
import type { OcrLine, OcrPage, OcrWord } from '../../ocr.ts';

const WORD_FLOOR = 40;
const IN_GOOD_LINE_FLOOR = 25;
const GOOD_LINE = 75;
/** Mean confidence of the kept words under which the text may be wrong. */
const DOUBTFUL_CONFIDENCE = 60;
/** Share of dropped characters (outside pictures) over which the text may be incomplete. */
const DOUBTFUL_DROPPED = 0.25;

export interface ConfidenceSplit {
  /** The page with only the words kept (lines without any are gone; `text` rebuilt from the lines). */
  kept: OcrPage;
  dropped: OcrWord[];
}

function keep(word: OcrWord, line: OcrLine): boolean {
  if (word.confidence >= WORD_FLOOR) return true;
  return word.confidence >= IN_GOOD_LINE_FLOOR && line.confidence >= GOOD_LINE && /[\p{L}\p{N}]/u.test(word.text);
}

/**
 * Split a page's words by the confidence floor. Lines an engine gave without word boxes are judged as one word;
 * a page without lines (plain text only) is kept whole: there is nothing to judge it by but its mean.
 */
export function splitByConfidence(page: OcrPage): ConfidenceSplit {
  if (!page.lines.length) return { kept: page, dropped: [] };
  const dropped: OcrWord[] = [];
  const lines: OcrLine[] = [];
  for (const line of page.lines) {
    const words = line.words.length ? line.words : [{ text: line.text, confidence: line.confidence, bbox: line.bbox }];
    const kept = words.filter((w) => {
      const ok = keep(w, line);
      if (!ok && w.text.trim()) dropped.push(w);
      return ok;
    });
    if (!kept.length) continue;
    if (kept.length === words.length) {
      lines.push(line);
      continue;
    }
    const text = kept.map((w) => w.text).join(' ');
    lines.push({
      text,
      confidence: mean(kept.map((w) => ({ value: w.confidence, weight: w.text.length }))),
      bbox: {
        x0: Math.min(...kept.map((w) => w.bbox.x0)),
        y0: Math.min(...kept.map((w) => w.bbox.y0)),
        x1: Math.max(...kept.map((w) => w.bbox.x1)),
        y1: Math.max(...kept.map((w) => w.bbox.y1)),
      },
      words: line.words.length ? kept : [],
    });
  }
  const confidence = mean(
    lines.flatMap((l) => (l.words.length ? l.words : [l]).map((w) => ({ value: w.confidence, weight: w.text.length }))),
  );
  return { kept: { ...page, lines, text: lines.map((l) => l.text).join('\n'), confidence }, dropped };
}

/**
 * Mean confidence of the kept characters; a score (letters and digits read, weighted by confidence); and the
 * share of kept words that look like words (three or more characters, mostly letters or digits).
 */
export function readingQuality(page: OcrPage): { confidence: number; score: number; wordlike: number } {
  const { kept } = splitByConfidence(page);
  let score = 0;
  let words = 0;
  let wordlike = 0;
  for (const line of kept.lines) {
    for (const w of line.words.length ? line.words : [line]) {
      const signs = w.text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
      score += (signs * Math.max(0, w.confidence)) / 100;
      words++;
      if (signs >= 3 && signs >= 0.6 * w.text.length) wordlike++;
    }
  }
  return {
    confidence: kept.lines.length ? kept.confidence : page.confidence,
    score,
    wordlike: words ? wordlike / words : 1,
  };
}

/**
 * Why a reading may be wrong, or undefined. `inPicture(x, y)` tells whether a point (OCR pixels) lies in a
 * picture region: words dropped there were the picture's noise, not lost text.
 */
export function readingDoubt(split: ConfidenceSplit, inPicture: (x: number, y: number) => boolean): string | undefined {
  const { kept, dropped } = split;
  const keptChars = kept.lines.reduce((n, l) => n + l.text.length, 0);
  const lost = dropped
    .filter((w) => !inPicture((w.bbox.x0 + w.bbox.x1) / 2, (w.bbox.y0 + w.bbox.y1) / 2))
    .reduce((n, w) => n + w.text.length, 0);
  if (keptChars && kept.confidence < DOUBTFUL_CONFIDENCE) {
    return `OCR confidence is low (${Math.round(kept.confidence)}%): the text may be wrong`;
  }
  if (lost >= 20 && lost / (lost + keptChars) > DOUBTFUL_DROPPED) {
    const share = Math.round((100 * lost) / (lost + keptChars));
    return `${share}% of the text OCR found was too uncertain to keep: the text may be incomplete`;
  }
  return undefined;
}

function mean(items: { value: number; weight: number }[]): number {
  let sum = 0;
  let weight = 0;
  for (const { value, weight: w } of items) {
    sum += value * Math.max(1, w);
    weight += Math.max(1, w);
  }
  return weight ? sum / weight : 0;
}
