/**
 * The typed arguments of each subcommand and the validators of their option values. The command table in
 * `program.ts` calls these; anything wrong is a `UsageError` (exit code 2) whose message completes
 * "option '--x <v>' argument 'y' is invalid." (so it does not repeat the option). Kept free of commander and
 * of the engine so the start-up stays light.
 */
import { createRequire } from 'node:module';
import { CHUNK_TOKEN_BOUNDS } from '../analysis/chunk-bounds.ts';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** `mdraft convert`, validated. */
export interface ConvertArgs {
  /** Files, directories, or `-` (stdin), at least one. */
  inputs: string[];
  output?: string;
  json: boolean;
  /** Write the retrieval chunks (`shared/analysis/chunks.ts`) as a JSON array instead of Markdown. */
  chunks?: boolean;
  /** Target chunk size in estimated tokens (`CHUNK_TOKEN_BOUNDS`); with `chunks` only. */
  chunkTokens?: number;
  pageSeparators: boolean;
  password?: string;
  pages?: { first: number; last: number };
  ocr: boolean;
  /** Tesseract language codes; only with OCR on. */
  ocrLanguages?: string[];
  /** Charset label of text input, known to iconv-lite. */
  charset?: string;
  comments: boolean;
  trackedChanges?: 'accept' | 'show';
  timeoutMs: number;
  maxMemoryMb: number;
  jobs: number;
  quiet: boolean;
}

/** `mdraft submit`, validated. */
export interface SubmitArgs {
  files: string[];
  /** API base URL without a trailing slash. */
  api: string;
  key: string;
  output?: string;
  json: boolean;
  concurrency: number;
  timeoutMs: number;
}

/** `mdraft dev-key`, validated. */
export interface DevKeyArgs {
  user: string;
  dataDir: string;
}

/**
 * `3`, `1-5`, `4-` → an inclusive 1-based range (`4-` runs to the last page).
 * @throws UsageError for anything else, or a range that is empty or starts before page 1.
 */
export function parsePages(spec: string): { first: number; last: number } {
  const m = /^(\d+)\s*(?:(-)\s*(\d+)?)?$/.exec(spec.trim());
  if (!m) throw new UsageError('Expected N, N-M or N- (1-based page numbers).');
  const first = Number(m[1]);
  const last = m[3] !== undefined ? Number(m[3]) : m[2] ? Number.MAX_SAFE_INTEGER : first;
  if (first < 1 || last < first) throw new UsageError('The range is empty or starts before page 1.');
  return { first, last };
}

/**
 * A finite number > 0, e.g. `--timeout 2.5`.
 * @throws UsageError otherwise.
 */
export function parsePositive(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError('Expected a positive number.');
  return n;
}

/**
 * A whole number in `min..max`, e.g. `--concurrency 8`.
 * @throws UsageError naming the range otherwise.
 */
export function parseIntegerIn(value: string, min: number, max: number): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`Expected a whole number from ${min} to ${max}.`);
  return n;
}

/**
 * A charset label iconv-lite can decode (`shift_jis`, `windows-1251`, `gb18030`, `latin1`…), returned as
 * given. iconv-lite is loaded only when the option is used: its tables would slow every start-up.
 * @throws UsageError for an unknown label.
 */
export function parseCharset(label: string): string {
  const iconv = createRequire(import.meta.url)('iconv-lite') as typeof import('iconv-lite');
  if (!label.trim() || !iconv.encodingExists(label))
    throw new UsageError('Unknown character set; examples of known ones: utf-8, windows-1252, shift_jis, gb18030.');
  return label.trim();
}

/**
 * `--ocr-lang`'s help: the installed and default sets of `engine/ocr-languages.ts`, written out because `--help`
 * loads no engine module (a test keeps the two equal).
 */
export const OCR_LANG_HELP =
  'OCR languages, comma-separated tesseract codes in order of weight, such as deu or deu,eng (default: eng; ' +
  'installed: eng,deu,fra,spa,ita,por; any other needs its @tesseract.js-data/<code> package; each language ' +
  'added slows OCR)';

/**
 * `eng,deu` → `['eng', 'deu']`: tesseract language codes (three letters, optionally a script suffix such as
 * `chi_sim` or `chi_tra_vert`), duplicates dropped, order kept (tesseract tries the first language first).
 * @throws UsageError for an empty list or a malformed code.
 */
export function parseOcrLanguages(spec: string): string[] {
  const codes = spec.split(',').map((c) => c.trim());
  if (codes.some((c) => !/^[a-z]{3}(?:_[a-z]+)*$/.test(c)))
    throw new UsageError('Expected comma-separated tesseract language codes such as eng,deu or chi_sim.');
  return [...new Set(codes)];
}

/**
 * A `dev-key` user name: what the embedded server accepts as a user id.
 * @throws UsageError otherwise.
 */
export function parseUserName(name: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new UsageError('Expected 1-64 letters, digits, _ or -.');
  return name;
}

/**
 * An http(s) base URL, trailing slashes removed (paths are appended to it).
 * @throws UsageError otherwise.
 */
export function parseApiUrl(url: string): string {
  if (!/^https?:\/\/[^/]/.test(url)) throw new UsageError('Expected an http(s) URL.');
  return url.replace(/\/+$/, '');
}

/**
 * A calendar day, `YYYY-MM-DD` (ISO 8601 extended date), that exists.
 * @throws UsageError otherwise.
 */
export function parseDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))
    throw new UsageError('Expected a date as YYYY-MM-DD.');
  return value;
}

/**
 * `--chunk-tokens`: a whole number within `CHUNK_TOKEN_BOUNDS` (64..8192 estimated tokens).
 * @throws UsageError otherwise.
 */
export function parseChunkTokens(value: string): number {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < CHUNK_TOKEN_BOUNDS.min || n > CHUNK_TOKEN_BOUNDS.max)
    throw new UsageError(
      `Expected a whole number of tokens from ${CHUNK_TOKEN_BOUNDS.min} to ${CHUNK_TOKEN_BOUNDS.max}.`,
    );
  return n;
}
