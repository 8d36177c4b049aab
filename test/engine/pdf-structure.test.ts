/**
 * PDF clean text and structure: running furniture across pages, the single-page footer judgement, heading levels
 * from sizes and numbering, links from annotations, right-to-left text, hyphen joining, ligatures. Every PDF is
 * generated here (pdf-lib, or the small hand-written writer for fonts outside the standard encodings).
 */
import { convert } from '../../shared/engine/engine.ts';
import { buildPdf, paragraphLines, unicodeTextPdf } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';

const BODY = [
  'The committee met to review the figures for the quarter and agreed',
  'that the results were in line with the plan that had been set out',
  'at the start of the year, with two exceptions noted further below.',
];

describe('pdf furniture', () => {
  test('a running header and page numbers on three pages are removed, the body kept', async () => {
    const page = (n: number): TextSpec[] => [
      { text: 'ACME Corporation Quarterly Review', x: 72, y: 40, size: 9 },
      ...paragraphLines(
        BODY.map((l) => `${l}`),
        72,
        120 + n * 10,
      ),
      { text: `Page ${n} of 3`, x: 280, y: 765, size: 9 },
    ];
    const md = (await convert(await buildPdf([page(1), page(2), page(3)]))).markdown;
    expect(md).not.toContain('ACME Corporation');
    expect(md).not.toMatch(/Page \d of 3/);
    expect(md.split(BODY[0]).length - 1).toBe(3);
  });

  test('bare and dashed page numbers and roman numerals at the page edge are removed', async () => {
    const page = (marker: string): TextSpec[] => [
      ...paragraphLines(BODY, 72, 100),
      { text: marker, x: 300, y: 770, size: 10 },
    ];
    const md = (await convert(await buildPdf([page('- 7 -'), page('xii')]))).markdown;
    expect(md).not.toMatch(/- 7 -|\bxii\b/);
    expect(md).toContain('two exceptions noted');
  });

  test('single page: a spread-out footer in the bottom band goes, a title and body near the edges stay', async () => {
    const md = (
      await convert(
        await buildPdf([
          [
            { text: 'Annual Safety Report', x: 72, y: 60, size: 22 },
            ...paragraphLines(BODY, 72, 110),
            ...paragraphLines(
              [
                'A closing paragraph sits close to the bottom of the page and is',
                'part of the body, so it must stay where it is.',
              ],
              72,
              690,
            ),
            { text: 'Revision: 2.4', x: 72, y: 750, size: 9 },
            { text: 'P/N 119-036', x: 270, y: 750, size: 9 },
            { text: '10 June 2019', x: 480, y: 750, size: 9 },
          ],
        ]),
      )
    ).markdown;
    expect(md).toMatch(/^# Annual Safety Report$/m);
    expect(md).toContain('A closing paragraph sits close to the bottom');
    expect(md).not.toContain('Revision: 2.4');
    expect(md).not.toContain('P/N 119-036');
  });

  test('single page: a small note set apart in the bottom band goes; a body-size sentence right after the text stays', async () => {
    const md = (
      await convert(
        await buildPdf([
          [
            ...paragraphLines(BODY, 72, 100),
            { text: 'This sentence follows the paragraph at body size.', x: 72, y: 150 },
            { text: 'Conference 2015', x: 500, y: 700, size: 7 },
          ],
        ]),
      )
    ).markdown;
    expect(md).toContain('This sentence follows the paragraph');
    expect(md).not.toContain('Conference 2015');
  });
});

describe('pdf headings', () => {
  test('levels follow numbering depth and stay consistent across pages whatever the size', async () => {
    const body = (y: number) => paragraphLines(BODY.slice(0, 2), 72, y);
    const md = (
      await convert(
        await buildPdf([
          [
            { text: 'A Study of Things', x: 72, y: 60, size: 24, bold: true },
            { text: '1 Introduction', x: 72, y: 120, size: 16, bold: true },
            ...body(145),
            { text: '1.1 Background', x: 72, y: 200, size: 13, bold: true },
            ...body(225),
          ],
          [
            { text: '2 Methods', x: 72, y: 80, size: 15.5, bold: true },
            ...body(105),
            { text: '2.1 Data', x: 72, y: 160, size: 11, bold: true },
            ...body(185),
            { text: '2.1.1 Sources', x: 72, y: 240, size: 11, bold: true },
            ...body(265),
          ],
        ]),
      )
    ).markdown;
    expect(md).toMatch(/^# A Study of Things$/m);
    expect(md).toMatch(/^## 1 Introduction$/m);
    expect(md).toMatch(/^### 1\.1 Background$/m);
    expect(md).toMatch(/^## 2 Methods$/m);
    expect(md).toMatch(/^### 2\.1 Data$/m);
    expect(md).toMatch(/^#### 2\.1\.1 Sources$/m);
    expect(md).not.toMatch(/^#+ The committee/m);
  });
});

describe('pdf links', () => {
  test('text under a link annotation becomes a Markdown link; unsafe targets stay plain text', async () => {
    const md = (
      await convert(
        await buildPdf([
          [
            ...paragraphLines(BODY, 72, 100),
            {
              text: 'Read the full report online for the details.',
              x: 72,
              y: 160,
              link: 'https://example.com/report',
              linkPart: 'full report online',
            },
            { text: 'Do not follow this script link at all.', x: 72, y: 200, link: 'javascript:alert(1)' },
          ],
        ]),
      )
    ).markdown;
    expect(md).toContain('Read the [full report online](https://example.com/report) for the details.');
    expect(md).toContain('Do not follow this script link at all.');
    expect(md).not.toContain('javascript:');
  });
});

describe('pdf clean text', () => {
  test('right-to-left text comes out in logical order', async () => {
    // Drawn as on paper: the first word on the right, each word's letters left to right in visual order.
    const first = 'שלום';
    const second = 'עולם';
    const visual = (s: string) => [...s].reverse().join('');
    const md = (
      await convert(
        unicodeTextPdf([
          { text: visual(second), x: 380, y: 100 },
          { text: visual(first), x: 410, y: 100 },
        ]),
      )
    ).markdown;
    expect(md).toContain(`${first} ${second}`);
  });

  test('ligatures and compatibility characters are normalized', async () => {
    const md = (
      await convert(
        unicodeTextPdf([
          { text: 'The ﬁnal oﬃce ﬂoor plan', x: 72, y: 100 },
          { text: 'ＡＢＣ　ｗｉｄｅ', x: 72, y: 130 },
        ]),
      )
    ).markdown;
    expect(md).toContain('The final office floor plan');
    expect(md).toContain('ABC wide');
  });

  test('a word hyphenated across a line end is joined; a hyphen before a capital stays', async () => {
    const md = (
      await convert(
        await buildPdf([
          [
            ...paragraphLines(
              [
                'The measurements were taken with great pre-',
                'cision over the whole period of the trial, the',
                'results matching the Anglo-',
                'Saxon records in full.',
              ],
              72,
              100,
            ),
          ],
        ]),
      )
    ).markdown;
    expect(md).toContain('great precision over');
    expect(md).toContain('Anglo-Saxon');
  });
});
