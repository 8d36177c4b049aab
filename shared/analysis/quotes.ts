/**
 * Quote verification: where a quote a model gave stands in the Markdown, verbatim. A quote is accepted when
 * it is a substring of the Markdown exactly, or after normalizing both sides the same way — runs of white
 * space to one space, Markdown backslash escapes undone, emphasis markers (`*`, `_`) dropped — because a
 * model reading `\$5` or `**must**` quotes `$5` and `must`. Nothing else is forgiven: a changed word, number
 * or order is not the document's text, and the claim resting on it is dropped by the caller.
 */
import type { Span } from './document.ts';

interface Normalized {
  text: string;
  /** `map[i]`: the Markdown offset of normalized character i. */
  map: number[];
}

function normalize(source: string): Normalized {
  let text = '';
  const map: number[] = [];
  let space = false;
  for (let i = 0; i < source.length; i++) {
    let c = source[i];
    if (c === '\\' && i + 1 < source.length && /[!-/:-@[-`{-~]/.test(source[i + 1])) {
      i++;
      c = source[i];
    } else if (c === '*' || c === '_') continue;
    if (/\s/.test(c)) {
      if (space || text.length === 0) continue;
      space = true;
      text += ' ';
      map.push(i);
      continue;
    }
    space = false;
    text += c;
    map.push(i);
  }
  return { text, map };
}

export interface QuoteLocator {
  /** The span of `quote` in the Markdown, preferring an occurrence inside `within`; undefined when absent. */
  locate(quote: string, within?: Span): Span | undefined;
}

export function quoteLocator(markdown: string): QuoteLocator {
  let normalized: Normalized | undefined;
  return {
    locate(quote, within) {
      const q = quote.trim();
      if (q.length < 3) return undefined;
      const exact = findPreferring(markdown, q, within);
      if (exact >= 0) return { start: exact, end: exact + q.length };
      normalized ??= normalize(markdown);
      const nq = normalize(q).text.trim();
      if (nq.length < 3) return undefined;
      const nWithin = within
        ? { start: lowerBound(normalized.map, within.start), end: lowerBound(normalized.map, within.end) }
        : undefined;
      const at = findPreferring(normalized.text, nq, nWithin);
      if (at < 0) return undefined;
      return { start: normalized.map[at], end: normalized.map[at + nq.length - 1] + 1 };
    },
  };
}

function findPreferring(haystack: string, needle: string, within?: Span): number {
  if (within) {
    const inside = haystack.indexOf(needle, within.start);
    if (inside >= 0 && inside + needle.length <= within.end) return inside;
  }
  return haystack.indexOf(needle);
}

function lowerBound(map: number[], offset: number): number {
  let lo = 0;
  let hi = map.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid] < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
