/**
 * PostScript glyph names → Unicode, for fonts whose only clue to their characters is the names in their `post`
 * table. Follows the Adobe Glyph List Specification's algorithm (github.com/adobe-type-tools/agl-specification):
 * drop everything from the first period (`a.sc` → `a`), split ligatures at underscores (`f_i` → "fi"), read
 * `uniXXXX[XXXX…]` and `uXXXX[XX]` as code points; other names come from a small table here: the ASCII names,
 * the Latin letters with accents (built as base letter + combining accent, then composed: `ecaron` → "ě"), and
 * the common punctuation and symbols. A name not covered yields `undefined`, never a guess.
 */

/** The 258 standard Macintosh glyph names, indexed as `post` format 2.0 refers to them (OpenType `post` spec). */
export const MAC_STANDARD_NAMES: readonly string[] = (
  '.notdef .null nonmarkingreturn space exclam quotedbl numbersign dollar percent ampersand quotesingle ' +
  'parenleft parenright asterisk plus comma hyphen period slash zero one two three four five six seven eight ' +
  'nine colon semicolon less equal greater question at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z ' +
  'bracketleft backslash bracketright asciicircum underscore grave a b c d e f g h i j k l m n o p q r s t u v ' +
  'w x y z braceleft bar braceright asciitilde Adieresis Aring Ccedilla Eacute Ntilde Odieresis Udieresis ' +
  'aacute agrave acircumflex adieresis atilde aring ccedilla eacute egrave ecircumflex edieresis iacute igrave ' +
  'icircumflex idieresis ntilde oacute ograve ocircumflex odieresis otilde uacute ugrave ucircumflex udieresis ' +
  'dagger degree cent sterling section bullet paragraph germandbls registered copyright trademark acute ' +
  'dieresis notequal AE Oslash infinity plusminus lessequal greaterequal yen mu partialdiff summation product ' +
  'pi integral ordfeminine ordmasculine Omega ae oslash questiondown exclamdown logicalnot radical florin ' +
  'approxequal Delta guillemotleft guillemotright ellipsis nonbreakingspace Agrave Atilde Otilde OE oe endash ' +
  'emdash quotedblleft quotedblright quoteleft quoteright divide lozenge ydieresis Ydieresis fraction currency ' +
  'guilsinglleft guilsinglright fi fl daggerdbl periodcentered quotesinglbase quotedblbase perthousand ' +
  'Acircumflex Ecircumflex Aacute Edieresis Egrave Iacute Icircumflex Idieresis Igrave Oacute Ocircumflex apple ' +
  'Ograve Uacute Ucircumflex Ugrave dotlessi circumflex tilde macron breve dotaccent ring cedilla hungarumlaut ' +
  'ogonek caron Lslash lslash Scaron scaron Zcaron zcaron brokenbar Eth eth Yacute yacute Thorn thorn minus ' +
  'multiply onesuperior twosuperior threesuperior onehalf onequarter threequarters franc Gbreve gbreve ' +
  'Idotaccent Scedilla scedilla Cacute cacute Ccaron ccaron dcroat'
).split(' ');

/** Names of single characters (AGL), bar the letters and the accented letters built below. */
const NAMED: Record<string, string> = {
  space: ' ',
  nonbreakingspace: '\u00a0',
  exclam: '!',
  quotedbl: '"',
  numbersign: '#',
  dollar: '$',
  percent: '%',
  ampersand: '&',
  quotesingle: "'",
  parenleft: '(',
  parenright: ')',
  asterisk: '*',
  plus: '+',
  comma: ',',
  hyphen: '-',
  period: '.',
  slash: '/',
  zero: '0',
  one: '1',
  two: '2',
  three: '3',
  four: '4',
  five: '5',
  six: '6',
  seven: '7',
  eight: '8',
  nine: '9',
  colon: ':',
  semicolon: ';',
  less: '<',
  equal: '=',
  greater: '>',
  question: '?',
  at: '@',
  bracketleft: '[',
  backslash: '\\',
  bracketright: ']',
  asciicircum: '^',
  underscore: '_',
  grave: '`',
  braceleft: '{',
  bar: '|',
  braceright: '}',
  asciitilde: '~',
  dagger: '†',
  daggerdbl: '‡',
  degree: '°',
  cent: '¢',
  sterling: '£',
  section: '§',
  bullet: '•',
  paragraph: '¶',
  germandbls: 'ß',
  registered: '®',
  copyright: '©',
  trademark: '™',
  acute: '´',
  dieresis: '¨',
  notequal: '≠',
  AE: 'Æ',
  ae: 'æ',
  OE: 'Œ',
  oe: 'œ',
  Oslash: 'Ø',
  oslash: 'ø',
  infinity: '∞',
  plusminus: '±',
  lessequal: '≤',
  greaterequal: '≥',
  yen: '¥',
  mu: 'µ',
  partialdiff: '∂',
  summation: '∑',
  product: '∏',
  pi: 'π',
  integral: '∫',
  ordfeminine: 'ª',
  ordmasculine: 'º',
  Omega: 'Ω',
  questiondown: '¿',
  exclamdown: '¡',
  logicalnot: '¬',
  radical: '√',
  florin: 'ƒ',
  approxequal: '≈',
  Delta: '∆',
  guillemotleft: '«',
  guillemotright: '»',
  ellipsis: '…',
  endash: '–',
  emdash: '—',
  quotedblleft: '“',
  quotedblright: '”',
  quoteleft: '‘',
  quoteright: '’',
  divide: '÷',
  lozenge: '◊',
  fraction: '⁄',
  currency: '¤',
  guilsinglleft: '‹',
  guilsinglright: '›',
  fi: 'fi',
  fl: 'fl',
  ff: 'ff',
  ffi: 'ffi',
  ffl: 'ffl',
  periodcentered: '·',
  quotesinglbase: '‚',
  quotedblbase: '„',
  perthousand: '‰',
  dotlessi: 'ı',
  circumflex: 'ˆ',
  tilde: '˜',
  macron: '¯',
  breve: '˘',
  dotaccent: '˙',
  ring: '˚',
  cedilla: '¸',
  hungarumlaut: '˝',
  ogonek: '˛',
  caron: 'ˇ',
  Lslash: 'Ł',
  lslash: 'ł',
  brokenbar: '¦',
  Eth: 'Ð',
  eth: 'ð',
  Thorn: 'Þ',
  thorn: 'þ',
  minus: '−',
  multiply: '×',
  onesuperior: '¹',
  twosuperior: '²',
  threesuperior: '³',
  onehalf: '½',
  onequarter: '¼',
  threequarters: '¾',
  franc: '₣',
  dcroat: 'đ',
  Dcroat: 'Đ',
  Euro: '€',
  euro: '€',
  hbar: 'ħ',
  Hbar: 'Ħ',
  kgreenlandic: 'ĸ',
  napostrophe: 'ŉ',
  Eng: 'Ŋ',
  eng: 'ŋ',
  IJ: 'Ĳ',
  ij: 'ĳ',
  Tbar: 'Ŧ',
  tbar: 'ŧ',
  longs: 'ſ',
  Ldot: 'Ŀ',
  ldot: 'ŀ',
  dotlessj: 'ȷ',
  numero: '№',
  estimated: '℮',
  minute: '′',
  second: '″',
  arrowleft: '←',
  arrowright: '→',
  arrowup: '↑',
  arrowdown: '↓',
  checkmark: '✓',
  uni00A0: '\u00a0',
};

/** Accent suffixes of the AGL's Latin letter names → the combining mark they put on the base letter. */
const ACCENTS: [string, string][] = [
  ['circumflex', '\u0302'],
  ['hungarumlaut', '\u030b'],
  ['dotaccent', '\u0307'],
  ['commaaccent', '\u0326'],
  ['dieresis', '\u0308'],
  ['cedilla', '\u0327'],
  ['macron', '\u0304'],
  ['ogonek', '\u0328'],
  ['acute', '\u0301'],
  ['grave', '\u0300'],
  ['tilde', '\u0303'],
  ['caron', '\u030c'],
  ['breve', '\u0306'],
  ['ring', '\u030a'],
];

/** One name component (no period, no underscore) → its text. */
function component(name: string): string | undefined {
  const named = NAMED[name];
  if (named) return named;
  if (/^[A-Za-z]$/.test(name)) return name;
  let m = /^uni((?:[0-9A-F]{4})+)$/.exec(name);
  if (m) {
    const units = m[1].match(/.{4}/g)!.map((h) => parseInt(h, 16));
    // Surrogates are not characters in a uni name (AGL spec: such a name maps to nothing).
    if (units.some((u) => u >= 0xd800 && u <= 0xdfff)) return undefined;
    return String.fromCodePoint(...units);
  }
  m = /^u([0-9A-F]{4,6})$/.exec(name);
  if (m) {
    const cp = parseInt(m[1], 16);
    return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : undefined;
  }
  // An accented Latin letter: base letter, then one accent name (`Scaron`, `eogonek`, `Idotaccent`).
  if (/^[A-Za-z][a-z]+$/.test(name)) {
    for (const [suffix, mark] of ACCENTS) {
      if (name.length === suffix.length + 1 && name.endsWith(suffix)) {
        const composed = (name[0] + mark).normalize('NFC');
        // A pair Unicode has no precomposed letter for is not a name the AGL defines: no guess.
        return [...composed].length === 1 ? composed : undefined;
      }
    }
  }
  return undefined;
}

/** The text a glyph named `name` draws, or `undefined` when the name is unknown or names nothing (`.notdef`). */
export function glyphNameToUnicode(name: string): string | undefined {
  const stem = name.split('.')[0];
  if (!stem || stem.length > 64) return undefined;
  const parts = stem.split('_').map(component);
  return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
}
