/** List items recognised by their markers: bullets of many shapes, and numbers like `1.` or `2)`. */

const BULLET = /^([•●○◦▪▫■□‣⁃∙·➢►▶✓✔–—]|[-*+](?=\s))\s*/u;
const NUMBERED = /^(\d{1,3})[.)]\s+(?=\S)/;

export interface ListMarker {
  ordered: boolean;
  /** For ordered items: the number. */
  number?: number;
  /** The item text without its marker. */
  rest: string;
}

export function listMarker(text: string): ListMarker | undefined {
  const bullet = BULLET.exec(text);
  if (bullet && text.length > bullet[0].length) return { ordered: false, rest: text.slice(bullet[0].length) };
  const numbered = NUMBERED.exec(text);
  if (numbered) return { ordered: true, number: Number(numbered[1]), rest: text.slice(numbered[0].length) };
  return undefined;
}

/** A run that is nothing but a bullet glyph (drawn apart from its text). */
export const isBulletGlyph = (text: string) => /^[•●○◦▪▫■□‣⁃∙·➢►▶✓✔]$/u.test(text.trim());
