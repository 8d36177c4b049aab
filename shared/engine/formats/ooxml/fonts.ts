/**
 * Typefaces that mark code in Office documents (DOCX runs' `w:rFonts`, PPTX runs' `a:latin`): a run set in one
 * of them is inline code. Names as Office and common programming fonts spell them.
 */
const MONOSPACE =
  /courier|consolas|mono\b|monospace|menlo|monaco|lucida console|lucida sans typewriter|inconsolata|fira code|source code|andale|cascadia|typewriter|fixedsys|ocr a/i;

/** Whether the typeface `name` is a monospace (code) font. */
export function isMonospaceFont(name: string | undefined): boolean {
  return !!name && MONOSPACE.test(name);
}
