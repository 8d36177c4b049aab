/**
 * Token estimates and the word tokenizer used by retrieval and extractive summaries.
 *
 * Token estimate: one token per 4 characters, rounded up. Google documents this ratio for Gemini ("a token is
 * equivalent to about 4 characters", https://ai.google.dev/gemini-api/docs/tokens) and OpenAI the same for
 * English text; it over-counts tables and code a little, which is the safe side for a chunk budget.
 */
export const CHARS_PER_TOKEN = 4;

/** Estimated tokens of `text` (≥ 0). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

/**
 * English stop words left out of retrieval and summary scoring: function words that carry no topic, including
 * the modal verbs and question words ("where must proposals be delivered?" is about proposals and delivery).
 */
const STOP = new Set(
  (
    'a an and are as at be been being but by for from has have had he her his i if in into is it its of on or ' +
    'our she so such than that the their them then there these they this those to was we were what when where ' +
    'which who whom why with you your do does did how about any all each per via also other its itself not no ' +
    'shall must will should may can could would might many much'
  ).split(' '),
);

/**
 * Lower-cased word terms of `text` (letters and digits of any script), stop words removed, with a light
 * English suffix folding (plural -s/-es, -ing, -ed) so "submit", "submitted" and "submitting" meet.
 */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.toLowerCase().matchAll(/[\p{L}\p{N}]+(?:[.'’][\p{L}\p{N}]+)*/gu)) {
    const word = m[0].replace(/['’]s$/, '');
    if (STOP.has(word)) continue;
    out.push(fold(word));
  }
  return out;
}

function fold(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -3) + 'y';
  if (word.endsWith('ing') && word.length > 5) return undouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4) return undouble(word.slice(0, -2));
  if (word.endsWith('es') && /(?:ss|x|ch|sh)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is'))
    return word.slice(0, -1);
  return word;
}

/** "submitt" → "submit", "plann" → "plan": the doubled consonant of -ed/-ing forms. */
function undouble(stem: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(stem) && !/(?:ll|ss|ff|zz)$/.test(stem) ? stem.slice(0, -1) : stem;
}
