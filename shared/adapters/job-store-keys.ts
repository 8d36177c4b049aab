/**
 * Encodings every JobStore adapter shares, so cursors and usage months mean the same thing whichever
 * database is behind the API: an opaque listing cursor (newest first by `createdAt`, then `id`) and the
 * calendar month (UTC) that usage is counted under.
 */
import type { Job } from '../service/ports.ts';

export function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

/** The position after `item` (a job or an analysis: anything listed newest first by creation time, then id). */
export function encodeCursor(job: Pick<Job, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([job.createdAt, job.id]), 'utf8').toString('base64url');
}

/** The position a cursor points after, or undefined for a cursor that is not ours. */
export function decodeCursor(cursor: string): { createdAt: number; id: string } | undefined {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
  } catch {
    /* not a cursor of ours */
  }
  return undefined;
}

/**
 * Search by file name, the same on every store. A query matches a job when, case-insensitively, the job's
 * file name — or a word in it — BEGINS with the query: `rep` finds `Quarterly report.pdf` and `report-2.docx`,
 * `annual rep` finds `2024 Annual Report.docx`, `port` finds neither. Substring search is not offered
 * because Firestore has no substring or LIKE query; a prefix of a word-start suffix can be answered by an
 * `array-contains` on precomputed terms while keeping the newest-first order and the listing cursor.
 *
 * Normalization (names and queries alike): Unicode NFKC, lower case, control characters and runs of white
 * space become one space. A word starts at a letter or digit that follows anything else (or the start).
 * Queries: trimmed, leading characters that are not letters or digits dropped (`.pdf` searches `pdf`), and
 * cut to `NAME_QUERY_MAX` code points (a longer query matches on its first `NAME_QUERY_MAX`). Only the first
 * `NAME_WORDS_MAX` word starts of a name are searchable.
 */
export const NAME_QUERY_MAX = 32;
export const NAME_WORDS_MAX = 24;

const WORDY = /[\p{L}\p{N}]/u;

function normalizeName(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ');
}

/**
 * The searchable keys of a file name: its normalized suffixes that begin at a word start, each cut to
 * `NAME_QUERY_MAX` code points. A query matches when it is a prefix of one of them.
 */
export function nameSearchKeys(filename: string): string[] {
  const chars = [...normalizeName(filename)];
  const keys: string[] = [];
  for (let i = 0; i < chars.length && keys.length < NAME_WORDS_MAX; i++) {
    if (WORDY.test(chars[i]) && (i === 0 || !WORDY.test(chars[i - 1])))
      keys.push(chars.slice(i, i + NAME_QUERY_MAX).join(''));
  }
  return keys;
}

/** Every prefix of every key (what Firestore's `array-contains` looks a query up in), without repeats. */
export function nameSearchTerms(filename: string): string[] {
  const terms = new Set<string>();
  for (const key of nameSearchKeys(filename)) {
    const chars = [...key];
    for (let n = 1; n <= chars.length; n++) terms.add(chars.slice(0, n).join(''));
  }
  return [...terms];
}

/** A query as the stores compare it; undefined when nothing searchable is left (no letter or digit). */
export function normalizeNameQuery(query: string): string | undefined {
  const chars = [...normalizeName(query).trim()];
  const first = chars.findIndex((c) => WORDY.test(c));
  if (first < 0) return undefined;
  return chars
    .slice(first, first + NAME_QUERY_MAX)
    .join('')
    .trimEnd();
}

/** True when `query` (normalized by `normalizeNameQuery`) matches `filename`. */
export function nameMatches(filename: string, query: string): boolean {
  return nameSearchKeys(filename).some((k) => k.startsWith(query));
}
