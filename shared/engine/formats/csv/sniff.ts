/**
 * Is this text a table, and with which delimiter? Each candidate delimiter parses the sample with the real
 * RFC 4180 parser (so quoted delimiters and line breaks do not skew the count), then the field counts must be
 * consistent across records. Prose and Markdown also contain commas and pipes, so without a `.csv`/`.tsv`
 * name hint the evidence has to be strong: several records, near-identical field counts, short fields, and no
 * Markdown table delimiter row or list/heading markers.
 */
import { parseDelimited } from './parse.ts';

const CANDIDATES = [',', '\t', ';', '|'] as const;
const SAMPLE_RECORDS = 100;

export interface DelimiterGuess {
  delimiter: string;
  /** Field count most records have. */
  columns: number;
  /** Share of records with exactly `columns` fields. */
  consistency: number;
  records: number;
}

/**
 * Excel's separator hint: a first line `sep=X` (X one character, optionally the whole line quoted), which
 * Excel writes and honours so that a file opens the same whatever the reader's list separator is. The
 * line is an instruction, not a record: `rest` is the text after it.
 */
export function excelSeparator(text: string): { delimiter: string; rest: string } | undefined {
  const m = /^"?sep=([^\r\n"])"?[ \t]*(?:\r\n|\n|\r|$)/i.exec(text.slice(0, 16));
  if (!m) return undefined;
  return { delimiter: m[1], rest: text.slice(m[0].length) };
}

/** The delimiter a file name implies, if any. */
export function delimiterFromName(fileName: string | undefined): string | undefined {
  const ext = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === 'csv') return ',';
  if (ext === 'tsv' || ext === 'tab') return '\t';
  if (ext === 'psv') return '|';
  return undefined;
}

/**
 * The delimiter of delimited text, or undefined when the text does not look tabular. An Excel `sep=` first
 * line decides outright. With a delimited-text extension (`csv`, `tsv`, `tab`, `psv`) the answer is never
 * undefined: a one-column CSV is still a CSV.
 */
export function sniffDelimiter(text: string, extension?: string): string | undefined {
  const declared = excelSeparator(text);
  if (declared) return declared.delimiter;
  const hinted = delimiterFromName(extension ? `x.${extension}` : undefined);
  const guess = bestGuess(text);
  if (hinted) {
    if (guess && guess.consistency >= 0.5) return guess.delimiter;
    return hinted;
  }
  if (!guess || guess.records < 2) return undefined;
  const required = guess.records === 2 ? 1 : guess.records < 10 ? 0.8 : 0.7;
  if (guess.consistency < required) return undefined;
  if (looksLikeMarkdown(text, guess.delimiter) || looksLikeProse(text, guess.delimiter)) return undefined;
  return guess.delimiter;
}

/** The candidate with the most consistent multi-column shape over the first records of the sample. */
export function bestGuess(text: string): DelimiterGuess | undefined {
  let best: (DelimiterGuess & { score: number }) | undefined;
  for (const delimiter of CANDIDATES) {
    const counts = sampleRecords(text, delimiter).map((r) => r.length);
    if (counts.length === 0) continue;
    const columns = modeOf(counts);
    if (columns < 2) continue;
    const consistency = counts.filter((c) => c === columns).length / counts.length;
    // More columns is more evidence, but consistency matters most.
    const score = consistency * consistency * Math.log2(1 + Math.min(columns, 64));
    if (!best || score > best.score) best = { delimiter, columns, consistency, records: counts.length, score };
  }
  if (!best) return undefined;
  const { score: _score, ...guess } = best;
  return guess;
}

/** Records of the sample; the last one is dropped when the sample may have cut it short. */
function sampleRecords(text: string, delimiter: string): string[][] {
  const sample = text.length > 64 * 1024 ? text.slice(0, 64 * 1024) : text;
  const { rows } = parseDelimited(sample, delimiter, SAMPLE_RECORDS * 256);
  const records = rows.slice(0, SAMPLE_RECORDS + 1).filter((r) => r.some((c) => c.trim() !== ''));
  if (sample.length < text.length && records.length > 1) records.pop();
  return records.slice(0, SAMPLE_RECORDS);
}

/** Sentences separated by commas: fields are long runs of words. */
function looksLikeProse(text: string, delimiter: string): boolean {
  const fields = sampleRecords(text, delimiter)
    .flat()
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.length === 0) return false;
  const wordy = fields.filter((f) => f.split(/\s+/).length >= 6).length;
  return wordy / fields.length > 0.3;
}

/** A Markdown pipe table, list or heading block is Markdown even though its field counts line up. */
function looksLikeMarkdown(text: string, delimiter: string): boolean {
  const lines = text.split(/\r\n|\n|\r/, SAMPLE_RECORDS).filter((l) => l.trim() !== '');
  if (delimiter === '|' && lines.some(isPipeTableRule)) return true;
  const marked = lines.filter((l) => /^\s*(?:[-*+] |#{1,6} |\d{1,3}[.)] |> )/.test(l)).length;
  return marked / lines.length > 0.5;
}

function modeOf(values: number[]): number {
  const freq = new Map<number, number>();
  for (const v of values) freq.set(v, (freq.get(v) ?? 0) + 1);
  let best = 0;
  let bestN = -1;
  for (const [v, n] of freq)
    if (n > bestN || (n === bestN && v > best)) {
      best = v;
      bestN = n;
    }
  return best;
}

/** `| --- | :-: |` and `---|---`: a Markdown pipe table's delimiter row. Split, not one pattern, so it stays linear. */
function isPipeTableRule(line: string): boolean {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return inner.length > 0 && inner.split('|').every((cell) => /^:?-{3,}:?$/.test(cell.trim()));
}
