/**
 * Sentence boundaries in running text, as spans of the Markdown. A sentence ends at `.`, `!` or `?` (with any
 * closing quotes, brackets or emphasis markers) followed by white space and a capital, a digit or an opening
 * quote/bracket — except after common abbreviations (e.g., i.e., No., Sec., U.S., Inc.) and single initials.
 * Good enough for the formal prose of RFPs and contracts; it is not a general-purpose segmenter.
 */
import type { Span } from './document.ts';

const ABBREVIATIONS = new Set(
  (
    'e.g i.e etc mr mrs ms dr st no nos sec secs art arts para paras vs inc ltd co corp llc approx min max ' +
    'p pp fig figs jan feb mar apr jun jul aug sep sept oct nov dec u.s u.k a.m p.m cf al ref refs vol ed eds ' +
    'dept govt'
  ).split(' '),
);

const BOUNDARY = /[.!?]["'”’)\]*_]*\s+(?=["“'‘([*_]*[\p{Lu}\p{N}])/gu;

/** Sentence spans inside `span` of `markdown`, trimmed of surrounding white space; empty ones dropped. */
export function sentenceSpans(markdown: string, span: Span): Span[] {
  const text = markdown.slice(span.start, span.end);
  const out: Span[] = [];
  let from = 0;
  for (const m of text.matchAll(BOUNDARY)) {
    const cut = m.index + m[0].trimEnd().length;
    const before = /([\p{L}.]+)[.!?]["'”’)\]*_]*$/u.exec(text.slice(from, cut));
    const word = before?.[1]?.toLowerCase().replace(/\.$/, '');
    if (text[m.index] === '.' && word && (ABBREVIATIONS.has(word) || /^\p{L}$/u.test(word))) continue;
    add(out, span.start, text, from, cut);
    from = m.index + m[0].length;
  }
  add(out, span.start, text, from, text.length);
  return out;
}

function add(out: Span[], base: number, text: string, from: number, to: number): void {
  let s = from;
  let e = to;
  while (s < e && /\s/.test(text[s])) s++;
  while (e > s && /\s/.test(text[e - 1])) e--;
  if (e > s) out.push({ start: base + s, end: base + e });
}
