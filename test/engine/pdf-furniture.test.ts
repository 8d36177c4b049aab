/**
 * Furniture removal never takes content: a line is a running head only when it repeats at the same place on
 * other pages that have their own body; pages that are copies of each other (an invoice's original and copy)
 * keep everything; a title page keeps its ministry and issue date; a single page keeps its first lines; margin
 * line numbers (transcripts) are dropped instead of becoming table cells, while a table's row numbers stay.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf, paragraphLines } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';

const count = (md: string, s: string) => md.split(s).length - 1;

describe('pdf furniture keeps content', () => {
  test('an invoice printed as original and copy keeps its number and dates on both pages', async () => {
    const invoice = (label: string): TextSpec[] => [
      { text: 'Invoice No. INV-2024-0173', x: 72, y: 40, size: 10 },
      { text: label, x: 470, y: 40, size: 10 },
      { text: 'Issue date: 12 March 2024', x: 72, y: 54, size: 10 },
      { text: 'Due date: 11 April 2024', x: 72, y: 68, size: 10 },
      ...paragraphLines(
        [
          'Northwind Trading Ltd, 4 Harbour Road, Leith EH6 6LX',
          'Consulting services for the first quarter of the year',
          'Amount due: 4,820.00 EUR, payable by bank transfer',
        ],
        72,
        200,
        10,
      ),
      { text: 'Thank you for your business.', x: 72, y: 770, size: 10 },
    ];
    const md = (await convert(await buildPdf([invoice('ORIGINAL'), invoice('COPY')]))).markdown;
    expect(count(md, 'INV-2024-0173')).toBe(2);
    expect(count(md, 'Issue date: 12 March 2024')).toBe(2);
    expect(count(md, 'Due date: 11 April 2024')).toBe(2);
    expect(count(md, 'Thank you for your business.')).toBe(2);
    expect(count(md, 'Amount due: 4,820.00 EUR')).toBe(2);
  });

  test('a title page keeps its ministry and issue date; the running head and page numbers of later pages go', async () => {
    const body = (n: number) =>
      paragraphLines(
        [
          `Section ${n} sets out the measures the department will take over the`,
          'coming years to reduce the number of serious injuries on the roads,',
          'with the funding and the milestones agreed for each of the measures.',
        ],
        72,
        140,
      );
    const pages: TextSpec[][] = [
      [
        { text: 'Ministry of Transport and Infrastructure', x: 72, y: 48, size: 11 },
        { text: 'National Road Safety Strategy', x: 72, y: 320, size: 24 },
        { text: '2024 to 2030', x: 72, y: 350, size: 16 },
        { text: 'Issued 4 May 2024', x: 72, y: 760, size: 11 },
      ],
      ...[2, 3, 4].map((n) => [
        { text: 'National Road Safety Strategy', x: 72, y: 48, size: 9 },
        ...body(n),
        { text: String(n), x: 300, y: 760, size: 9 },
      ]),
    ];
    const md = (await convert(await buildPdf(pages))).markdown;
    expect(md).toContain('Ministry of Transport and Infrastructure');
    expect(md).toContain('Issued 4 May 2024');
    expect(md).toMatch(/^# National Road Safety Strategy$/m);
    expect(count(md, 'National Road Safety Strategy')).toBe(1);
    expect(md).not.toMatch(/^[234]$/m);
    expect(md).toContain('Section 3 sets out the measures');
  });

  test('two pages with different bodies that share a top line only by chance keep it where it is not at the same place', async () => {
    const pages: TextSpec[][] = [1, 2].map((n) => [
      { text: 'Court of Appeal', x: 72, y: n === 1 ? 40 : 100, size: 11 },
      ...paragraphLines(
        [`Paragraph ${n} of the judgment begins here and runs on across`, 'a second line of the body text.'],
        72,
        200,
      ),
    ]);
    const md = (await convert(await buildPdf(pages))).markdown;
    expect(count(md, 'Court of Appeal')).toBe(2);
  });

  test('a single-page document keeps its first lines at body size', async () => {
    const md = (
      await convert(
        await buildPdf([
          [
            { text: 'HIGH COURT OF JUSTICE', x: 220, y: 40, size: 11 },
            { text: 'Claim No. HC-2023-000412', x: 220, y: 54, size: 11 },
            ...paragraphLines(
              [
                'The claimant applies for an order that the defendant disclose the',
                'documents listed in the schedule to this application by 5 June.',
              ],
              72,
              120,
            ),
          ],
        ]),
      )
    ).markdown;
    expect(md).toContain('HIGH COURT OF JUSTICE');
    expect(md).toContain('Claim No. HC-2023-000412');
  });

  test('a single page drops a body-sized download stamp over its running head but keeps a letterhead', async () => {
    const paragraph = paragraphLines(
      [
        'The claimant applies for an order that the defendant disclose the',
        'documents listed in the schedule to this application by 5 June.',
      ],
      72,
      120,
    );
    const stamped = (
      await convert(
        await buildPdf([
          [
            { text: 'Downloaded from https://law.example.org/ on 12 July 2017', x: 160, y: 30, size: 11 },
            { text: 'Civil Procedure Review', x: 72, y: 46, size: 11 },
            { text: '447', x: 520, y: 46, size: 11 },
            ...paragraph,
          ],
        ]),
      )
    ).markdown;
    expect(stamped).not.toContain('Downloaded from');
    expect(stamped).toMatch(/^The claimant applies/);
    const letterhead = (
      await convert(
        await buildPdf([
          [
            { text: 'Northwind Trading Ltd, www.northwind.example.com', x: 72, y: 30, size: 11 },
            { text: 'Invoice No. INV-2024-0173, issued 12 March 2024', x: 72, y: 46, size: 11 },
            ...paragraph,
          ],
        ]),
      )
    ).markdown;
    expect(letterhead).toContain('www.northwind.example.com');
    expect(letterhead).toContain('INV-2024-0173');
  });

  test('margin line numbers of a transcript are dropped, not turned into table cells; the first line stays', async () => {
    const lines = [
      'IN THE SUPREME COURT OF THE STATE',
      '',
      'JOHN Q. PETERSEN,     :',
      '          Petitioner  :     No. 11-2045',
      '',
      'Springfield, Illinois',
      'Monday, March 4, 2013',
      '',
      'The above-entitled matter came on for oral',
      'argument before the court at 10:04 a.m.',
      'APPEARANCES:',
      'MARY ANN COLE, ESQ., Springfield, Illinois; on behalf',
      'of the Petitioner.',
      '',
      '',
    ];
    const page: TextSpec[] = [
      { text: 'Preliminary - Subject to Review', x: 230, y: 36, size: 10 },
      ...lines.flatMap((text, i) => {
        const y = 72 + i * 26;
        const number: TextSpec = { text: String(i + 1), x: i + 1 < 10 ? 48 : 42, y, size: 12 };
        return text ? [number, { text, x: 100, y, size: 12 }] : [number];
      }),
    ];
    const md = (await convert(await buildPdf([page]))).markdown;
    expect(md).not.toContain('|');
    expect(md).toContain('IN THE SUPREME COURT OF THE STATE');
    expect(md).toContain('Monday, March 4, 2013');
    expect(md).toMatch(/The above-entitled matter came on for oral argument before the court at 10:04 a\.m\./);
    // No number of the margin column is left, neither alone nor in front of a line.
    expect(md).not.toMatch(/(^|\n)\d{1,2}( |\n|$)/);
  });

  test("a table's column of row numbers is not taken for margin line numbers", async () => {
    const rows = [
      ['No.', 'Item', 'Quantity'],
      ['1', 'Bolts', '120'],
      ['2', 'Washers', '340'],
      ['3', 'Nuts', '95'],
      ['4', 'Brackets', '12'],
      ['5', 'Hinges', '48'],
      ['6', 'Rivets', '600'],
    ];
    const page: TextSpec[] = [
      { text: 'Stores issued in March', x: 72, y: 80, size: 14 },
      ...rows.flatMap((r, i) => r.map((text, c) => ({ text, x: [72, 160, 300][c], y: 110 + i * 18, size: 10 }))),
    ];
    const md = (await convert(await buildPdf([page]))).markdown;
    for (let n = 1; n <= 6; n++) expect(md).toMatch(new RegExp(`\\| ${n} \\|`));
  });
});
