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

const COUNTABLE = /^[\p{L}\p{N}]$/u;

/**
 * Whether a BMP code point is a letter or digit, tested once per code point and kept: a regular expression with
 * Unicode properties over every character was most of the check's time (profiled: 360 pages, ~1.7 M characters).
 * 0 untested, 1 yes, 2 no.
 */
const bmpClass = new Uint8Array(0x10000);

function countable(cp: number): boolean {
  if (cp > 0xffff) return COUNTABLE.test(String.fromCodePoint(cp));
  if (bmpClass[cp] === 0) bmpClass[cp] = COUNTABLE.test(String.fromCharCode(cp)) ? 1 : 2;
  return bmpClass[cp] === 1;
}

/** Markdown → the text it shows: tags the serializer writes, comments and link/image targets removed. */
function markdownText(md: string): string {
  return md
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/<\/?(?:sup|sub|br|b|i|u|s|em|strong|mark|span|div|p|a|img|del|ins)\b[^<>]*>/gi, ' ')
    .replace(/\]\([^()\s]*(?:\s+"[^"]*")?\)/g, '] ');
}

const normal = (s: string) => s.normalize('NFKC').toLowerCase();

/** How many of each letter or digit, keyed by code point (numbers: cheaper to hash than one-character strings). */
type CharCounts = Map<number, number>;

/** Scratch counts of the BMP's code points, zeroed after each use (a conversion runs on one thread at a time). */
const bmp = new Uint32Array(0x10000);

function charCounts(text: string): CharCounts {
  const chars = normal(text);
  const counts: CharCounts = new Map();
  const seen: number[] = [];
  for (let i = 0; i < chars.length; i++) {
    const cp = chars.codePointAt(i)!;
    if (cp > 0xffff) {
      i++;
      if (countable(cp)) counts.set(cp, (counts.get(cp) ?? 0) + 1);
    } else if (bmp[cp]++ === 0) seen.push(cp);
  }
  for (const cp of seen) {
    if (countable(cp)) counts.set(cp, bmp[cp]);
    bmp[cp] = 0;
  }
  return counts;
}

const total = (m: CharCounts) => {
  let sum = 0;
  for (const n of m.values()) sum += n;
  return sum;
};

/**
 * A text's words as numbers (`ids` is shared by every text of one check, so equal words get equal numbers), two
 * 16-bit units per word: a gram's key is then 16 units whatever its words' length.
 */
function wordUnits(text: string, ids: Map<string, number>): number[] {
  const chars = normal(text);
  const units: number[] = [];
  const word = (from: number, to: number) => {
    const w = chars.slice(from, to);
    let id = ids.get(w);
    if (id === undefined) ids.set(w, (id = ids.size));
    units.push(id >>> 16, id & 0xffff);
  };
  // Words are the longest runs of letters and digits.
  let start = -1;
  for (let i = 0; i < chars.length; i++) {
    const cp = chars.codePointAt(i)!;
    const yes = countable(cp);
    if (yes && start < 0) start = i;
    else if (!yes && start >= 0) {
      word(start, i);
      start = -1;
    }
    if (cp > 0xffff) i++;
  }
  if (start >= 0) word(start, chars.length);
  return units;
}

const gramCount = (units: number[]) => Math.max(0, units.length / 2 - GRAM + 1);

/** The key of the 8-gram starting at word `i`. */
function gramKey(u: number[], i: number): string {
  const k = 2 * i;
  return String.fromCharCode(
    u[k], u[k + 1], u[k + 2], u[k + 3], u[k + 4], u[k + 5], u[k + 6], u[k + 7],
    u[k + 8], u[k + 9], u[k + 10], u[k + 11], u[k + 12], u[k + 13], u[k + 14], u[k + 15],
  ); // prettier-ignore
}

/** How often each gram of `units` in `only` occurs. */
function gramCounts(units: number[], only: ReadonlySet<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0, n = gramCount(units); i < n; i++) {
    const g = gramKey(units, i);
    if (only.has(g)) counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  return counts;
}

/**
 * The grams `units` holds more than once, with their counts. Each gram is first hashed from its word numbers;
 * only grams whose hash occurs twice get a key: most pages repeat no 8-gram, and building a key for every gram
 * was the check's largest cost after the counting of characters.
 */
function repeatedGrams(units: number[]): Map<string, number> {
  const n = gramCount(units);
  const hashes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let k = 2 * i; k < 2 * (i + GRAM); k++) h = Math.imul(h ^ units[k], 0x01000193);
    hashes[i] = h;
  }
  const sorted = hashes.slice().sort();
  const twice = new Set<number>();
  for (let i = 1; i < n; i++) if (sorted[i] === sorted[i - 1]) twice.add(sorted[i]);
  const counts = new Map<string, number>();
  if (twice.size === 0) return counts;
  for (let i = 0; i < n; i++) {
    if (!twice.has(hashes[i])) continue;
    const g = gramKey(units, i);
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  for (const [g, c] of counts) if (c < 2) counts.delete(g);
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
  // Only a gram the page's Markdown holds twice or more can be surplus, so a source's grams are counted only for
  // those, and only for pages that have one (profiled: counting every source gram was 60% of the check).
  const ids = new Map<string, number>();
  const sourceUnits = new Map<number, number[]>();
  const unitsOf = (j: number) => {
    if (!sourceUnits.has(j)) sourceUnits.set(j, wordUnits(ordered[j].text, ids));
    return sourceUnits.get(j)!;
  };
  const figures = new Map<number, PageCompleteness>();
  const warnings: ConversionWarning[] = [];
  let carry: CharCounts = new Map(); // the previous page's output beyond its own source
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
    const surplus: CharCounts = new Map();
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

    const outUnits = wordUnits(markdownOf.get(source.page) ?? '', ids);
    const gramsOut = gramCount(outUnits);
    const repeated = repeatedGrams(outUnits);
    let excess = 0;
    if (repeated.size) {
      const wanted = new Set(repeated.keys());
      const near = [i - 1, i, i + 1].flatMap((j) => (ordered[j] ? [gramCounts(unitsOf(j), wanted)] : []));
      for (const [g, n] of repeated) {
        const allowed = near.reduce((sum, counts) => sum + (counts.get(g) ?? 0), 0);
        excess += Math.max(0, n - Math.max(1, allowed));
      }
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
