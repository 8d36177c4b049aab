/** `w:sym` characters: Symbol-font code points map onto Unicode; private-use offsets (F0xx) are undone first. */

const SYMBOL_FONT: Record<number, string> = {
  0x61: 'α',
  0x62: 'β',
  0x63: 'χ',
  0x64: 'δ',
  0x65: 'ε',
  0x66: 'φ',
  0x67: 'γ',
  0x68: 'η',
  0x69: 'ι',
  0x6a: 'ϕ',
  0x6b: 'κ',
  0x6c: 'λ',
  0x6d: 'μ',
  0x6e: 'ν',
  0x6f: 'ο',
  0x70: 'π',
  0x71: 'θ',
  0x72: 'ρ',
  0x73: 'σ',
  0x74: 'τ',
  0x75: 'υ',
  0x77: 'ω',
  0x78: 'ξ',
  0x79: 'ψ',
  0x7a: 'ζ',
  0x41: 'Α',
  0x42: 'Β',
  0x43: 'Χ',
  0x44: 'Δ',
  0x45: 'Ε',
  0x46: 'Φ',
  0x47: 'Γ',
  0x48: 'Η',
  0x49: 'Ι',
  0x4b: 'Κ',
  0x4c: 'Λ',
  0x4d: 'Μ',
  0x4e: 'Ν',
  0x4f: 'Ο',
  0x50: 'Π',
  0x51: 'Θ',
  0x52: 'Ρ',
  0x53: 'Σ',
  0x54: 'Τ',
  0x55: 'Υ',
  0x57: 'Ω',
  0x58: 'Ξ',
  0x59: 'Ψ',
  0x5a: 'Ζ',
  0xa3: '≤',
  0xa5: '∞',
  0xab: '↔',
  0xac: '←',
  0xad: '↑',
  0xae: '→',
  0xaf: '↓',
  0xb0: '°',
  0xb1: '±',
  0xb3: '≥',
  0xb4: '×',
  0xb5: '∝',
  0xb6: '∂',
  0xb7: '•',
  0xb8: '÷',
  0xb9: '≠',
  0xba: '≡',
  0xbb: '≈',
  0xbc: '…',
  0xce: '∈',
  0xd1: '∇',
  0xd6: '√',
  0xd7: '⋅',
  0xd9: '∧',
  0xda: '∨',
  0xdb: '⇔',
  0xde: '⇒',
  0xe5: '∑',
  0xf2: '∫',
};

/**
 * The few Wingdings glyphs that carry meaning in text: check boxes and marks, as documents use them for
 * hand-made forms and check lists (code points from the Wingdings code chart; U+1F5F8-style pictographs are
 * given as their common BMP equivalents, which every font has).
 */
const WINGDINGS: Record<number, string> = {
  0x6f: '\u2610', // white square used as an empty box
  0xa8: '\u2610', // medium white square
  0xfb: '\u2717', // ballot X
  0xfc: '\u2713', // check mark
  0xfd: '\u2612', // ballot box with X
  0xfe: '\u2611', // ballot box with check
};

export function symbolChar(font: string | undefined, code: string | undefined): string {
  if (!code) return '';
  let n = parseInt(code, 16);
  if (!Number.isFinite(n) || n <= 0) return '';
  if (n >= 0xf000 && n <= 0xf0ff) n -= 0xf000;
  const f = (font ?? '').toLowerCase();
  if (f === 'symbol') return SYMBOL_FONT[n] ?? (n >= 0x20 && n < 0x7f ? String.fromCodePoint(n) : '');
  if (f === 'wingdings') return WINGDINGS[n] ?? '';
  // Other pictograph fonts (arrows, ornaments) have no reliable text meaning.
  if (/wingdings|webdings|marlett/.test(f)) return '';
  return n >= 0x20 ? String.fromCodePoint(n) : '';
}
