/**
 * Trimming of table cell strings, in time linear in their length: a cell's text comes straight from the page's
 * runs, so a hostile PDF can put 200,000 spaces or dots in one cell, and the unanchored-at-the-start patterns
 * these replace (`/\s*[$€£¥]$/`, `/\s*(?:[.·…]\s?){4,}$/u`) retried from every character of such a run
 * (quadratic: seconds per cell).
 */

/** The characters a dot leader is drawn with: full stop, middle dot, horizontal ellipsis. */
const LEADER_DOTS = new Set(['.', '\u00b7', '\u2026']);

/** Whether the one UTF-16 code unit `c` is white space (the set `\s` and `String.prototype.trim` use). */
const isSpace = (c: string): boolean => c !== '' && c.trim() === '';

/**
 * `text` without a dot leader at its end: four or more leader dots, each followed by at most one white-space
 * character, running to the end, together with the white space before them ("Any Injury ........" → "Any
 * Injury"). The same result as `text.replace(/\s*(?:[.·…]\s?){4,}$/u, '')`: the leader is parsed from the end,
 * where each step is forced (a final dot is one unit, a final space belongs to the dot before it).
 */
export function withoutTrailingLeader(text: string): string {
  let start = text.length;
  let units = 0;
  for (;;) {
    if (start >= 1 && LEADER_DOTS.has(text[start - 1])) start -= 1;
    else if (start >= 2 && isSpace(text[start - 1]) && LEADER_DOTS.has(text[start - 2])) start -= 2;
    else break;
    units++;
  }
  return units >= 4 ? text.slice(0, start).trimEnd() : text;
}

/**
 * `text` without a dot leader at its start (four or more dots, each followed by at most one white-space
 * character, then any white space). Anchored at the start, so the pattern is linear.
 */
export const withoutLeadingLeader = (text: string): string => text.replace(/^(?:[.·…]\s?){4,}\s*/u, '');

/**
 * `text` without a currency sign at its very end, and trimmed: the sign set apart from its figure in a column of
 * amounts ("1,200 $") is read as the column's unit, not the cell's text. The same result as
 * `text.replace(/\s*[$€£¥]$/, '').trim()`.
 */
export function withoutTrailingCurrency(text: string): string {
  return (/[$€£¥]$/.test(text) ? text.slice(0, -1) : text).trim();
}
