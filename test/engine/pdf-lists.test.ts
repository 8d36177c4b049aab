/**
 * PDF lists, class by class: bullets of many shapes (Symbol/Wingdings glyphs read as private-use code points,
 * Word's Courier `o`), numbered and lettered markers, hanging indents and wrapped items, nesting by indent,
 * lists carried over a page; and what must not become a list (a paragraph opening with a year, a numbered
 * heading, prose opening with an initial, a table's column of bullets). Fixtures are built by code.
 */
import { convert } from '../../shared/engine/engine.ts';
import { pdfConverter } from '../../shared/engine/formats/pdf/index.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import { buildPdf, buildPdfWithLines, paragraphLines, ruledGrid, unicodeTextPdf } from '../fixtures/pdf.ts';
import type { TextSpec } from '../fixtures/pdf.ts';
import type { List, ListItem, RootContent } from 'mdast';

const toMarkdown = async (pdf: Uint8Array) => (await convert(pdf)).markdown;

/** The document's top-level lists (page breaks skipped). */
async function listsOf(pdf: Uint8Array): Promise<List[]> {
  const tree = await pdfConverter.convert(
    { bytes: pdf, detected: { format: 'pdf', mediaType: 'application/pdf' } },
    { options: {}, limits: DEFAULT_LIMITS, warn: () => undefined },
  );
  return (tree.root.children as RootContent[]).filter((n): n is List => n.type === 'list');
}

const itemText = (item: ListItem): string =>
  item.children
    .filter((c) => c.type === 'paragraph')
    .map((p) => ('children' in p ? p.children.map((c) => ('value' in c ? c.value : '')).join('') : ''))
    .join(' ');

/** A bullet glyph drawn on its own, the item text at a hanging indent, wrapped lines at the same indent. */
function hangingItem(bullet: string, lines: string[], y: number, x = 80, indent = 15): TextSpec[] {
  return [{ text: bullet, x, y }, ...lines.map((text, i) => ({ text, x: x + indent, y: y + i * 14 }))];
}

describe('pdf lists', () => {
  test('bullets drawn apart from a wrapped, hanging-indented text; the paragraph after the list stays apart', async () => {
    const pdf = await buildPdf([
      [
        ...paragraphLines(['An introduction leads into the list below,', 'and it ends here.'], 72, 80),
        ...hangingItem(
          '•',
          ['First item text runs long enough that it has to wrap', 'onto a second line at the hanging indent.'],
          130,
        ),
        ...hangingItem('•', ['Second item is short.'], 158),
        { text: 'A closing paragraph at the left margin follows the list without a gap', x: 72, y: 172 },
        { text: 'and runs on to a second line.', x: 72, y: 186 },
      ],
    ]);
    const md = await toMarkdown(pdf);
    expect(md).toContain(
      '- First item text runs long enough that it has to wrap onto a second line at the hanging indent.\n',
    );
    expect(md).toMatch(/^- Second item is short\.$/m);
    expect(md).toMatch(
      /^A closing paragraph at the left margin follows the list without a gap and runs on to a second line\.$/m,
    );
  });

  test('flush items keep their wrapped lines; a hanging item keeps a line that starts a new sentence at its indent', async () => {
    const pdf = await buildPdf([
      [
        { text: '1. The first step is long enough to run over the full width of the', x: 72, y: 100 },
        { text: 'column and wrap under its own number.', x: 72, y: 114 },
        { text: '2. The second step is short.', x: 72, y: 128 },
        { text: '7) The note opens with a first clause that runs on to the', x: 72, y: 170, size: 9 },
        { text: 'end of its line.', x: 84, y: 181, size: 9 },
        { text: 'A second clause of the same note starts on a line of its own here.', x: 84, y: 192, size: 9 },
      ],
    ]);
    const lists = await listsOf(pdf);
    expect(lists.map((l) => [l.start, l.children.map(itemText)])).toEqual([
      [
        1,
        [
          'The first step is long enough to run over the full width of the column and wrap under its own number.',
          'The second step is short.',
        ],
      ],
      [
        7,
        [
          'The note opens with a first clause that runs on to the end of its line. A second clause of the same note starts on a line of its own here.',
        ],
      ],
    ]);
  });

  test('Symbol and Wingdings bullets read as private-use code points, and Word’s Courier `o`, are bullets', async () => {
    const pdf = unicodeTextPdf([
      { text: '\uf0b7', x: 80, y: 100 },
      { text: 'Symbol bullet one', x: 98, y: 100 },
      { text: '\uf0b7', x: 80, y: 116 },
      { text: 'Symbol bullet two', x: 98, y: 116 },
      { text: 'o', x: 100, y: 132 },
      { text: 'Second level item', x: 118, y: 132 },
      { text: '\uf0a7', x: 120, y: 148 },
      { text: 'Third level item', x: 138, y: 148 },
      { text: '\uf0b7', x: 80, y: 164 },
      { text: 'Back at the first level', x: 98, y: 164 },
      { text: 'A paragraph between the lists.', x: 72, y: 200 },
      { text: '\uf0d8', x: 80, y: 230 },
      { text: 'Arrowhead item', x: 98, y: 230 },
      { text: '\uf0fc', x: 80, y: 246 },
      { text: 'Check mark item', x: 98, y: 246 },
    ]);
    const md = await toMarkdown(pdf);
    expect(md).not.toMatch(/[\uf000-\uf0ff]/u);
    const lists = await listsOf(pdf);
    expect(lists).toHaveLength(2);
    const [first, second] = lists;
    expect(first.ordered).toBe(false);
    expect(first.children.map(itemText)).toEqual(['Symbol bullet one', 'Symbol bullet two', 'Back at the first level']);
    const level2 = first.children[1].children.find((c): c is List => c.type === 'list')!;
    expect(level2.children.map(itemText)).toEqual(['Second level item']);
    const level3 = level2.children[0].children.find((c): c is List => c.type === 'list')!;
    expect(level3.children.map(itemText)).toEqual(['Third level item']);
    expect(second.children.map(itemText)).toEqual(['Arrowhead item', 'Check mark item']);
    expect(md).toMatch(/^A paragraph between the lists\.$/m);
  });

  test('a letter `o` followed by an ordinary space is a word, not a bullet', async () => {
    const pdf = await buildPdf([
      [
        ...paragraphLines(
          ['Elige una opción para continuar con el trámite,', 'o la otra que ya conoces bien.'],
          72,
          100,
        ),
      ],
    ]);
    expect((await toMarkdown(pdf)).trim()).toBe(
      'Elige una opción para continuar con el trámite, o la otra que ya conoces bien.',
    );
  });

  test('1. and 1) make ordered lists that keep their start number; (1) items keep their marker; (415) is no marker', async () => {
    const pdf = await buildPdf([
      [
        { text: '3) third with a parenthesis', x: 72, y: 100 },
        { text: '4) fourth with a parenthesis', x: 72, y: 114 },
        { text: 'Between the lists.', x: 72, y: 150 },
        { text: '(1) first in parentheses', x: 72, y: 180 },
        { text: '(2) second in parentheses', x: 72, y: 194 },
        { text: 'Call the office on', x: 72, y: 230 },
        { text: '(415) 555-0199 during the day.', x: 72, y: 244 },
      ],
    ]);
    const lists = await listsOf(pdf);
    expect(lists.map((l) => [l.ordered, l.start, l.children.map(itemText)])).toEqual([
      [true, 3, ['third with a parenthesis', 'fourth with a parenthesis']],
      [false, null, ['(1) first in parentheses', '(2) second in parentheses']],
    ]);
    expect(await toMarkdown(pdf)).toMatch(/^Call the office on \(415\) 555-0199 during the day\.$/m);
  });

  test('letters and roman numerals make lists that keep their markers in the text', async () => {
    const pdf = await buildPdf([
      [
        { text: 'The parties agree as follows:', x: 72, y: 80 },
        { text: '(a) the first lettered clause', x: 90, y: 100 },
        { text: '(b) the second lettered clause', x: 90, y: 114 },
        { text: 'And the remedies are these:', x: 72, y: 150 },
        { text: 'i. the first remedy', x: 90, y: 170 },
        { text: 'ii. the second remedy', x: 90, y: 184 },
        { text: 'iii. the third remedy', x: 90, y: 198 },
      ],
    ]);
    const md = await toMarkdown(pdf);
    expect(md).toContain('- (a) the first lettered clause\n- (b) the second lettered clause');
    expect(md).toMatch(/^- i\. the first remedy\n- ii\. the second remedy\n- iii\. the third remedy$/m);
    expect(md).toMatch(/^The parties agree as follows:$/m);
  });

  test('nested levels by indent: bullets inside numbered items, then the numbering goes on', async () => {
    const pdf = await buildPdf([
      [
        { text: '1. Top item one', x: 72, y: 100 },
        ...hangingItem('•', ['nested a'], 114, 90, 12),
        ...hangingItem('•', ['nested b'], 128, 90, 12),
        { text: '2. Top item two', x: 72, y: 142 },
        { text: '3. Top item three', x: 72, y: 156 },
      ],
    ]);
    const lists = await listsOf(pdf);
    expect(lists).toHaveLength(1);
    expect(lists[0].ordered).toBe(true);
    expect(lists[0].children.map(itemText)).toEqual(['Top item one', 'Top item two', 'Top item three']);
    const nested = lists[0].children[0].children.find((c): c is List => c.type === 'list')!;
    expect(nested.ordered).toBe(false);
    expect(nested.children.map(itemText)).toEqual(['nested a', 'nested b']);
  });

  test('numbering that starts again, or skips a number, is a new list that keeps its own start', async () => {
    const pdf = await buildPdf([
      [
        { text: '1. alpha', x: 72, y: 100 },
        { text: '2. beta', x: 72, y: 114 },
        { text: '1. gamma', x: 72, y: 128 },
        { text: '2. delta', x: 72, y: 142 },
        { text: '5. epsilon', x: 72, y: 156 },
        { text: '6. zeta', x: 72, y: 170 },
      ],
    ]);
    const lists = await listsOf(pdf);
    expect(lists.map((l) => [l.start, l.children.map(itemText)])).toEqual([
      [1, ['alpha', 'beta']],
      [1, ['gamma', 'delta']],
      [5, ['epsilon', 'zeta']],
    ]);
  });

  test('a list carried over to the next page keeps counting', async () => {
    const pdf = await buildPdf([
      [
        ...paragraphLines(['Steps to follow, in order:'], 72, 700),
        { text: '1. the first step', x: 72, y: 730 },
        { text: '2. the second step', x: 72, y: 744 },
      ],
      [
        { text: '3. the third step', x: 72, y: 80 },
        { text: '4. the fourth step', x: 72, y: 94 },
      ],
    ]);
    const md = await toMarkdown(pdf);
    expect(md).toMatch(/^1\. the first step\n2\. the second step$/m);
    expect(md).toMatch(/^3\. the third step\n4\. the fourth step$/m);
  });

  test('a lone private-use glyph opening a line apart from its text (a dingbat without a Unicode meaning) is a bullet', async () => {
    const pdf = unicodeTextPdf([
      { text: '\ue001', x: 80, y: 100 },
      { text: 'Dingbat item one', x: 96, y: 100 },
      { text: '\ue001', x: 80, y: 116 },
      { text: 'Dingbat item two', x: 96, y: 116 },
    ]);
    const lists = await listsOf(pdf);
    expect(lists.map((l) => l.children.map(itemText))).toEqual([['Dingbat item one', 'Dingbat item two']]);
    expect(await toMarkdown(pdf)).not.toMatch(/[\ue000-\uf8ff]/u);
  });

  test('bibliography entries [n] with hanging indents are list items; a wrapped line opening with a citation is not', async () => {
    const pdf = await buildPdf([
      [
        ...paragraphLines(
          ['The method follows earlier work on the subject, as shown in', '[2] and in later studies of it.'],
          72,
          80,
        ),
        { text: 'References', x: 72, y: 130, size: 14, bold: true },
        {
          text: '[1] A. Author. A first paper on the subject with a title that is long enough to',
          x: 72,
          y: 150,
          size: 9,
        },
        { text: 'wrap. Journal of Examples, 2019.', x: 86, y: 161, size: 9 },
        { text: '[2] B. Writer. A second paper. Proceedings of the Workshop, 2020.', x: 72, y: 172, size: 9 },
        { text: '[3] C. Scholar. A third paper. Letters, 2021.', x: 72, y: 183, size: 9 },
      ],
    ]);
    const md = await toMarkdown(pdf);
    expect(md).toMatch(
      /^The method follows earlier work on the subject, as shown in \\?\[2\] and in later studies of it\.$/m,
    );
    const lists = await listsOf(pdf);
    expect(lists.map((l) => l.children.map(itemText))).toEqual([
      [
        '[1] A. Author. A first paper on the subject with a title that is long enough to wrap. Journal of Examples, 2019.',
        '[2] B. Writer. A second paper. Proceedings of the Workshop, 2020.',
        '[3] C. Scholar. A third paper. Letters, 2021.',
      ],
    ]);
  });

  test('an item broken at the foot of a column goes on at the top of the next', async () => {
    const column = (x: number, y: number, n: number) =>
      paragraphLines(
        Array.from({ length: n }, (_, i) => `Column prose line ${i + 1} keeps the text flowing on`),
        x,
        y,
        10,
        13,
      );
    const pdf = await buildPdf([
      [
        ...column(50, 100, 10),
        { text: '1. The first item sits in the left column', x: 50, y: 240, size: 10 },
        { text: '2. The second item starts at the foot of the', x: 50, y: 253, size: 10 },
        { text: 'left column and its text is cut there', x: 50, y: 266, size: 10 },
        { text: 'and goes on at the top of the right column.', x: 320, y: 100, size: 10 },
        { text: '3. The third item follows it there.', x: 320, y: 113, size: 10 },
        ...column(320, 140, 10),
      ],
    ]);
    const lists = await listsOf(pdf);
    expect(lists.map((l) => l.children.map(itemText))).toEqual([
      [
        'The first item sits in the left column',
        'The second item starts at the foot of the left column and its text is cut there and goes on at the top of the right column.',
        'The third item follows it there.',
      ],
    ]);
  });

  test('not lists: a paragraph opening with a year, numbered headings, prose opening with an initial', async () => {
    const pdf = await buildPdf([
      [
        { text: '3. Results', x: 72, y: 80, size: 16, bold: true },
        ...paragraphLines(
          ['2024 was a year of change for the company, and the body text', 'continues on a second line here.'],
          72,
          110,
        ),
        { text: '4. Discussion', x: 72, y: 170, size: 11, bold: true },
        ...paragraphLines(
          ['The discussion was first raised by the reviewers, then by', 'A. Smith and B. Jones in their reply to it.'],
          72,
          190,
        ),
        ...paragraphLines(
          ['A. Turing wrote the paper that opened the field, and the', 'rest followed from it.'],
          72,
          240,
        ),
      ],
    ]);
    const md = await toMarkdown(pdf);
    expect(md).toMatch(/^# 3\. Results$/m);
    expect(md).toMatch(/^#+ 4\. Discussion$/m);
    expect(md).toMatch(
      /^2024 was a year of change for the company, and the body text continues on a second line here\.$/m,
    );
    expect(md).toMatch(
      /^The discussion was first raised by the reviewers, then by A\. Smith and B\. Jones in their reply to it\.$/m,
    );
    expect(md).toMatch(/^A\. Turing wrote the paper that opened the field, and the rest followed from it\.$/m);
    expect(await listsOf(pdf)).toEqual([]);
  });

  test('bold numbered items in a run stay a list, not headings', async () => {
    const pdf = await buildPdf([
      [
        ...paragraphLines(['The plan has three parts, and each one matters to the outcome.'], 72, 80),
        { text: '1. Gather', x: 72, y: 110, bold: true },
        { text: '2. Sort', x: 72, y: 124, bold: true },
        { text: '3. Publish', x: 72, y: 138, bold: true },
      ],
    ]);
    const lists = await listsOf(pdf);
    expect(lists.map((l) => l.children.map(itemText))).toEqual([['Gather', 'Sort', 'Publish']]);
  });

  test('a ruled table whose first column holds bullets stays a table', async () => {
    const grid = ruledGrid(
      [72, 250, 400],
      [100, 120, 140, 160],
      [
        ['Feature', 'Status'],
        ['• Export to PDF', 'done'],
        ['• Import from CSV', 'planned'],
      ],
    );
    const md = await toMarkdown(await buildPdfWithLines([grid]));
    expect(md).toMatch(/^\| Feature +\| Status +\|$/m);
    expect(md).toMatch(/^\| • Export to PDF +\| done +\|$/m);
    expect(md).not.toMatch(/^[-*] (?:•\s*)?Export to PDF/m);
  });
});
