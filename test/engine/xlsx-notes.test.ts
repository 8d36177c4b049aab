/**
 * XLSX hidden rows and columns, cell notes and threaded comments.
 */
import { serialize } from '../../shared/engine/markdown.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import type { ConversionWarning, ConvertOptions } from '../../shared/engine/types.ts';
import { convertXlsx } from '../../shared/engine/formats/xlsx/index.ts';
import { buildXlsx } from '../fixtures/xlsx.ts';
import type { XlsxSpec } from '../fixtures/xlsx.ts';

function toMarkdown(spec: XlsxSpec, options: ConvertOptions = {}) {
  const warnings: ConversionWarning[] = [];
  const tree = convertXlsx(buildXlsx(spec), { options, limits: DEFAULT_LIMITS, warn: (w) => warnings.push(w) });
  return { markdown: serialize(tree.root).markdown, warnings };
}

describe('xlsx hidden rows and columns', () => {
  it('keeps hidden rows and columns and names those holding data in a note under the heading', () => {
    const { markdown } = toMarkdown({
      sheets: [
        {
          name: 'H',
          hiddenRows: [3, 4, 6, 40],
          hiddenCols: [
            [2, 2],
            [10, 16384],
          ],
          cells: { A1: 'k', B1: 'v', A2: 'a', B2: 1, A3: 'b', B3: 2, A4: 'c', B4: 3, A5: 'd', A6: 'e', B6: 5 },
        },
      ],
    });
    expect(markdown).toBe(
      [
        '## H',
        '',
        'Hidden rows 3–4, 6 and hidden column B are included.',
        '',
        '| k | v |',
        '| --- | --- |',
        '| a | 1 |',
        '| b | 2 |',
        '| c | 3 |',
        '| d | |',
        '| e | 5 |',
        '',
      ].join('\n'),
    );
  });

  it('writes no note when hidden rows and columns hold no data', () => {
    const { markdown } = toMarkdown({
      sheets: [{ name: 'H', hiddenRows: [5], hiddenCols: [[3, 3]], cells: { A1: 'x', B1: 'y' } }],
    });
    expect(markdown).toBe('## H\n\n| x | y |\n| --- | --- |\n');
  });
});

describe('xlsx cell notes and threaded comments', () => {
  const spec: XlsxSpec = {
    sheets: [
      {
        name: 'Budget',
        cells: { A1: 'Item', B1: 'Cost', A2: 'Rent', B2: 1200, A3: 'Power', B3: 300 },
        notes: [
          { ref: 'B3', author: 'Ann Lee', text: 'Estimate, bill not yet received' },
          { ref: 'B2', text: 'Per month,\nexcluding VAT' },
        ],
        threads: [
          {
            ref: 'A3',
            author: 'Bo Chen',
            text: 'Should this include gas?',
            replies: [{ author: 'Ann Lee', text: 'No, gas is separate.' }],
          },
        ],
      },
    ],
  };

  it('always converts notes, in cell order, after the sheet tables; threads are left out by default', () => {
    const { markdown, warnings } = toMarkdown(spec);
    expect(markdown).toBe(
      [
        '## Budget',
        '',
        '| Item | Cost |',
        '| --- | --- |',
        '| Rent | 1200 |',
        '| Power | 300 |',
        '',
        'Notes:',
        '',
        '- **B2**: Per month, excluding VAT',
        '- **B3** (Ann Lee): Estimate, bill not yet received',
        '',
      ].join('\n'),
    );
    expect(markdown).not.toContain('Threaded comment');
    expect(markdown).not.toContain('gas');
    expect(warnings).toEqual([]);
  });

  it('adds threaded comments with authors and replies when the comments option is set', () => {
    const { markdown } = toMarkdown(spec, { comments: true });
    expect(markdown).toContain(
      [
        '- **B2**: Per month, excluding VAT',
        '- **A3** (Bo Chen): Should this include gas?',
        '  - Ann Lee: No, gas is separate.',
        '- **B3** (Ann Lee): Estimate, bill not yet received',
      ].join('\n'),
    );
    expect(markdown).not.toContain('Threaded comment');
  });

  it('turns an unreadable comments part into a warning and keeps the sheet', () => {
    const bytes = buildXlsx({
      sheets: [{ ...spec.sheets[0], threads: [], notes: [], notesXml: '<comments><commentList><comment ref="A1">' }],
    });
    const warnings: ConversionWarning[] = [];
    const tree = convertXlsx(bytes, { options: {}, limits: DEFAULT_LIMITS, warn: (w) => warnings.push(w) });
    const markdown = serialize(tree.root).markdown;
    expect(markdown).toContain('| Rent | 1200 |');
    expect(warnings.some((w) => w.code === 'part_unreadable' && w.message.includes('comments'))).toBe(true);
  });
});
