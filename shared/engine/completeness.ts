/**
 * Per-page completeness: how much of a page's source text (its PDF text layer, or the OCR text of a scan or an
 * image) reached the page's Markdown, how much was removed on purpose as furniture, and how much the Markdown
 * repeats beyond what the source repeats. Loss and duplication are never silent: a page over the thresholds
 * gets a `content_dropped` or `content_repeated` warning naming it.
 *
 * Characters are counted after normalising both sides the same way: NFKC, lower case, letters and digits only
 * (`\p{L}\p{N}`); whitespace, punctuation and Markdown syntax count neither way, and HTML tags the serializer adds
 * (`<sup>`, `<br>`), comments and link targets are removed from the Markdown first. Characters are compared as
 * multisets (how many `a`, how many `7`), so reordering (columns, tables) and re-joined hyphenated words are no
 * loss, while a missing line is. Glyph copies a converter read once on purpose (overprinted "fake bold") are
 * counted apart (`overprintChars`), like furniture: removed by design, not lost.
 */
import type { ConversionWarning, PageCompleteness, PageResult, PageSource } from './types.ts';

/**
 * `content_dropped` when more than this share of the page's non-furniture characters is missing from its
 * Markdown (and at least `MIN_DROPPED` characters: a lost invoice number is 10).
 */
export const DROPPED_SHARE = 0.05;
export const MIN_DROPPED = 10;
/** `content_repeated` when more than this share of the page's word 8-grams are surplus copies (and at least 3). */
export const REPEATED_SHARE = 0.1;
export const MIN_REPEATED = 3;
const GRAM = 8;

const COUNTABLE = /[\p{L}\p{N}]/u;
const WORD = /[\p{L}\p{N}]+/gu;

/** Markdown → the text it shows: tags the serializer writes, comments and link/image targets removed. */
function markdownText(md: string): string {
  return md
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?(?:sup|sub|br|b|i|u|s|em|strong|mark|span|div|p|a|img|del|ins)\b[^<>]*>/gi, ' ')
    .replace(/\]\([^()\s]*(?:\s+"[^"]*")?\)/g, '] ');
}

const normal = (s: string) => s.normalize('NFKC').toLowerCase();

function charCounts(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const ch of normal(text)) if (COUNTABLE.test(ch)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  return counts;
}

const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function gramCounts(text: string): Map<string, number> {
  const words = normal(text).match(WORD) ?? [];
  const counts = new Map<string, number>();
  for (let i = 0; i + GRAM <= words.length; i++) {
    const g = words.slice(i, i + GRAM).join(' ');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}

/**
 * Figures and warnings for each page that has a source. Content a converter moves to the page before (a table
 * continued over a page break is joined to its start) is covered by that page's surplus; repetition is judged
 * against the 8-grams of the page and its two neighbours, for the same reason.
 */
export function checkCompleteness(
  sources: PageSource[],
  pages: PageResult[],
): { figures: Map<number, PageCompleteness>; warnings: ConversionWarning[] } {
  const markdownOf = new Map(pages.map((p) => [p.page, markdownText(p.markdown)]));
  const ordered = [...sources].sort((a, b) => a.page - b.page);
  const grams = ordered.map((s) => gramCounts(s.text));
  const figures = new Map<number, PageCompleteness>();
  const warnings: ConversionWarning[] = [];
  let carry = new Map<string, number>(); // the previous page's output beyond its own source
  ordered.forEach((source, i) => {
    const out = charCounts(markdownOf.get(source.page) ?? '');
    const inp = charCounts(source.text);
    const furniture = charCounts(source.furnitureLines.join(' '));
    // Overprinted copies (fake bold) are read once on purpose: like furniture, removed by design, not lost.
    const copies = charCounts(source.overprintCopies ?? '');
    const expected = new Map(inp);
    for (const [ch, n] of furniture) expected.set(ch, Math.max(0, (expected.get(ch) ?? 0) - n));
    let overprintChars = 0;
    for (const [ch, n] of copies) {
      const have = expected.get(ch) ?? 0;
      overprintChars += Math.min(have, n);
      expected.set(ch, Math.max(0, have - n));
    }
    let missing = 0;
    const surplus = new Map<string, number>();
    for (const [ch, n] of expected) {
      const have = out.get(ch) ?? 0;
      const short = Math.max(0, n - have);
      const fromBefore = Math.min(short, carry.get(ch) ?? 0);
      missing += short - fromBefore;
    }
    for (const [ch, n] of out) {
      const extra = n - (expected.get(ch) ?? 0);
      if (extra > 0) surplus.set(ch, extra);
    }
    carry = surplus;

    const outGrams = gramCounts(markdownOf.get(source.page) ?? '');
    let gramsOut = 0;
    let excess = 0;
    for (const [g, n] of outGrams) {
      gramsOut += n;
      const allowed = (grams[i - 1]?.get(g) ?? 0) + (grams[i].get(g) ?? 0) + (grams[i + 1]?.get(g) ?? 0);
      excess += Math.max(0, n - Math.max(1, allowed));
    }
    const repeatedShare = gramsOut ? excess / gramsOut : 0;
    const textLayerChars = total(inp);
    const furnitureChars = Math.min(textLayerChars, total(furniture));
    figures.set(source.page, {
      textLayerChars,
      outputChars: total(out),
      furnitureChars,
      furnitureLines: source.furnitureLines,
      ...(overprintChars ? { overprintChars } : {}),
      missingChars: missing,
      repeatedShare: Math.round(repeatedShare * 1000) / 1000,
    });
    const base = textLayerChars - furnitureChars - overprintChars;
    if (missing >= MIN_DROPPED && missing > DROPPED_SHARE * base)
      warnings.push({
        code: 'content_dropped',
        message: `page ${source.page}: ${missing} of ${base} characters of its text (furniture aside) did not reach the Markdown`,
        page: source.page,
      });
    if (excess >= MIN_REPEATED && repeatedShare > REPEATED_SHARE)
      warnings.push({
        code: 'content_repeated',
        message: `page ${source.page}: ${Math.round(repeatedShare * 100)}% of its Markdown repeats text the page does not repeat`,
        page: source.page,
      });
  });
  return { figures, warnings };
}
