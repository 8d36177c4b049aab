/**
 * The one CSV writer: the service's exports (usage, requirements matrix over HTTP) and the analysis domain's
 * `requirementsToCsv` (CLI output) both write through it, so the quoting and the formula guard cannot drift
 * apart. It lives in `shared/common/`, the layer every other layer may import and which imports none.
 *
 * CSV as RFC 4180 defines it: records end with CRLF; a field containing a comma, a double quote, CR or LF
 * is enclosed in double quotes, with each double quote inside doubled (§2.5–2.7). Every other field is
 * written as is. A field that starts with `=`, `+`, `-`, `@`, a tab or a CR is prefixed with `'` so spreadsheet programs
 * do not evaluate it as a formula (CSV injection; OWASP) — numbers are written by us, never prefixed.
 */

export type CsvField = string | number;

/** One field, quoted when RFC 4180 requires it. */
export function csvField(value: CsvField): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, CRLF-terminated. */
export function csvRecord(fields: readonly CsvField[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** Header and records, built record by record. */
export function csvDocument(header: readonly string[], rows: Iterable<readonly CsvField[]>): string {
  const parts = [csvRecord(header)];
  for (const row of rows) parts.push(csvRecord(row));
  return parts.join('');
}

/** Header and records as a stream of CRLF-terminated records (for `HttpResponse.body`): nothing is held whole. */
export async function* csvStream(
  header: readonly string[],
  rows: Iterable<readonly CsvField[]> | AsyncIterable<readonly CsvField[]>,
): AsyncGenerator<string> {
  yield csvRecord(header);
  for await (const row of rows) yield csvRecord(row);
}
