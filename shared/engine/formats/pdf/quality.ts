/**
 * Is a text layer usable? A font with no usable Unicode mapping (no ToUnicode map on an Identity-H CID font, a
 * simple font whose encoding or ToUnicode map points at the wrong characters) makes pdf.js hand over glyph ids or
 * codes read as characters: text that renders clearly but reads as garbage. It is told from real text by
 * three rules, over the text of one font (or of a page), counting non-space characters:
 *
 * - G1 unmapped: more than 40% are U+FFFD, private-use (U+E000–U+F8FF, planes 15–16) or C0/C1 control
 *   characters: glyphs without any mapping.
 * - G2 vowelless words: of the Latin-script words with 5 or more letters, at least half (and at least 2) have no
 *   vowel (a e i o u y æ ø œ, with any accent). Real words in every Latin-script language have vowels, bar the
 *   rare Czech/Slovak "čtvrt" or an acronym; glyph ids read as codes shift letters by a constant (TrueType's
 *   standard glyph order puts `a` at 68, so "e" reads "H", "prostředky" reads "SURVWĜHGN\"), and vowels land
 *   on consonants.
 * - G3 control characters: at least 2, and at least 5%, are C0 controls (U+0001–U+001F bar tab, line feed and
 *   carriage return). Glyph 3 is the space in that same glyph order: a word space read as a glyph id is U+0003.
 *
 * Whitespace counts neither way; words are split at whitespace and control characters.
 */

export type TextQuality = 'ok' | 'empty' | 'garbled';

interface Tally {
  chars: number;
  unmapped: number;
  controls: number;
  longWords: number;
  vowelless: number;
}

const LONG_WORD = 5;
const VOWELS = new Set([...'aeiouyæøœ']);
const ASCII_VOWELS = new Set([...'aeiouy'].map((c) => c.charCodeAt(0)));
const LETTER = /\p{L}/u;
const LATIN = /\p{Script=Latin}/u;

const IS_LETTER = 1;
const IS_LATIN = 2;
const IS_VOWEL = 4;
const TESTED = 8;
/**
 * What `letterKind` found for each BMP code point, kept: testing the expressions and the decomposition per
 * character cost ~170 ns each, and text in non-Latin scripts is mostly such characters (profiled: a Korean page
 * set was most of a 360-page PDF's quality checks).
 */
const bmpKinds = new Uint8Array(0x10000);

/** IS_LETTER, IS_LATIN (Latin script) and IS_VOWEL (its base letter, lower-cased, is a vowel) of a code point. */
function letterKind(cp: number): number {
  if (cp <= 0xffff && bmpKinds[cp] & TESTED) return bmpKinds[cp];
  const ch = String.fromCodePoint(cp);
  let kind = TESTED;
  if (LETTER.test(ch)) {
    kind |= IS_LETTER;
    if (LATIN.test(ch)) kind |= IS_LATIN;
    if (VOWELS.has(ch.normalize('NFD')[0].toLowerCase())) kind |= IS_VOWEL;
  }
  if (cp <= 0xffff) bmpKinds[cp] = kind;
  return kind;
}

const isSpace = (cp: number) =>
  cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp === 0x3000;
const isControl = (cp: number) => cp < 0x20 && cp !== 0x09 && cp !== 0x0a && cp !== 0x0d;

function tally(text: string): Tally {
  const t: Tally = { chars: 0, unmapped: 0, controls: 0, longWords: 0, vowelless: 0 };
  let letters = 0;
  let latin = true;
  let vowel = false;
  const endWord = () => {
    if (letters >= LONG_WORD && latin) {
      t.longWords++;
      if (!vowel) t.vowelless++;
    }
    letters = 0;
    latin = true;
    vowel = false;
  };
  // By index, not `for…of`: the iterator makes a string per character, which profiled as most of this
  // function's time on long text PDFs; a non-ASCII character is made a string only where a test needs it.
  for (let i = 0; i < text.length; i++) {
    const cp = text.codePointAt(i)!;
    if (cp > 0xffff) i++;
    if (isSpace(cp)) {
      endWord();
      continue;
    }
    t.chars++;
    if (cp === 0xfffd || (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
      t.unmapped++;
    if (isControl(cp)) {
      t.controls++;
      endWord();
      continue;
    }
    if (cp < 0x80) {
      // ASCII (most text): the same tests without a regular expression or a normalisation per character.
      const lower = cp | 0x20;
      if (lower < 0x61 || lower > 0x7a) continue;
      letters++;
      if (ASCII_VOWELS.has(lower)) vowel = true;
      continue;
    }
    const kind = letterKind(cp);
    if (!(kind & IS_LETTER)) continue;
    letters++;
    if (!(kind & IS_LATIN)) latin = false;
    if (kind & IS_VOWEL) vowel = true;
  }
  endWord();
  return t;
}

function verdict(t: Tally): TextQuality {
  if (t.chars === 0) return 'empty';
  if (t.unmapped / t.chars > 0.4) return 'garbled'; // G1
  if (t.vowelless >= 2 && t.vowelless * 2 >= t.longWords) return 'garbled'; // G2
  if (t.controls >= 2 && t.controls >= 0.05 * t.chars) return 'garbled'; // G3
  return 'ok';
}

/** The verdict on one text (a page's or a font's): `empty` when it has no non-space character. */
export function assessText(text: string): TextQuality {
  return verdict(tally(text));
}

/**
 * A font with fewer non-space characters on a page than this is not judged: a few unmapped symbols from a symbol
 * font (bullets, brackets, check marks in private-use code points) are no text of garbage, and pass as before.
 */
const MIN_FONT_CHARS = 8;

/**
 * Fonts whose text on a page is garbled, judged per font over the raw item strings (before control characters
 * are stripped: they are evidence). `items` are pdf.js text items: `str` and `fontName`.
 */
export function garbledFonts(items: readonly { str: string; fontName: string }[]): Set<string> {
  const byFont = new Map<string, string[]>();
  for (const i of items) {
    if (!i.str) continue;
    const list = byFont.get(i.fontName);
    if (list) list.push(i.str);
    else byFont.set(i.fontName, [i.str]);
  }
  const out = new Set<string>();
  for (const [font, strings] of byFont) {
    const t = tally(strings.join(' '));
    if (t.chars >= MIN_FONT_CHARS && verdict(t) === 'garbled') out.add(font);
  }
  return out;
}
