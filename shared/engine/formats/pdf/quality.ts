/** Is a page's text layer usable? Empty pages and pages of unmapped glyphs (private-use, U+FFFD) need OCR. */

export type TextQuality = 'ok' | 'empty' | 'garbled';

export function assessText(text: string): TextQuality {
  let letters = 0;
  let bad = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    // Whitespace (ASCII, no-break and the Unicode spaces) does not count either way.
    if (cp === 0x20 || (cp >= 0x09 && cp <= 0x0d) || cp === 0xa0 || (cp >= 0x2000 && cp <= 0x200b) || cp === 0x3000)
      continue;
    letters++;
    if (cp === 0xfffd || (cp >= 0xe000 && cp <= 0xf8ff) || cp >= 0xf0000 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
      bad++;
  }
  if (letters === 0) return 'empty';
  if (bad / letters > 0.4) return 'garbled';
  return 'ok';
}
