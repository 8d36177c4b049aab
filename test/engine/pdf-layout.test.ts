/** PDF layout engine: columns, headings, lists, furniture, garbled text. Fixtures are built by code. */
import { convert } from '../../shared/engine/engine.ts';
import { assessText } from '../../shared/engine/formats/pdf/quality.ts';
import { buildPdf, paragraphLines } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';

const LEFT = [
  'Left column opens the story with a line',
  'that continues down the left side of the',
  'page and finishes the first column here.',
  'More left column words keep on flowing',
];
const RIGHT = [
  'Right column picks up the story again and',
  'carries it forward on the other side of it',
  'until the second column reaches its end.',
  'The final right column line closes it all',
];

describe('pdf layout', () => {
  test('two columns are read one after the other, never interleaved', async () => {
    const pdf = await buildPdf([
      [
        { text: 'A Title Across Both Columns', x: 150, y: 60, size: 20 },
        ...paragraphLines(LEFT, 50, 120, 10),
        ...paragraphLines(RIGHT, 320, 120, 10),
      ],
    ]);
    const md = (await convert(pdf)).markdown;
    expect(md).toContain(LEFT.join(' '));
    expect(md).toContain(RIGHT.join(' '));
    expect(md.indexOf('A Title')).toBeLessThan(md.indexOf('Left column opens'));
    expect(md.indexOf('More left column')).toBeLessThan(md.indexOf('Right column picks'));
  });

  test('headings come from size and weight relative to the body text', async () => {
    const body = (y: number) =>
      paragraphLines(
        ['Body text is set in the regular size and weight here,', 'running over two lines of an ordinary paragraph.'],
        72,
        y,
      );
    const pdf = await buildPdf([
      [
        { text: 'Main Title', x: 72, y: 80, size: 24, bold: true },
        ...body(120),
        { text: '1 Introduction', x: 72, y: 180, size: 16, bold: true },
        ...body(210),
        { text: 'A bold run-in section', x: 72, y: 270, size: 11, bold: true },
        ...body(295),
      ],
    ]);
    const md = (await convert(pdf)).markdown;
    expect(md).toMatch(/^# Main Title$/m);
    expect(md).toMatch(/^## 1 Introduction$/m);
    expect(md).toMatch(/^### A bold run-in section$/m);
    expect(md).not.toMatch(/^#+ Body text/m);
  });

  test('bulleted and numbered lines become lists', async () => {
    const pdf = await buildPdf([
      [
        { text: 'Things to remember about the list below.', x: 72, y: 80 },
        { text: '- first bullet point', x: 72, y: 110 },
        { text: '- second bullet point', x: 72, y: 125 },
        { text: '1. numbered step one', x: 72, y: 160 },
        { text: '2. numbered step two', x: 72, y: 175 },
      ],
    ]);
    const md = (await convert(pdf)).markdown;
    expect(md).toMatch(/^[-*] first bullet point$/m);
    expect(md).toMatch(/^[-*] second bullet point$/m);
    expect(md).toMatch(/^1\. numbered step one$/m);
    expect(md).toMatch(/^2\. numbered step two$/m);
  });

  test('running headers, footers and page numbers are removed', async () => {
    const page = (n: number): TextSpec[] => [
      { text: 'ACME Quarterly Report', x: 72, y: 30, size: 9 },
      ...paragraphLines(
        [`Body of page ${n} talks about things in a full sentence,`, 'and it continues on a second line of text.'],
        72,
        200,
      ),
      { text: String(n), x: 300, y: 770, size: 9 },
    ];
    const result = await convert(await buildPdf([page(1), page(2), page(3)]));
    expect(result.markdown).not.toContain('ACME Quarterly Report');
    expect(result.markdown).not.toMatch(/^\d+$/m);
    expect(result.markdown).toContain('Body of page 2 talks about things');
  });

  test('text drawn twice in place (fake bold) is kept once', async () => {
    const pdf = await buildPdf([
      [
        { text: 'Overprinted words', x: 72, y: 100 },
        { text: 'Overprinted words', x: 72.3, y: 100 },
      ],
    ]);
    expect((await convert(pdf)).markdown.trim()).toBe('Overprinted words');
  });

  test('a borderless table of aligned cells becomes a table; prose in two columns does not', async () => {
    const rows = [
      ['Item', 'Q1', 'Q2', 'Q3'],
      ['Revenue', '1,200', '1,350', '1,410'],
      ['Costs', '800', '820', '905'],
      ['Profit', '400', '530', '505'],
    ];
    const cells: TextSpec[] = rows.flatMap((r, i) =>
      r.map((c, j) => ({ text: c, x: 72 + j * 110, y: 300 + i * 16, size: 10 })),
    );
    const pdf = await buildPdf([
      [
        ...paragraphLines(['A short introduction sits above the table and explains it.'], 72, 260),
        ...cells,
        ...paragraphLines(LEFT, 50, 450, 10),
        ...paragraphLines(RIGHT, 320, 450, 10),
      ],
    ]);
    const md = (await convert(pdf)).markdown;
    expect(md).toMatch(/^\| Item +\| Q1 +\| Q2 +\| Q3 +\|$/m);
    expect(md).toMatch(/^\| Costs +\| 800 +\| 820 +\| 905 +\|$/m);
    expect(md.indexOf('A short introduction')).toBeLessThan(md.indexOf('| Item'));
    expect(md).toContain(LEFT.join(' '));
    expect(md.match(/^\|/gm)?.length).toBe(5);
  });

  test('garbage text layers are recognised', () => {
    expect(assessText('\ue000\ue001\ue002 \ue003\ue004')).toBe('garbled');
    expect(assessText('\ufffd\ufffd\ufffd a')).toBe('garbled');
    expect(assessText('   ')).toBe('empty');
    expect(assessText('Ordinary words, 42.')).toBe('ok');
  });
});
