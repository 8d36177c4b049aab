/**
 * Dates and quantities stated in a sentence, verbatim. Patterns (English, as RFPs and contracts write them):
 * - dates: `March 15, 2026`, `15 March 2026`, `2026-03-15`, `03/15/2026`, clock times (`5:00 p.m. EST`), and
 *   deadlines relative to an event (`within 30 days`, `no later than 10 business days`);
 * - quantities: amounts of money (`$50,000`, `EUR 1.2 million`), percentages, counts with a unit (`10 pages`,
 *   `three (3) copies`, `12-point`), outside any date already found.
 */
const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';
const DATE_PATTERNS = [
  new RegExp(`\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, 'g'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${MONTH}\\.?,?\\s+\\d{4}\\b`, 'g'),
  /\b\d{4}-\d{2}-\d{2}\b/g,
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/g,
  /\b\d{1,2}(?::\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|AM\b|PM\b)(?:\s+(?:[A-Z]{2,4}T|UTC|GMT)\b)?/g,
  /\b(?:within|no later than|not later than|at least|before|after)\s+(?:\w+\s+\()?\d+\)?\s+(?:calendar\s+|business\s+|working\s+)?(?:days?|weeks?|months?|years?|hours?)\b/gi,
];
const QUANTITY_PATTERNS = [
  /(?:[$€£]|\b(?:USD|EUR|GBP)\s?)\d{1,3}(?:,\d{3})*(?:\.\d+)?(?!\d)(?:\s+(?:thousand|million|billion))?/g,
  /\b\d+(?:\.\d+)?\s?(?:%|percent\b)/g,
  /\b(?:[a-z]+\s+)?\(\d+\)\s+[a-z]+/gi,
  /\b\d[\d,]*(?:\.\d+)?(?:\s*-\s*|\s+)(?:calendar\s+|business\s+|working\s+)?(?:days?|hours?|minutes?|weeks?|months?|years?|pages?|copies|copy|points?|inch(?:es)?|MB|GB|TB|users?|sites?|FTEs?|staff|people|persons?|miles?|km|kilometers?|references?|hardcopies|originals?)\b/gi,
];

interface Found {
  text: string;
  index: number;
}

function findAll(text: string, patterns: RegExp[], taken: [number, number][]): Found[] {
  const out: Found[] = [];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const s = m.index;
      const e = s + m[0].length;
      if (taken.some(([a, b]) => s < b && e > a)) continue;
      taken.push([s, e]);
      out.push({ text: m[0].trim(), index: s });
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** Dates and deadlines in `text`, in order of appearance, verbatim. */
export function findDates(text: string): string[] {
  return findAll(text, DATE_PATTERNS, []).map((f) => f.text);
}

/** Quantities in `text` that are not part of a date or deadline, in order of appearance, verbatim. */
export function findQuantities(text: string): string[] {
  const taken: [number, number][] = [];
  findAll(text, DATE_PATTERNS, taken);
  return findAll(text, QUANTITY_PATTERNS, taken).map((f) => f.text);
}
