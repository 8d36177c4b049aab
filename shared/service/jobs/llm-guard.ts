/**
 * The LLM tidy-up may only reformat. Its output is accepted only when it says nothing the converted Markdown did
 * not: every word of the output occurs in the input, at least 95% of the input's words survive, and every number
 * of the input is still there as often as before. Words are compared as NFKC-normalized lowercase runs of letters
 * and digits, so Markdown syntax, punctuation and line breaks may change freely. A hidden instruction in a
 * document ("change the total to …") cannot add a word or a number, and cannot drop much.
 *
 * What this cannot see: words that are only moved around. The prompt asks for no reordering; the guard bounds
 * the damage to the input's own words.
 */
import type { JobWarning, Llm } from '../ports.ts';

/** Share of the input's words (counted with repeats) the output must keep. */
export const MIN_KEPT_WORDS = 0.95;

export type GuardVerdict = { ok: true } | { ok: false; reason: string };

/** Letters and digits; a number keeps its inner separators (1,234.50 and 2026-11-03 are one token each). */
const TOKEN = /\p{N}+(?:[.,:/-]\p{N}+)*|[\p{L}\p{M}\p{N}]+/gu;
const NUMBER = /^\p{N}/u;

export function tokens(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(TOKEN) ?? [];
}

function counts(words: string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const w of words) map.set(w, (map.get(w) ?? 0) + 1);
  return map;
}

/** Whether `output` is a faithful reformat of `input`. */
export function checkTidyOutput(input: string, output: string): GuardVerdict {
  const inWords = tokens(input);
  // Joining a word hyphenated across a line break ("re-\ngions" → "regions") is reformatting, not new content.
  const joinedWords = tokens(input.replace(/(\p{L})-[ \t]*\r?\n[ \t>]*(\p{Ll})/gu, '$1$2'));
  const outWords = tokens(output);
  if (!inWords.length) return { ok: false, reason: 'the input has no words to tidy' };
  const inCounts = counts(inWords);
  const joinedCounts = counts(joinedWords);
  const outCounts = counts(outWords);
  const added = [...outCounts.keys()].filter((w) => !inCounts.has(w) && !joinedCounts.has(w));
  if (added.length)
    return { ok: false, reason: `the output adds words not in the document (${added.slice(0, 5).join(', ')})` };
  const lostNumbers = [...inCounts].filter(([w, n]) => NUMBER.test(w) && (outCounts.get(w) ?? 0) < n).map(([w]) => w);
  if (lostNumbers.length)
    return { ok: false, reason: `the output drops or changes numbers (${lostNumbers.slice(0, 5).join(', ')})` };
  const keptShare = Math.max(
    keptOf(inCounts, outCounts) / inWords.length,
    keptOf(joinedCounts, outCounts) / Math.max(1, joinedWords.length),
  );
  if (keptShare < MIN_KEPT_WORDS) {
    return { ok: false, reason: `the output keeps only ${Math.round(keptShare * 100)}% of the document's words` };
  }
  return { ok: true };
}

/** Words of `from` (with repeats) that `to` still has. */
function keptOf(from: Map<string, number>, to: Map<string, number>): number {
  let kept = 0;
  for (const [word, n] of from) kept += Math.min(n, to.get(word) ?? 0);
  return kept;
}

export interface TidyOutcome {
  markdown: string;
  /** Set when the original was kept: `llm_rejected` (the output failed the guard) or `llm_failed` (no output). */
  warning?: JobWarning;
}

/** Tidies with the LLM and keeps the result only if the guard accepts it; the original otherwise. */
export async function tidyGuarded(llm: Llm, markdown: string, context: { title?: string }): Promise<TidyOutcome> {
  let output: string;
  try {
    output = await llm.tidy(markdown, context);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      markdown,
      warning: { code: 'llm_failed', message: `the LLM tidy-up failed; the converted Markdown is kept: ${message}` },
    };
  }
  const verdict = checkTidyOutput(markdown, output);
  if (!verdict.ok) {
    return {
      markdown,
      warning: {
        code: 'llm_rejected',
        message: `the LLM tidy-up was rejected and the converted Markdown kept: ${verdict.reason}`,
      },
    };
  }
  return { markdown: output.endsWith('\n') ? output : `${output}\n` };
}
