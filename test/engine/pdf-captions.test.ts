/**
 * Case captions as court transcripts and pleadings type them: margin line numbers, the parties on the left,
 * a column of lone colons, the docket number on the right, the caption boxed by typewriter rules of spaced
 * dashes. The parties read as one paragraph, the docket number apart, no colon column and no table.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf, helveticaWidth } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';

async function transcriptPage(): Promise<TextSpec[]> {
  const pitch = 25.8;
  const y = (line: number) => 75 + (line - 1) * pitch;
  const text: TextSpec[] = [];
  for (let n = 1; n <= 20; n++) text.push({ text: String(n), x: 72, y: y(n), size: 12 });
  // Spaced dashes out to the colon column, closed by an "x" there.
  let rule = '-';
  while ((await helveticaWidth(rule + ' - x', 12)) < 370.8 + 7 - 126) rule += ' -';
  rule += ' x';
  text.push(
    { text: 'IN THE DISTRICT COURT FOR THE NORTHERN COUNTY', x: 140, y: y(1), size: 12 },
    { text: rule, x: 126, y: y(2), size: 12 },
    { text: 'JANE Q. EXAMPLE, TRUSTEE,', x: 126, y: y(3), size: 12 },
    { text: ':', x: 370.8, y: y(3), size: 12 },
    { text: 'Appellant', x: 212, y: y(4), size: 12 },
    { text: ':', x: 370.8, y: y(4), size: 12 },
    { text: 'v.', x: 176, y: y(5), size: 12 },
    { text: ':', x: 370.8, y: y(5), size: 12 },
    { text: 'No. 12-3456', x: 392, y: y(5), size: 12 },
    { text: 'ACME WIDGET COMPANY.', x: 126, y: y(6), size: 12 },
    { text: ':', x: 370.8, y: y(6), size: 12 },
    { text: rule, x: 126, y: y(7), size: 12 },
    { text: 'Springfield, Ill.', x: 290, y: y(8), size: 12 },
    { text: 'Monday, March 2, 2015', x: 290, y: y(9), size: 12 },
    { text: 'The matter came on for hearing before the court at', x: 140, y: y(11), size: 12 },
    { text: 'ten in the morning, the parties present in person.', x: 126, y: y(12), size: 12 },
    { text: 'APPEARANCES:', x: 126, y: y(13), size: 12 },
    { text: 'JOHN ROE, ESQ., Springfield, Ill.; on behalf of the', x: 126, y: y(14), size: 12 },
    { text: 'Appellant.', x: 147, y: y(15), size: 12 },
  );
  return text;
}

describe('pdf case captions', () => {
  test('parties as one paragraph, docket number apart, no colon column, no table', async () => {
    const md = (await convert(await buildPdf([await transcriptPage()]))).markdown;
    expect(md).toContain('JANE Q. EXAMPLE, TRUSTEE, Appellant v. ACME WIDGET COMPANY.');
    expect(md).toContain('No. 12-3456');
    expect(md).not.toMatch(/ :( |$)/m);
    expect(md).not.toMatch(/^\|/m);
    expect(md).not.toContain('- - - -');
    expect(md).toContain('Monday, March 2, 2015');
    expect(md).toMatch(/^APPEARANCES:$/m);
    expect(md).toContain('JOHN ROE, ESQ., Springfield, Ill.; on behalf of the Appellant.');
  });

  test('a column of colons inside a table with other text in it stays', async () => {
    const text: TextSpec[] = [];
    ['Start', 'Lunch', 'End', 'Late'].forEach((label, i) => {
      text.push({ text: label, x: 72, y: 100 + i * 14, size: 10 });
      text.push({ text: ':', x: 140, y: 100 + i * 14, size: 10 });
      text.push({ text: `${9 + i}.00 hours`, x: 150, y: 100 + i * 14, size: 10 });
    });
    const md = (await convert(await buildPdf([text]))).markdown;
    expect(md).toContain('9.00 hours');
    expect(md.match(/:/g)?.length ?? 0).toBeGreaterThanOrEqual(4);
  });
});
