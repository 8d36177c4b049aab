/**
 * PDF reading order and text that used to go missing: ragged columns whose longest lines reach into the gutter,
 * drop caps, TeX-style accents drawn apart from their letters, a subtitle near the top of a single page, and
 * quote pairs. Fixtures are built by code.
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf, helveticaWidth, paragraphLines, unicodeTextPdf } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';

const WORDS =
  'alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu'.split(
    ' ',
  );

/** Lines of filler words numbered by column and line, each at most `width` points wide (at 10 pt). */
async function columnLines(tag: string, count: number, width: number): Promise<string[]> {
  const lines: string[] = [];
  let w = 0;
  for (let i = 0; i < count; i++) {
    let line = `${tag}${i + 1}`;
    while ((await helveticaWidth(`${line} ${WORDS[w % WORDS.length]}`, 10)) <= width)
      line += ` ${WORDS[w++ % WORDS.length]}`;
    lines.push(line);
  }
  return lines;
}

describe('pdf reading order', () => {
  test('a ragged left column whose longest lines reach into the gutter is still read column by column', async () => {
    const left = await columnLines('L', 16, 235);
    // Two lines of the left column run on well past the others, to 12 points short of the right column.
    left[4] = (await columnLines('L5', 1, 265))[0];
    left[11] = (await columnLines('L12', 1, 265))[0];
    const right = await columnLines('R', 16, 230);
    const pdf = await buildPdf([
      [...paragraphLines(left, 50, 100, 10, 13), ...paragraphLines(right, 330, 100, 10, 13)],
    ]);
    const md = (await convert(pdf)).markdown;
    const at = (s: string) => md.indexOf(s);
    for (const line of [...left, ...right]) expect(at(line)).toBeGreaterThanOrEqual(0);
    // Every left line comes before every right line, in order.
    const order = [...left, ...right].map(at);
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('a leader line ending inside the gutter of a narrow side column does not cut the main column', async () => {
    const side = ['Correspondence to:', 'Dr A Person,', 'Some Street 6,', 'Some City;', 'person@example.org'];
    const main = await columnLines('M', 12, 250);
    const dots = '. . . . . . . . . . . . .';
    const dotsWidth = await helveticaWidth(dots, 8);
    const pdf = await buildPdf([
      [
        // The leaders run past the side column's text, into the gap before the main column (x 160).
        { text: dots, x: 148 - dotsWidth, y: 171.5, size: 8 },
        ...paragraphLines(side, 50, 185, 8, 10),
        { text: dots, x: 148 - dotsWidth, y: 236.5, size: 8 },
        ...paragraphLines(main, 160, 100, 10, 13),
      ],
    ]);
    const md = (await convert(pdf)).markdown;
    // The main column is one paragraph: nothing of the side column lands inside it.
    expect(md).toContain(main.join(' '));
  });

  test('a drop cap starts the first line of its paragraph', async () => {
    const pdf = await buildPdf([
      [
        { text: 'O', x: 72, y: 126, size: 36 },
        ...paragraphLines(
          [
            'nce upon a time there was a page with',
            'a large initial letter set beside its',
            'first three lines of running text and',
          ],
          100,
          100,
          11,
          13,
        ),
        ...paragraphLines(
          ['then the paragraph went on at the full', 'width of the column until it ended.'],
          72,
          139,
          11,
          13,
        ),
      ],
    ]);
    const md = (await convert(pdf)).markdown;
    expect(md).toContain(
      'Once upon a time there was a page with a large initial letter set beside its first three lines of running text and then the paragraph went on',
    );
    expect(md).not.toMatch(/Oa large|O a large|^O$/m);
  });

  test('accents drawn before their letters (TeX) are composed onto them', async () => {
    // Each character is 0.55 em wide at 12 pt (6.6 pt); each piece starts a little left of where the last ended.
    const md = (
      await convert(
        unicodeTextPdf([
          { text: 'We also thank J\u00b4', x: 72, y: 100 },
          { text: 'an Min\u00b4', x: 171, y: 100 },
          { text: 'a\u02c7', x: 211, y: 100 },
          { text: 'c for his support.', x: 218, y: 100 },
        ]),
      )
    ).markdown;
    expect(md).toContain('We also thank Ján Mináč for his support.');
  });

  test('paired single quotes become double quotes', async () => {
    const md = (
      await convert(unicodeTextPdf([{ text: 'The term \u2018\u2018social\u2019\u2019 is vague.', x: 72, y: 100 }]))
    ).markdown;
    expect(md).toContain('The term \u201csocial\u201d is vague.');
  });
});

describe('pdf furniture next to content', () => {
  test('a small subtitle under a kept title on a single page is not taken for a running head', async () => {
    const body: TextSpec[] = paragraphLines(
      [
        'Form labels and body text on this page are set at fourteen points,',
        'which is larger than the subtitle right under the title above.',
        'A third line keeps the body the most common size on the page.',
      ],
      72,
      160,
      14,
      18,
    );
    const md = (
      await convert(
        await buildPdf([
          [
            { text: 'Prospectus for the Main Market', x: 72, y: 60, size: 16, bold: true },
            { text: 'Commodity Exchange Company', x: 72, y: 85, size: 11, bold: true },
            ...body,
            { text: 'Page 7', x: 290, y: 770, size: 9 },
          ],
        ]),
      )
    ).markdown;
    expect(md).toContain('Commodity Exchange Company');
    expect(md).not.toContain('Page 7');
  });
});

describe('pdf headings in the body size', () => {
  test('a lone italic line above a paragraph is a heading; an italic caption is not', async () => {
    const para = (y: number) =>
      paragraphLines(
        [
          'The nut is of one piece, all-metal construction designed to hold',
          'tight despite severe vibration, and it can be removed and reused.',
        ],
        72,
        y,
        10,
        12.5,
      );
    const md = (
      await convert(
        await buildPdf([
          [
            ...para(100),
            { text: 'Boots Self-Locking Nut', x: 72, y: 150, size: 10, italic: true },
            ...para(164.5),
            { text: '.', x: 72, y: 200, size: 10 },
            { text: 'Elastic Stop Nut', x: 72, y: 212.5, size: 10, italic: true },
            ...para(227),
            { text: 'Figure 7-26. Self-locking nuts', x: 72, y: 280, size: 10, italic: true },
            ...para(305),
          ],
        ]),
      )
    ).markdown;
    expect(md).toMatch(/^#+ Boots Self-Locking Nut$/m);
    expect(md).toMatch(/^#+ Elastic Stop Nut$/m);
    expect(md).not.toMatch(/^#+ Figure/m);
    expect(md).toMatch(/^The nut is of one piece/m);
  });
});
