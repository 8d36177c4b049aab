/**
 * List items recognised by their markers: bullets of many shapes (including the Symbol and Wingdings glyphs
 * that a font without a proper Unicode mapping hands over as private-use code points), and numbers or letters
 * like `1.`, `2)`, `(3)`, `[4]` (a bibliography entry), `a.`, `(b)`, `iv.`, `(ii)`.
 */

/** Bullet characters as Unicode has them. */
const BULLETS = '•●○◦▪▫■□‣⁃∙·➢➤►▶▸▹✓✔✗✘◆◇❖❑❒☐☑☒→⇒➔⦁⦾⦿–—−';

/**
 * Symbol and Wingdings bullets as their private-use code points (U+F000 + the font's own code, which is what
 * a symbol font's (3,0) cmap yields; Microsoft Word writes its default bullets this way: Symbol 0xB7 for the
 * first level, Wingdings 0xA7 for the third) → the Unicode character they show. Source: the Symbol and Wingdings
 * code charts (Adobe Symbol encoding; Microsoft Wingdings character set).
 */
const PRIVATE_USE_BULLETS: Record<string, string> = {
  '\uf0b7': '•', // Symbol bullet
  '\uf02d': '−', // Symbol minus
  '\uf0ae': '→', // Symbol arrow right
  '\uf0de': '⇒', // Symbol double arrow right
  '\uf06c': '●', // Wingdings l: black circle
  '\uf06d': '○', // Wingdings m: shadowed white circle
  '\uf06e': '■', // Wingdings n: black square
  '\uf06f': '□', // Wingdings o: white square
  '\uf070': '□', // Wingdings p: white square
  '\uf071': '❑', // Wingdings q
  '\uf072': '❒', // Wingdings r
  '\uf073': '◆', // Wingdings s: black diamond
  '\uf074': '◆', // Wingdings t: black diamond (small)
  '\uf075': '◆', // Wingdings u: black diamond
  '\uf076': '❖', // Wingdings v
  '\uf09f': '•', // Wingdings small bullet
  '\uf0a1': '○', // Wingdings white circle
  '\uf0a7': '▪', // Wingdings small black square (Word's third-level bullet)
  '\uf0a8': '◻', // Wingdings white square
  '\uf0d8': '➢', // Wingdings arrowhead
  '\uf0e0': '➔', // Wingdings arrow
  '\uf0e8': '➔', // Wingdings heavy arrow
  '\uf0fb': '✗', // Wingdings ballot x
  '\uf0fc': '✓', // Wingdings check mark
  '\uf0fe': '☑', // Wingdings ballot box with check
};

const PUA_CLASS = Object.keys(PRIVATE_USE_BULLETS).join('');
const BULLET = new RegExp(`^(?:[${BULLETS}${PUA_CLASS}]|[-*+](?=\\s))\\s*`, 'u');

/**
 * Arabic numbers: `1.` `1)` `(1)`; no section numbers (`2.3`), nothing glued to its text, and at most two digits
 * in parentheses (`(415) 555-0199` is a telephone number).
 */
const NUMBERED = /^(?:(\d{1,3})[.)]|\((\d{1,2})\))\s+(?=\S)/;
/** Bracketed numbers opening a bibliography entry: `[12]`. */
const BRACKETED = /^\[(\d{1,3})\]\s+(?=\S)/;
/** Letters: `a.` `a)` `(a)`, upper or lower case; a single letter only. */
const LETTERED = /^(?:([a-zA-Z])[.)]|\(([a-zA-Z])\))\s+(?=\S)/;
/** Roman numerals up to 39: `iv.` `iv)` `(iv)`, lower or upper case. */
const ROMAN = /^(?:(x{0,3}(?:ix|iv|v?i{0,3}))[.)]|\((x{0,3}(?:ix|iv|v?i{0,3}))\))\s+(?=\S)/i;

export interface ListMarker {
  ordered: boolean;
  /** For ordered items: the number (letters count a = 1, roman numerals their value). */
  number?: number;
  /** How the number is written: sibling items share a kind, a change of kind is a different list. */
  kind?: 'decimal' | 'parenthesized' | 'bracketed' | 'alpha' | 'roman';
  /**
   * A marker that can also start an ordinary line of prose (a letter or roman numeral, `A. Smith`, `I. Newton`):
   * it starts a list item only with more evidence (see `linesToBlocks`).
   */
  weak?: boolean;
  /** The marker as printed (`1.`, `(a)`, `•`). */
  marker: string;
  /** The item text without its marker. */
  rest: string;
}

export function listMarker(text: string): ListMarker | undefined {
  const bullet = BULLET.exec(text);
  if (bullet && text.length > bullet[0].length) {
    return { ordered: false, marker: bullet[0].trim(), rest: text.slice(bullet[0].length) };
  }
  const numbered = NUMBERED.exec(text);
  if (numbered) {
    const number = Number(numbered[1] ?? numbered[2]);
    const kind = numbered[1] ? 'decimal' : 'parenthesized';
    return { ordered: true, number, kind, marker: numbered[0].trim(), rest: text.slice(numbered[0].length) };
  }
  const bracketed = BRACKETED.exec(text);
  if (bracketed) {
    // `[12]` also opens a wrapped line that starts with a citation: weak, like a letter.
    const number = Number(bracketed[1]);
    return {
      ordered: true,
      number,
      kind: 'bracketed',
      weak: true,
      marker: bracketed[0].trim(),
      rest: text.slice(bracketed[0].length),
    };
  }
  const roman = ROMAN.exec(text);
  const numeral = roman?.[1] || roman?.[2];
  // A lone `i`/`v`/`x` reads as a letter too; it is taken as roman (the common case in legal and academic lists),
  // and `kindOf` below lets a list started with `a.` keep `i.` as its ninth letter.
  if (roman && numeral) {
    return {
      ordered: true,
      number: romanValue(numeral),
      kind: 'roman',
      weak: true,
      marker: roman[0].trim(),
      rest: text.slice(roman[0].length),
    };
  }
  const lettered = LETTERED.exec(text);
  if (lettered) {
    const letter = (lettered[1] ?? lettered[2]).toLowerCase();
    return {
      ordered: true,
      number: letter.charCodeAt(0) - 96,
      kind: 'alpha',
      weak: true,
      marker: lettered[0].trim(),
      rest: text.slice(lettered[0].length),
    };
  }
  return undefined;
}

/**
 * Whether `next` continues the numbering of `prev` (the item after it in the same list): the next number,
 * letter or numeral of the same kind; a single letter that is also a roman numeral (`i`, `v`, `x`) counts as
 * either.
 */
export function continuesList(prev: ListMarker, next: ListMarker): boolean {
  if (!prev.ordered || !next.ordered) return !prev.ordered && !next.ordered;
  if (prev.kind === next.kind && next.number === (prev.number ?? 0) + 1) return true;
  // `h.` then `i.`: the letter i, read as a roman one.
  const letter = (m: ListMarker) => /^\(?([a-z])[.)]?\)?$/i.exec(m.marker)?.[1]?.toLowerCase();
  const a = letter(prev);
  const b = letter(next);
  return !!a && !!b && b.charCodeAt(0) === a.charCodeAt(0) + 1;
}

function romanValue(numeral: string): number {
  const value: Record<string, number> = { i: 1, v: 5, x: 10 };
  const digits = [...numeral.toLowerCase()].map((c) => value[c]);
  return digits.reduce((sum, d, i) => sum + (d < (digits[i + 1] ?? 0) ? -d : d), 0);
}

/** The Unicode bullet a lone glyph shows, or undefined when it is no bullet. */
export function bulletGlyph(text: string): string | undefined {
  const t = text.trim();
  if (PRIVATE_USE_BULLETS[t]) return PRIVATE_USE_BULLETS[t];
  // Any other lone private-use glyph (a symbol font's dingbat with no Unicode meaning) reads as a plain bullet
  // only where it opens a line apart from its text: see `lineStartBullet` in lines.ts.
  return t.length === 1 && BULLETS.includes(t) && !'–—−'.includes(t) ? t : undefined;
}

/** A run that is nothing but a bullet glyph (drawn apart from its text). */
export const isBulletGlyph = (text: string) => bulletGlyph(text) !== undefined;

/** A single private-use character (a symbol font's glyph without a Unicode meaning). */
export const isPrivateUseGlyph = (text: string) => /^[\ue000-\uf8ff]$/u.test(text.trim());
