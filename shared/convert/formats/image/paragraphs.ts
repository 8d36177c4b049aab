/**
 * OCR lines → paragraphs. Lines arrive in the OCR engine's reading order (columns already separated); a new
 * paragraph starts where the vertical gap to the previous line is clearly larger than the usual line spacing,
 * where the text jumps back up or sideways (a new column or block), or where the line height changes sharply
 * (a heading above body text). Inside a paragraph, a line ending in a hyphen after a letter is joined to a
 * next line starting in lower case without the hyphen (`infor-` + `mation` → `information`).
 */
import type { OcrLine } from '../../../ports.ts';

export interface OcrParagraph {
  text: string;
  lines: OcrLine[];
}

export function paragraphsFromLines(lines: readonly OcrLine[]): OcrParagraph[] {
  const kept = lines.filter((l) => l.text.trim() !== '');
  if (kept.length === 0) return [];
  const typicalHeight = median(kept.map(height)) || 1;
  const typicalSpacing = median(spacings(kept)) || typicalHeight * 0.4;
  const groups: OcrLine[][] = [[kept[0]]];
  for (let i = 1; i < kept.length; i++) {
    const prev = kept[i - 1];
    const line = kept[i];
    if (startsParagraph(prev, line, typicalHeight, typicalSpacing)) groups.push([line]);
    else groups[groups.length - 1].push(line);
  }
  return groups.map((g) => ({ text: joinLines(g.map((l) => l.text)), lines: g }));
}

function startsParagraph(prev: OcrLine, line: OcrLine, typicalHeight: number, typicalSpacing: number): boolean {
  const gap = line.bbox.y0 - prev.bbox.y1;
  // Back up the page or beside the previous line: a new column or block.
  if (gap < -0.5 * Math.min(height(prev), height(line))) return true;
  const overlap = Math.min(prev.bbox.x1, line.bbox.x1) - Math.max(prev.bbox.x0, line.bbox.x0);
  if (overlap <= 0) return true;
  // A blank line's worth of space: clearly more than the usual leading.
  if (gap > Math.max(typicalSpacing * 1.8, typicalSpacing + typicalHeight * 0.6)) return true;
  // A sharp change of text size (heading above body text, caption below).
  const ratio = height(line) / Math.max(1, height(prev));
  return ratio > 1.6 || ratio < 1 / 1.6;
}

/** Lines of one paragraph → one string, hyphenated line ends joined. */
export function joinLines(lines: readonly string[]): string {
  let out = '';
  for (const raw of lines) {
    const line = raw.replace(/\s+/g, ' ').trim();
    if (!line) continue;
    if (!out) out = line;
    else if (/\p{L}-$/u.test(out) && /^\p{Ll}/u.test(line)) out = out.slice(0, -1) + line;
    else out += ' ' + line;
  }
  return out;
}

const height = (l: OcrLine) => Math.max(1, l.bbox.y1 - l.bbox.y0);

/** Gaps between consecutive lines that sit one under the other (the page's normal leading). */
function spacings(lines: readonly OcrLine[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const gap = lines[i].bbox.y0 - lines[i - 1].bbox.y1;
    if (gap >= 0) out.push(gap);
  }
  return out;
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
