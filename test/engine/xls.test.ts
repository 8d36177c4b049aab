import { serialize } from '../../shared/engine/markdown.ts';
import { DEFAULT_LIMITS } from '../../shared/engine/types.ts';
import type { ConversionWarning } from '../../shared/engine/types.ts';
import { convertXls } from '../../shared/engine/formats/xls/index.ts';
import { buildCfb, buildXls, summaryInformation, xls } from '../fixtures/xls.ts';
import type { XlsSpec } from '../fixtures/xls.ts';

function toMarkdown(spec: XlsSpec | Uint8Array, limits?: { maxCells?: number }) {
  const warnings: ConversionWarning[] = [];
  const bytes = spec instanceof Uint8Array ? spec : buildXls(spec);
  const tree = convertXls(bytes, {
    options: {},
    limits: { ...DEFAULT_LIMITS, ...limits },
    warn: (w) => warnings.push(w),
  });
  return { markdown: serialize(tree.root).markdown, title: tree.title, warnings };
}

describe('xls converter', () => {
  it('reads shared strings, numbers, RK and MULRK values into one section per sheet', () => {
    const { markdown } = toMarkdown({
      sst: ['Name', 'Score', 'Ada'],
      sheets: [
        {
          name: 'Results',
          cells: [
            xls.labelSst(0, 0, 0),
            xls.labelSst(0, 1, 1),
            xls.label(0, 2, 'Ratio'),
            xls.labelSst(1, 0, 2),
            xls.rkInt(1, 1, 90),
            xls.number(1, 2, 0.1 + 0.2),
            xls.mulrk(2, 0, [7, -3, 1.25]),
          ],
        },
        { name: 'Second', cells: [xls.label(3, 2, 'only')] },
      ],
    });
    expect(markdown).toBe(
      '## Results\n\n| Name | Score | Ratio |\n| --- | --- | --- |\n| Ada | 90 | 0.3 |\n| 7 | -3 | 1.25 |\n\n## Second\n\n| only |\n| --- |\n',
    );
  });

  it('joins shared strings split across CONTINUE records, switching between compressed and UTF-16 characters', () => {
    const long = 'The quick brown fox jumps over the lazy dog, again and again';
    const wide = 'Zürich – Ελληνικά – 日本語のテキスト';
    for (const continueHighByte of [true, undefined]) {
      const spec: XlsSpec = {
        sst: ['head', long, wide],
        sstRecordBytes: 24,
        continueHighByte,
        sheets: [{ name: 'S', cells: [xls.labelSst(0, 0, 0), xls.labelSst(1, 0, 1), xls.labelSst(2, 0, 2)] }],
      };
      const { markdown } = toMarkdown(spec);
      expect(markdown).toContain(`| ${long} |`);
      expect(markdown).toContain(`| ${wide} |`);
    }
  });

  it('formats dates by built-in and custom formats in both date systems', () => {
    const cells = [
      xls.label(0, 0, 'when'),
      xls.number(1, 0, 45292, 1),
      xls.number(2, 0, 45292.5, 2),
      xls.number(3, 0, 0.25, 3),
      xls.number(4, 0, 0.125, 4),
    ];
    const base = { formats: { 164: 'dd/mm/yyyy hh:mm' }, xfs: [0, 14, 164, 21, 10], sheets: [{ name: 'D', cells }] };
    const md1900 = toMarkdown(base).markdown;
    expect(md1900).toContain('| 2024-01-01 |');
    expect(md1900).toContain('| 2024-01-01 12:00 |');
    expect(md1900).toContain('| 06:00:00 |');
    expect(md1900).toContain('| 12.50% |');
    const md1904 = toMarkdown({ ...base, date1904: true }).markdown;
    expect(md1904).toContain('| 2028-01-02 |');
  });

  it('shows cached formula results (number, string via STRING), booleans and errors', () => {
    const { markdown } = toMarkdown({
      sheets: [
        {
          name: 'F',
          cells: [
            xls.label(0, 0, 'a'),
            xls.label(0, 1, 'b'),
            xls.label(0, 2, 'c'),
            xls.label(0, 3, 'd'),
            xls.formulaNumber(1, 0, 42),
            xls.formulaString(1, 1, 'joined'),
            xls.boolErr(1, 2, 1, false),
            xls.boolErr(1, 3, 0x07, true),
          ],
        },
      ],
    });
    expect(markdown).toContain('| 42 | joined | TRUE | #DIV/0! |');
  });

  it('keeps merged values in the top-left cell and leaves hidden sheets out with a warning naming each', () => {
    const { markdown, warnings } = toMarkdown({
      sheets: [
        {
          name: 'Shown',
          cells: [xls.label(0, 0, 'Group'), xls.label(1, 0, 'x'), xls.label(1, 1, 'y'), xls.merged([[0, 0, 0, 1]])],
        },
        { name: 'Hidden', hidden: true, cells: [xls.label(0, 0, 'secret')] },
        { name: 'Deep', veryHidden: true, cells: [xls.label(0, 0, 'macro data')] },
      ],
    });
    expect(markdown).toBe('## Shown\n\n| Group | |\n| --- | --- |\n| x | y |\n');
    expect(warnings.filter((w) => w.code === 'unsupported_content').map((w) => w.message)).toEqual([
      expect.stringContaining('hidden sheet "Hidden" was left out'),
      expect.stringContaining('very hidden sheet "Deep" was left out'),
    ]);
  });

  it('converts hidden sheets, marked in their headings, when no sheet is visible', () => {
    const { markdown } = toMarkdown({
      sheets: [
        { name: 'Hidden', hidden: true, cells: [xls.label(0, 0, 'secret')] },
        { name: 'Deep', veryHidden: true, cells: [xls.label(0, 0, 'macro data')] },
      ],
    });
    expect(markdown).toBe(
      '## Hidden (hidden sheet)\n\n| secret |\n| --- |\n\n## Deep (very hidden sheet)\n\n| macro data |\n| --- |\n',
    );
  });

  it('applies the block rule: a spacer column and spacer row stay inside one table, two blank columns split', () => {
    const { markdown } = toMarkdown({
      sheets: [
        {
          name: 'PnL',
          cells: [
            xls.label(0, 0, 'Item'),
            xls.label(0, 2, 'FY 23'),
            xls.label(1, 0, 'Revenue'),
            xls.number(1, 2, 100),
            xls.label(3, 0, 'Profit'),
            xls.number(3, 2, 20),
            xls.label(0, 5, 'Other'),
            xls.number(1, 5, 7),
          ],
        },
      ],
    });
    expect(markdown).toBe(
      '## PnL\n\n| Item | FY 23 |\n| --- | --- |\n| Revenue | 100 |\n| Profit | 20 |\n\n| Other |\n| --- |\n| 7 |\n',
    );
  });

  it('keeps hidden rows and columns and names them in a note', () => {
    const { markdown } = toMarkdown({
      sheets: [
        {
          name: 'H',
          cells: [
            xls.colInfo(1, 1, true),
            xls.colInfo(5, 9, true),
            xls.row(0, false),
            xls.row(2, true),
            xls.label(0, 0, 'k'),
            xls.label(0, 1, 'v'),
            xls.label(1, 0, 'a'),
            xls.number(1, 1, 1),
            xls.label(2, 0, 'b'),
            xls.number(2, 1, 2),
          ],
        },
      ],
    });
    expect(markdown).toBe(
      '## H\n\nHidden row 3 and hidden column B are included.\n\n| k | v |\n| --- | --- |\n| a | 1 |\n| b | 2 |\n',
    );
  });

  it('keeps cell notes (NOTE joined by object id to OBJ + TXO + CONTINUE text) as a Notes list after the tables', () => {
    const wide = 'Prüfung – 日本語 note spanning several records';
    const { markdown, warnings } = toMarkdown({
      sheets: [
        {
          name: 'Budget',
          cells: [
            xls.label(0, 0, 'Item'),
            xls.label(0, 1, 'Cost'),
            xls.label(1, 0, 'Rent'),
            xls.number(1, 1, 1200),
            xls.noteObject(1, 'Ann Lee:\nIn EUR, excluding VAT'),
            xls.noteObject(2, wide, { chunk: 7 }),
            xls.noteObject(3, 'Latin-1 text stored as UTF-16', { high: true, chunk: 5 }),
            // NOTE records come after the drawing objects, not in reading order.
            xls.note(1, 1, 2, 'Bo'),
            xls.note(0, 0, 1, 'Ann Lee'),
            xls.note(0, 1, 3, ''),
          ],
        },
      ],
    });
    expect(markdown).toBe(
      '## Budget\n\n| Item | Cost |\n| --- | --- |\n| Rent | 1200 |\n\nNotes:\n\n' +
        '- **A1** (Ann Lee): In EUR, excluding VAT\n' +
        '- **B1**: Latin-1 text stored as UTF-16\n' +
        `- **B2** (Bo): ${wide}\n`,
    );
    expect(warnings).toEqual([]);
  });

  it('drops NUL padding after a note author, and reads an author of 60,000 NULs then a letter in linear time', () => {
    const notes = (author: string) =>
      toMarkdown({
        sheets: [
          {
            name: 'N',
            cells: [xls.label(0, 0, 'kept'), xls.noteObject(1, 'Checked'), xls.note(0, 0, 1, author)],
          },
        ],
      }).markdown;
    expect(notes('Ann Lee\0\0\0')).toBe('## N\n\n| kept |\n| --- |\n\nNotes:\n\n- **A1** (Ann Lee): Checked\n');
    // Within one record (64 KB); /\0+$/ retried from every one of the NULs.
    expect(notes(`${'\0'.repeat(60_000)}x`)).toContain('Checked');
  });

  it('skips malformed note records with an unsupported_content warning, never failing the sheet', () => {
    const { markdown, warnings } = toMarkdown({
      sheets: [
        {
          name: 'N',
          cells: [
            xls.label(0, 0, 'kept'),
            xls.noteObject(1, 'short', { declaredLength: 500 }),
            xls.noteObject(2, 'fine'),
            xls.note(0, 0, 1, 'A'),
            xls.note(0, 1, 2, 'B'),
            xls.note(3, 3, 99, 'C'),
            xls.raw(0x001c, [1, 0]),
            xls.raw(0x01b6, [0, 0]),
          ],
        },
      ],
    });
    expect(markdown).toBe('## N\n\n| kept |\n| --- |\n\nNotes:\n\n- **B1** (B): fine\n');
    const messages = warnings.filter((w) => w.code === 'unsupported_content').map((w) => w.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sheet "N": .*overruns/),
        expect.stringContaining('NOTE record is too short'),
        expect.stringContaining('note on cell A1 has no readable text'),
        expect.stringContaining('note on cell D4 has no readable text'),
      ]),
    );
  });

  it('turns embedded charts into their title and a table of the series values read from the referenced cells', () => {
    const data = [
      xls.label(0, 0, 'Quarter'),
      xls.label(0, 1, 'Sales'),
      xls.label(0, 2, 'Costs'),
      xls.label(1, 0, 'Q1'),
      xls.number(1, 1, 10),
      xls.number(1, 2, 4),
      xls.label(2, 0, 'Q2'),
      xls.number(2, 1, 12.5),
      xls.number(2, 2, 5),
    ];
    const { markdown, warnings } = toMarkdown({
      externSheets: [0, 1],
      sheets: [
        {
          name: 'Data',
          cells: [
            ...data,
            xls.chart({
              title: 'Sales by quarter',
              series: [
                { name: [0, 1], values: [1, 2, 1, 1], categories: [1, 2, 0, 0] },
                { name: 'Cost line', values: [1, 2, 2, 2], categories: [1, 2, 0, 0] },
              ],
            }),
          ],
        },
        // A chart on another sheet, reading a row of the first sheet; its single series names the chart.
        {
          name: 'Dash',
          cells: [xls.label(0, 0, 'x'), xls.chart({ series: [{ name: [0, 2], values: [2, 2, 1, 2] }] })],
        },
      ],
    });
    expect(markdown).toContain(
      'Sales by quarter\n\n| | Sales | Cost line |\n| --- | --- | --- |\n| Q1 | 10 | 4 |\n| Q2 | 12.5 | 5 |\n',
    );
    expect(markdown).toContain(
      '## Dash\n\n| x |\n| --- |\n\nCosts\n\n| | Costs |\n| --- | --- |\n| 1 | 12.5 |\n| 2 | 5 |\n',
    );
    expect(warnings).toEqual([]);
  });

  it('names a chart whose series cannot be resolved in an unsupported_content warning, keeping its title', () => {
    const { markdown, warnings } = toMarkdown({
      externSheets: [0, 5],
      sheets: [
        {
          name: 'S',
          cells: [
            xls.label(0, 0, 'v'),
            xls.number(1, 0, 1),
            xls.chart({ title: 'Computed', series: [{ values: 'formula' }] }),
            xls.chart({ series: [{ values: [0, 1, 0, 0] }], xti: 1 }),
          ],
        },
      ],
    });
    expect(markdown).toBe('## S\n\n| v |\n| --- |\n| 1 |\n\nComputed\n');
    expect(warnings.map((w) => [w.code, w.message])).toEqual([
      ['unsupported_content', expect.stringContaining('chart "Computed": its series do not reference cells')],
      ['unsupported_content', expect.stringContaining('chart 2: its series do not reference cells')],
    ]);
  });

  it('takes the title from the summary information stream', () => {
    const spec: XlsSpec = { sheets: [{ name: 'S', cells: [xls.label(0, 0, 'x')] }] };
    expect(toMarkdown({ ...spec, extraStreams: [summaryInformation('Café budget 2026')] }).title).toBe(
      'Café budget 2026',
    );
    expect(toMarkdown(spec).title).toBeUndefined();
  });

  it('refuses a workbook with a FILEPASS record as encrypted', () => {
    expect(() => toMarkdown({ filepass: true, sheets: [{ name: 'S', cells: [xls.label(0, 0, 'x')] }] })).toThrow(
      expect.objectContaining({ code: 'encrypted' }),
    );
  });

  it('refuses an encrypted OOXML package in a compound file as encrypted', () => {
    const bytes = buildCfb([
      { name: 'EncryptionInfo', data: new Uint8Array(16) },
      { name: 'EncryptedPackage', data: new Uint8Array(16) },
    ]);
    expect(() => toMarkdown(bytes)).toThrow(expect.objectContaining({ code: 'encrypted' }));
  });

  it('cuts cells past the limit with a truncated warning', () => {
    const cells = [];
    for (let r = 0; r < 100; r++) cells.push(xls.rkInt(r, 0, r), xls.rkInt(r, 1, r * 2));
    const { markdown, warnings } = toMarkdown({ sheets: [{ name: 'Big', cells }] }, { maxCells: 20 });
    expect(warnings.some((w) => w.code === 'truncated')).toBe(true);
    expect(markdown).not.toContain('| 99 |');
  });

  it('throws typed errors on damaged input', () => {
    expect(() => toMarkdown(new Uint8Array(600))).toThrow(expect.objectContaining({ code: 'corrupt' }));
    const noWorkbook = buildCfb([{ name: 'Other', data: new Uint8Array(10) }]);
    expect(() => toMarkdown(noWorkbook)).toThrow(expect.objectContaining({ code: 'corrupt' }));
    const garbage = buildCfb([{ name: 'Workbook', data: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]) }]);
    expect(() => toMarkdown(garbage)).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });

  it('survives truncated records anywhere in the stream', () => {
    const full = buildXls({
      externSheets: [0],
      sst: ['a', 'b'],
      sheets: [
        {
          name: 'S',
          cells: [
            xls.labelSst(0, 0, 0),
            xls.number(1, 0, 1.5),
            xls.noteObject(1, 'a note split over records', { chunk: 4 }),
            xls.note(0, 0, 1, 'Au'),
            xls.chart({ title: 'T', series: [{ name: [0, 0], values: [1, 1, 0, 0] }] }),
          ],
        },
      ],
    });
    for (let cut = 600; cut < full.length; cut += 97) {
      const bytes = full.slice();
      bytes.fill(0xff, cut, Math.min(full.length, cut + 40));
      try {
        toMarkdown(bytes);
      } catch (error) {
        expect(error).toMatchObject({ name: 'ConversionError' });
      }
    }
  });

  it('is detected and converted through the engine', async () => {
    const { convert } = await import('../../shared/engine/engine.ts');
    const result = await convert(
      buildXls({ sheets: [{ name: 'Only', cells: [xls.label(0, 0, 'a'), xls.rkInt(1, 0, 1)] }] }),
      { fileName: 'x.xls' },
    );
    expect(result.format).toBe('xls');
    expect(result.markdown).toBe('## Only\n\n| a |\n| --- |\n| 1 |\n');
  });
});
